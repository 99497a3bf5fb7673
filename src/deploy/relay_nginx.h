// `hallcast deploy relay-nginx`: the nginx-rtmp configuration of the relay tier (SPEC
// §5, docs/deployment.md). hallcast uploads each language once to `relay.url/<language>`;
// this relay pushes each one on to every platform of that language, with the stream
// keys read from the environment now, as `run` reads them (so the file is a secret:
// mode 0600 when written with -o). Its statistics (nginx-rtmp's rtmp_stat, which name
// each push by its URL, key included) are served at relay.stat_url's port and path, to
// loopback and the `allow`ed addresses only; hallcast reads each destination's state
// there.
//
// nginx-rtmp speaks plain RTMP only: an rtmps:// platform is pushed to a TLS tunnel of
// nginx's stream module on a loopback port (config/relay_plan.h), which verifies the
// platform's certificate against Debian's CA bundle.
//
// Publishing is allowed from loopback and the `allow`ed addresses only (the hall's):
// anyone else could otherwise push to the organiser's platforms through it. Playing from
// the relay is refused.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/uri_syntax.h"

namespace hallcast::deploy {

// `ADDRESS` or `ADDRESS/BITS` (IPv4 or IPv6), as nginx's allow takes it; the message
// when it is not.
std::string check_allow(std::string_view text);

// The whole configuration. `config.relay` must be set; `allow` holds checked addresses.
std::string relay_nginx(const config::Config& config, const config::ListenAddress& listen,
                        const std::vector<std::string>& allow, std::string_view config_file);

}  // namespace hallcast::deploy
