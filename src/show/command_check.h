// A command checked against the config before the show runs: what the engine would
// answer at run time (an unknown scene, an output that carries every language), said
// up front for the cue list, so that `hallcast check` reports a cue that would fail.
//
// Cues are checked in the order they will run, through one checker: an overlay a cue
// creates is known to the cues after it, one it deletes is not.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "config/config.h"
#include "show/commands.h"

namespace hallcast::show {

struct CommandProblem {
  std::string field;  // the command's field at fault, e.g. "scene"; "" for the whole
  std::string message;
};

class CommandChecker {
 public:
  // `cue_count`: how many cues the schedule has (cue.run and cue.skip name one).
  CommandChecker(const config::Config& config, std::size_t cue_count);

  // The problem with `command`, if any; records the overlays it creates or deletes.
  std::optional<CommandProblem> check(const Command& command);

 private:
  const config::Overlay* config_overlay(const std::string& id) const;

  const config::Config& config_;
  std::size_t cue_count_;
  std::set<std::string> overlays_;  // ids known at this point of the schedule
  std::set<std::string> created_;   // of those, made by a cue
};

}  // namespace hallcast::show
