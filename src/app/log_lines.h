// What the log sink does to every line before writing it, so that nothing written into
// a message can spoil the log:
//
// - Control characters are escaped. A newline in a config label, a GStreamer error or a
//   client's request would otherwise start a line of its own that looks like hallcast's.
// - Repeats are limited. A message that recurs many times a second (a refused
//   connection during a flood, libwebsockets' accept errors) is written a few times a
//   second; the lines held back are counted, and the count is written when the message
//   comes back or its second has passed, so the log stays readable and its disk fills
//   no faster than usual whatever a client does.
//
// Written here rather than taken from spdlog: spdlog 1.10 has no rate limit, and its
// dup_filter_sink drops only consecutive duplicates, which two interleaved floods defeat.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hallcast::app {

// `line` with C0 controls, DEL, C1 controls, U+2028/U+2029 and bytes that are not
// UTF-8 written as escapes (\n, \r, \t, \xNN, \u0085); everything else as it is.
std::string escape_controls(std::string_view line);

// Which lines are written. Lines are "the same" when their level and text match with
// every number (decimal, or hex after 0x) taken as equal: "client 17 connected" and
// "client 18 connected" count as one message.
class RepeatLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  struct Settings {
    std::size_t per_window = 5;  // lines of one message written per window
    Clock::duration window = std::chrono::seconds(1);
    std::size_t max_messages = 256;  // messages tracked at once
  };

  // Lines held back: `count` lines like `sample`.
  struct Held {
    int level = 0;
    std::string sample;  // the first line held back
    std::uint64_t count = 0;
  };

  struct Decision {
    bool write = false;
    // Lines like this one held back since one was last written; report them first.
    std::uint64_t held_before = 0;
    std::string held_sample;
  };

  RepeatLimiter() : RepeatLimiter(Settings{}) {}
  explicit RepeatLimiter(Settings settings);

  // `level` is any number that tells levels apart.
  Decision admit(int level, std::string_view message, Clock::time_point now);

  // Messages with lines held back whose window has passed without them coming back;
  // their counts start again from zero. Cheap when called often: it looks at the table
  // at most once per window.
  std::vector<Held> take_expired(Clock::time_point now);

 private:
  struct Entry {
    int level = 0;
    Clock::time_point window_start;
    std::size_t written = 0;  // in this window
    std::uint64_t held = 0;
    std::string sample;
  };

  Entry& entry_for(int level, std::string_view message, Clock::time_point now);

  Settings settings_;
  std::unordered_map<std::string, Entry> entries_;
  Clock::time_point next_sweep_{};
};

// The message's key: its level and its text with every number replaced by '#'.
std::string repeat_key(int level, std::string_view message);

}  // namespace hallcast::app
