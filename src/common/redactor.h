// Keeps secrets (stream keys, the operator token) out of every text the engine passes
// on: GStreamer error messages can quote a URL or stream name, so each such text goes
// through `scrub` before it reaches a log line, a state or an event.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hallcast::common {

class Redactor {
 public:
  // Secrets shorter than this are not scrubbed: a one-letter "key" would turn every
  // message into asterisks while protecting nothing.
  static constexpr std::size_t min_length = 3;

  void add(std::string secret);
  std::string scrub(std::string_view text) const;

 private:
  std::vector<std::string> secrets_;  // written before the engine starts, then read-only
};

}  // namespace hallcast::common
