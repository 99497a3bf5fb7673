// `hallcast deploy audience-nginx`: the nginx configuration of the audience tier (SPEC
// §5, docs/deployment.md). nginx serves the audience page and the programme's HLS from
// a cache, with hallcast's control address as the origin, so that thousands of viewers
// cost the hall machine a few requests a second:
//
// - segments are cached long (their names are never reused, engine/outputs/
//   hls_destination.cpp), playlists and /watch.json for a second;
// - one request per item reaches hallcast (proxy_cache_lock for new items; an expired
//   one is refreshed by one background request while the others get the copy held);
// - every answer says how the cache served it in `X-Cache-Status`;
// - only the audience's paths are proxied (those hallcast itself serves without a
//   token: /watch and its files, /languages.js, /vendor/hls.js/, /hls/); the panel,
//   /ws, /session, /login, /metrics and everything else answer 404 from nginx itself.
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"
#include "config/uri_syntax.h"

namespace hallcast::deploy {

// Where nginx fetches from: control.listen, with a wildcard host (0.0.0.0, ::) read as
// this machine's loopback.
config::ListenAddress audience_origin(const config::Config& config);

// The whole configuration; `listen` is where nginx takes the audience's requests,
// `origin` hallcast's control address as nginx reaches it, `config_file` only named in
// its head.
std::string audience_nginx(const config::ListenAddress& listen, const config::ListenAddress& origin,
                           std::string_view config_file);

}  // namespace hallcast::deploy
