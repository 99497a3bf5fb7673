#include "deploy/audience_nginx.h"

#include "deploy/nginx_text.h"

namespace hallcast::deploy {

namespace {

// How long each kind of answer is kept. A segment never changes under its name; a
// playlist changes with every segment, so a viewer may see it a second late at most.
constexpr const char* kSegmentsValid = "10m";
constexpr const char* kPlaylistsValid = "1s";
constexpr const char* kPageValid = "1m";    // the page and its script: until the next show
constexpr const char* kPlayerValid = "1h";  // hls.js, versioned with hallcast

// A location proxied to hallcast and cached for `valid`. 404s are kept a second: a
// flood of requests for what is not there reaches hallcast once a second.
std::string cached(std::string_view match, std::string_view valid, std::string_view indent) {
  const std::string in(indent);
  return in + "location " + std::string(match) + " {\n" + in + "  proxy_cache_valid 200 " +
         std::string(valid) + ";\n" + in + "  proxy_cache_valid 404 1s;\n" + in +
         "  proxy_pass http://hallcast;\n" + in + "}\n";
}

}  // namespace

config::ListenAddress audience_origin(const config::Config& config) {
  config::ListenAddress origin{config.control.host, config.control.port};
  if (origin.host == "0.0.0.0" || origin.host.empty()) {
    origin.host = "127.0.0.1";
  } else if (origin.host == "::") {
    origin.host = "::1";
  }
  return origin;
}

std::string audience_nginx(const config::ListenAddress& listen, const config::ListenAddress& origin,
                           std::string_view config_file) {
  std::string text = preamble("hallcast audience tier: /watch and /hls/ from a cache", config_file,
                              "", 8192, "auto");
  text += "worker_rlimit_nofile 65536;\n";
  text += http_head();
  text += "  sendfile on;\n";
  text += "  tcp_nopush on;\n";
  text += "  keepalive_timeout 65s;\n";
  text +=
      "  proxy_cache_path cache levels=1:2 keys_zone=hallcast:32m max_size=4g inactive=20m\n"
      "                   use_temp_path=off;\n";
  text +=
      "  # hallcast's control address: the origin. It allows one client address a few\n"
      "  # dozen connections; a few are all this tier needs.\n";
  text += "  upstream hallcast {\n";
  text += "    server " + address(origin) + ";\n";
  text += "    keepalive 8;\n";
  text += "  }\n";
  text += "  server {\n";
  text += "    listen " + address(listen) + ";\n";
  text += "    proxy_http_version 1.1;\n";
  text += "    proxy_set_header Connection \"\";\n";
  text += "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n";
  text +=
      "    # The cache decides what is kept and for how long, not hallcast's headers\n"
      "    # (which tell browsers not to keep playlists).\n";
  text += "    proxy_ignore_headers Cache-Control Expires Set-Cookie;\n";
  text += "    proxy_cache hallcast;\n";
  text +=
      "    # A query string changes nothing hallcast serves here: one copy per path, and\n"
      "    # no way around the cache by adding one.\n";
  text += "    proxy_cache_key $uri;\n";
  text += "    # One request per new item goes to hallcast; the others wait for its answer.\n";
  text += "    proxy_cache_lock on;\n";
  text += "    proxy_cache_lock_timeout 5s;\n";
  text += "    proxy_cache_lock_age 5s;\n";
  text +=
      "    # An expired item is refreshed by one request in the background while the\n"
      "    # others get the copy held; if hallcast cannot answer, the copy held serves.\n";
  text += "    proxy_cache_use_stale updating error timeout http_500 http_502 http_503 http_504;\n";
  text += "    proxy_cache_background_update on;\n";
  text += "    proxy_connect_timeout 2s;\n";
  text += "    proxy_read_timeout 10s;\n";
  text += "    add_header X-Cache-Status $upstream_cache_status always;\n";
  text +=
      "\n    # The audience page and what it loads: the paths hallcast serves without a token.\n";
  text += cached("= /watch", kPageValid, "    ");
  text += cached("= /watch.json", kPlaylistsValid, "    ");
  text += cached("^~ /watch", kPageValid, "    ");
  text += cached("= /languages.js", kPageValid, "    ");
  text += cached("^~ /vendor/hls.js/", kPlayerValid, "    ");
  text += "    # The programme: playlists and segments of every HLS output.\n";
  text += "    location ^~ /hls/ {\n";
  text += cached("~ \\.m3u8$", kPlaylistsValid, "      ");
  text += cached("~ \\.ts$", kSegmentsValid, "      ");
  text += "      return 404;\n";
  text += "    }\n";
  text += "    # Nothing of the operator's side: the panel, /ws, /session, /login, /metrics.\n";
  text += "    location / {\n";
  text += "      return 404;\n";
  text += "    }\n";
  text += "  }\n";
  text += "}\n";
  return text;
}

}  // namespace hallcast::deploy
