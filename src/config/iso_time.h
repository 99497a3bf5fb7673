// ISO 8601 date-times with their offset, as the config writes a moment of the show
// (`event.start`: "2026-07-03T11:00:00+03:00"). Only the full form is accepted: a time
// without an offset would mean whatever zone the machine happens to be set to. Written
// here rather than with a library: the one format is a few lines with <chrono>, and
// Debian's date libraries (Howard Hinnant's date) add nothing C++20 lacks for it.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace hallcast::config {

// "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" as a moment in UTC, to the
// millisecond; nullopt for anything else (a missing offset, 2026-02-30, 24:00:00).
std::optional<std::chrono::sys_time<std::chrono::milliseconds>> parse_iso_time(
    std::string_view text);

}  // namespace hallcast::config
