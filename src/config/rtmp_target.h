// Where an rtmp/rtmps output connects (directly, or through the relay): the URL from
// the config split into the parts rtmp2sink and nginx-rtmp's push take, with the stream
// key as the stream name (SPEC §2: the key is the last path segment). Setting the parts one by one,
// rather than a `location` string, keeps a key with `/` or `?` in it intact.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hallcast::config {

struct RtmpTarget {
  std::string scheme;  // "rtmp" or "rtmps"
  std::string host;
  int port = 0;
  std::string application;
  std::string stream;  // the key: never log it

  // The URL without the stream, safe to log.
  std::string public_url() const;
};

// `url` as in the config; `key` empty when the output has none, in which case the
// URL's own last segment is the stream name. nullopt when the URL is unusable.
std::optional<RtmpTarget> parse_rtmp_target(std::string_view url, std::string_view key);

}  // namespace hallcast::config
