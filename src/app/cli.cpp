#include "app/cli.h"

#include <algorithm>
#include <array>

namespace hallcast::app {

namespace {

constexpr std::array kLevels = {"trace", "debug", "info", "warn", "error", "critical", "off"};

// deploy's own options; true when `arg` was one of them.
template <typename Value>
bool parse_deploy_option(Value& value, CommandLine& cl) {
  if (auto v = value("--listen")) {
    cl.listen = *v;
  } else if (auto v = value("-o")) {
    cl.output_file = *v;
  } else if (auto v = value("--allow")) {
    cl.allow.push_back(*v);
  } else if (auto v = value("--origin")) {
    cl.origin = *v;
  } else {
    return false;
  }
  return true;
}

}  // namespace

std::string usage() {
  return "usage:\n"
         "  hallcast run [--config FILE] [--log-level LEVEL] [--state-dir DIR] [--pipelines DIR]\n"
         "               [--web DIR] [--event-start WHEN | --first-cue-in DURATION]\n"
         "      put the show on the air until SIGINT/SIGTERM (default config: config/demo.json)\n"
         "  hallcast check --config FILE [--pipelines DIR]\n"
         "      validate the config and every pipeline it implies; exit 0 when valid,\n"
         "      else exit 2 with one line per problem, each starting with its JSON path\n"
         "  hallcast deploy audience-nginx --config FILE --listen ADDR [--origin ADDR] [-o FILE]\n"
         "  hallcast deploy relay-nginx --config FILE --listen ADDR [--allow ADDR]... [-o FILE]\n"
         "      print the nginx configuration of the audience tier (/watch and /hls/ from a\n"
         "      cache in front of control.listen) or of the relay tier (each language pushed\n"
         "      on to its platforms; -o writes it with mode 0600); see docs/deployment.md\n"
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
  } else if (first == "deploy") {
    cl.action = CommandLine::Action::deploy;
  } else {
    error = "unknown command \"" + first + "\"";
    return std::nullopt;
  }
  std::size_t first_option = 1;
  if (cl.action == CommandLine::Action::deploy) {
    if (args.size() < 2 || args[1].rfind("-", 0) == 0) {
      error = "deploy needs a target: audience-nginx or relay-nginx";
      return std::nullopt;
    }
    if (args[1] != "audience-nginx" && args[1] != "relay-nginx") {
      error = "unknown deploy target \"" + args[1] + "\"; expected audience-nginx or relay-nginx";
      return std::nullopt;
    }
    cl.deploy_target = args[1];
    first_option = 2;
  }
  for (std::size_t i = first_option; i < args.size(); ++i) {
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
    } else if (cl.action == CommandLine::Action::deploy && parse_deploy_option(value, cl)) {
      continue;
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
  if (cl.action == CommandLine::Action::deploy && cl.listen.empty() && error.empty()) {
    error = "deploy needs --listen ADDR";
    return std::nullopt;
  }
  return cl;
}

}  // namespace hallcast::app
