// Times of the show's day as its schedule speaks of them: a signed offset from the
// event's start (`-5m`, `+1h30m`, `+0s`), next to the ISO 8601 times of iso_time.h.
//
// Our own parser rather than a library's: the format is one short line of numbers and
// units, and the config layer links nothing but the JSON reader and GLib.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "config/iso_time.h"

namespace hallcast::config {

// A signed duration: `+` or `-`, then one or more number-and-unit parts with units `h`,
// `m` and `s`, largest first (`-5m`, `+1h30m`, `+90s`, `+1.5s`). nullopt otherwise.
std::optional<std::chrono::milliseconds> parse_offset(std::string_view text);

// `-5m`, `+1h30m`, `+0s`: the shortest text parse_offset reads back as `offset`.
std::string format_offset(std::chrono::milliseconds offset);

}  // namespace hallcast::config
