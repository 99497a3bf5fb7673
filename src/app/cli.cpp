#include "app/cli.h"

#include <algorithm>
#include <array>

namespace hallcast::app {

namespace {

constexpr std::array kLevels = {"trace", "debug", "info", "warn", "error", "critical", "off"};

}  // namespace

std::string usage() {
  return "usage:\n"
         "  hallcast run [--config FILE] [--log-level LEVEL] [--state-dir DIR] [--pipelines DIR]\n"
         "               [--web DIR] [--event-start WHEN | --first-cue-in DURATION]\n"
         "      put the show on the air until SIGINT/SIGTERM (default config: config/demo.json)\n"
         "  hallcast check --config FILE [--pipelines DIR]\n"
         "      validate the config and every pipeline it implies; exit 0 when valid,\n"
         "      else exit 2 with one line per problem, each starting with its JSON path\n"
         "  hallcast --version\n"
         "  hallcast --help\n"
         "LEVEL: trace, debug, info (default), warn, error, critical, off\n"
         "--state-dir: where the show's live state is kept, to come back as it was after a\n"
         "crash or a restart (default: state, in the working folder)\n"
         "--pipelines, --web: the pipeline templates and the panel's files (default: the\n"
         "pipelines/ and web/ folders hallcast was built with)\n"
         "--event-start, --first-cue-in: a rehearsal; the whole schedule moves with the start.\n"
         "  WHEN: an ISO 8601 time (2026-07-03T11:00:00+03:00) or an offset from now (+90s);\n"
         "  DURATION: the first cue that long from now (30s, 2m)\n";
}

std::optional<CommandLine> parse_command_line(const std::vector<std::string>& args,
                                              std::string& error) {
  CommandLine cl;
  if (args.empty()) {
    error = "no command given";
    return std::nullopt;
  }
  const std::string& first = args.front();
  if (first == "--version" || first == "-V") {
    cl.action = CommandLine::Action::version;
    return cl;
  }
  if (first == "--help" || first == "-h" || first == "help") {
    cl.action = CommandLine::Action::help;
    return cl;
  }
  if (first == "run") {
    cl.action = CommandLine::Action::run;
  } else if (first == "check") {
    cl.action = CommandLine::Action::check;
  } else {
    error = "unknown command \"" + first + "\"";
    return std::nullopt;
  }
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&](const std::string& name) -> std::optional<std::string> {
      if (arg.rfind(name + "=", 0) == 0) {
        return arg.substr(name.size() + 1);
      }
      if (arg == name && i + 1 < args.size()) {
        return args[++i];
      }
      if (arg == name) {
        error = name + " needs a value";
      }
      return std::nullopt;
    };
    if (arg == "--help" || arg == "-h") {
      cl.action = CommandLine::Action::help;
      return cl;
    }
    if (auto v = value("--config")) {
      cl.config = *v;
    } else if (auto v = value("--log-level")) {
      if (std::find(kLevels.begin(), kLevels.end(), *v) == kLevels.end()) {
        error = "unknown log level \"" + *v + "\"";
        return std::nullopt;
      }
      cl.log_level = *v;
    } else if (auto v = value("--pipelines")) {
      cl.pipelines = *v;
    } else if (auto v = value("--web")) {
      cl.web = *v;
    } else if (auto v = value("--state-dir")) {
      if (v->empty()) {
        error = "--state-dir needs a folder";
        return std::nullopt;
      }
      cl.state_dir = *v;
    } else if (auto v = value("--event-start"); v && cl.action == CommandLine::Action::run) {
      cl.event_start = *v;
    } else if (auto v = value("--first-cue-in"); v && cl.action == CommandLine::Action::run) {
      cl.first_cue_in = *v;
    } else {
      if (error.empty()) {
        error = "unknown option \"" + arg + "\"";
      }
      return std::nullopt;
    }
  }
  return cl;
}

}  // namespace hallcast::app
