// The command line (SPEC §1 and §5, a CONTRACT): `hallcast run|check|deploy`, `--version`,
// `--help`.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace hallcast::app {

struct CommandLine {
  enum class Action { run, check, deploy, version, help };
  Action action = Action::help;
  std::string config = "config/demo.json";
  std::string log_level = "info";
  std::string pipelines;  // empty: the built-in default
  std::string web;        // empty: the built-in default
  // Where `run` keeps the show's live state across restarts; relative to the working
  // folder.
  std::string state_dir = "state";
  // deploy: which configuration (audience-nginx, relay-nginx), where nginx listens,
  // where the text goes (empty: stdout), the addresses the relay takes the hall's
  // uploads from besides loopback, and hallcast's address as the audience tier reaches
  // it (empty: control.listen).
  std::string deploy_target;
  std::string listen;
  std::string output_file;
  std::vector<std::string> allow;
  std::string origin;
  // A rehearsal: the schedule moved (see app/schedule.h); empty: as the config says.
  std::string event_start;
  std::string first_cue_in;
};

// nullopt and a message in `error` when the arguments make no sense.
std::optional<CommandLine> parse_command_line(const std::vector<std::string>& args,
                                              std::string& error);

std::string usage();

}  // namespace hallcast::app
