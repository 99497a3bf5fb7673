// The cue list's logic, pure: when each cue is due, which are due now, which had passed
// before the show started, and the countdown's text. The engine owns the timer that
// asks and the commands that run; nothing here knows a clock but the times it is given.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/wall_time.h"
#include "show/commands.h"
#include "show/state.h"

namespace hallcast::show {

// A cue ready to run: its time resolved, its command parsed.
struct Cue {
  config::ZonedTime at;  // shown in the event's UTC offset
  std::string at_text;   // as written, for people
  Command command;
};

// The schedule as a show started at `now` finds it: cues due before `now` are passed
// (a restart mid-show must not replay them), the rest pending.
std::vector<CueStatus> start_schedule(const std::vector<Cue>& cues, config::WallTime now);

// The earliest time a pending cue is due; nullopt when none is pending.
std::optional<config::WallTime> next_due(const std::vector<CueStatus>& schedule);

// The pending cues due at `now`, in the order to run them: by time, then list order.
std::vector<std::size_t> due_cues(const std::vector<CueStatus>& schedule, config::WallTime now);

// The time left from `now` to `start` as a countdown shows it: whole seconds rounded
// up, so "0:00" appears exactly at the start and stays after it; `M:SS` under an hour,
// `H:MM:SS` from one.
std::string remaining_text(config::WallTime start, config::WallTime now);

// `text` with every "{remaining}" replaced by `remaining`.
std::string fill_countdown(std::string_view text, std::string_view remaining);

}  // namespace hallcast::show
