// What hallcast's generated nginx configurations share: nginx's own syntax (a value
// quoted so that nothing in it ends a directive), the Debian module paths, and the
// lines that make a configuration runnable as `nginx -p DIR -c FILE` by any user: every
// file nginx writes (pid, error log, temporary files, cache) lives in DIR.
#pragma once

#include <string>
#include <string_view>

#include "config/uri_syntax.h"

namespace hallcast::deploy {

// Where Debian's libnginx-mod-rtmp and libnginx-mod-stream put the modules.
inline constexpr std::string_view kRtmpModule = "/usr/lib/nginx/modules/ngx_rtmp_module.so";
inline constexpr std::string_view kStreamModule = "/usr/lib/nginx/modules/ngx_stream_module.so";
// Debian's ca-certificates bundle: what the TLS tunnels to rtmps platforms verify by.
inline constexpr std::string_view kCaBundle = "/etc/ssl/certs/ca-certificates.crt";

// `value` as one nginx token: in double quotes, with `"` and `\` escaped.
std::string quote_value(std::string_view value);

// `HOST:PORT`, with an IPv6 host in brackets, as `listen` and `server` take it.
std::string address(const config::ListenAddress& listen);

// The head of a configuration: what made it, how to run it, the pid and error log,
// the events block.
std::string preamble(std::string_view title, std::string_view config_file, std::string_view modules,
                     int worker_connections, std::string_view worker_processes);

// The opening of the http block: no access log, no version in answers, and the
// temporary-file folders in DIR (nginx creates them at start).
std::string http_head();

}  // namespace hallcast::deploy
