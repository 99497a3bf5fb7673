// The config's cue list made ready for the engine: each cue's time resolved and its
// command read by the control protocol's parser (the one definition of a valid
// command) and checked against the config, every problem with the JSON path of the
// cue's value (`schedule[1].scene: unknown scene "x"`). The app does this because only
// it sees both the config and the control layer.
//
// Also the rehearsal: the whole schedule moved in time (hallcast run --event-start,
// --first-cue-in) so that a show can be run through at another hour.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "show/schedule.h"

namespace hallcast::app {

std::vector<show::Cue> build_schedule(const config::Config& config,
                                      std::vector<config::Problem>& problems);

// How to move the schedule: a new start (an ISO 8601 time, or `+90s` from now), or the
// first cue put `first_cue_in` from now (a show with neither cues nor a start has
// nothing to move). Empty: as the config says.
struct Rehearsal {
  std::string event_start;
  std::string first_cue_in;
};

// Moves `config`'s start and cues as `rehearsal` says, at `now`; a message on failure.
std::optional<std::string> rehearse(config::Config& config, const Rehearsal& rehearsal,
                                    config::WallTime now);

}  // namespace hallcast::app
