// The relay (Config::relay) as the rest of hallcast uses it: where each language is
// uploaded, where the relay's statistics are read, and how the relay pushes each RTMP
// destination on. The engine and `hallcast deploy relay-nginx` both work from this one
// plan, so the relay's configuration and what hallcast looks for in its statistics
// cannot drift apart.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/rtmp_target.h"

namespace hallcast::config {

// The relay's application: APP of `url`, where each language is a stream.
std::string relay_application(const Relay& relay);

// Where hallcast uploads `language`: `url/<language>` (SPEC §5).
std::string relay_upload_url(const Relay& relay, std::string_view language);

struct HttpLocation {
  std::string host;  // without the brackets of an IPv6 literal
  int port = 0;
  std::string path;  // starts with "/"

  std::string url() const;
};

// Where the relay's statistics (nginx-rtmp's rtmp_stat XML) are read: `stat_url`, or by
// default the relay's host, the relay's port + 1, and /stat. Only for a relay the
// validator accepted.
HttpLocation relay_stat_location(const Relay& relay);

// One RTMP destination as the relay pushes it to its platform.
struct RelayPush {
  std::size_t output = 0;  // index in Config::outputs
  std::string id;          // the output's id
  std::string language;    // the upload it is pushed from: the output's language
  RtmpTarget target;       // the platform; target.stream is the key
  // rtmps: nginx-rtmp speaks plain RTMP only, so the push goes to a TLS tunnel of
  // nginx's stream module on this loopback port, which carries it to the platform.
  // 0: a plain rtmp:// platform, pushed to directly.
  int tunnel_port = 0;

  // The URL nginx-rtmp's push directive names: the platform, or the tunnel to it.
  // Holds the key: never log it.
  std::string push_url() const;
  // How nginx-rtmp names the push in its statistics (a client's <address>): the push
  // URL without "rtmp://". Holds the key.
  std::string stat_address() const;
};

// Every RTMP output the relay can push, in config order: those whose key is known (an
// output whose key variable is unset is left out, as `run` leaves it idle). The TLS
// tunnels take the loopback ports after the statistics' port, one each.
std::vector<RelayPush> relay_pushes(const Config& config);

// The RTMP outputs whose key variable is unset: the relay cannot push them.
std::vector<std::size_t> relay_unkeyed_outputs(const Config& config);

}  // namespace hallcast::config
