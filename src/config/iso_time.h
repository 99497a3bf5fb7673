// ISO 8601 date-times with their offset, as the config writes a moment of the show
// (`event.start`: "2026-07-03T11:00:00+03:00", a cue's `at`). Only the full form is
// accepted: a time without an offset would mean whatever zone the machine happens to be
// set to. Written here rather than with a library: the one format is a few lines with
// <chrono>, and Debian's date libraries (Howard Hinnant's date) add nothing C++20 lacks
// for it. A time keeps the offset it was written with, so a Moscow show's times are
// shown back in Moscow time.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace hallcast::config {

using WallClock = std::chrono::system_clock;
// A moment, to the millisecond, in UTC.
using WallTime = std::chrono::sys_time<std::chrono::milliseconds>;

// A moment and the UTC offset to show it in.
struct ZonedTime {
  WallTime time{};
  int utc_offset_min = 0;  // +180 for Moscow
  bool operator==(const ZonedTime&) const = default;
};

// "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" as a moment in UTC, to the
// millisecond, and the offset it was written in; nullopt for anything else (a missing
// offset, 2026-02-30, 24:00:00).
std::optional<ZonedTime> parse_zoned_time(std::string_view text);
// The same, the moment alone.
std::optional<WallTime> parse_iso_time(std::string_view text);

// `time` as `YYYY-MM-DDTHH:MM:SS±HH:MM` in `utc_offset_min` (`Z` for UTC); milliseconds
// are written only when there are some.
std::string format_iso_time(WallTime time, int utc_offset_min);
inline std::string format_iso_time(const ZonedTime& time) {
  return format_iso_time(time.time, time.utc_offset_min);
}

}  // namespace hallcast::config
