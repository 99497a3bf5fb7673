// Secrets from the environment and facts about files, at load.
#include "config/machine.h"

#include <sys/stat.h>

#include <cstdlib>

#include "config/uri_syntax.h"
#include "config/validate.h"

namespace hallcast::config {
namespace {

Secret secret_from(const Environment& environment, const std::string& variable) {
  return Secret(environment(variable).value_or(""));
}

void take_keys(Config& config, const Environment& environment, const Problems& problems) {
  for (std::size_t i = 0; i < config.outputs.size(); ++i) {
    Output& output = config.outputs[i];
    // A key written in the file as well is already reported; an unset variable leaves
    // the output idle, saying so, rather than making the whole show invalid.
    if (!problems.reported(index_path("outputs", i) + ".key_env") && output.key.empty() &&
        is_environment_name(output.key_env)) {
      output.key = secret_from(environment, output.key_env);
    }
  }
}

void take_tokens(Config& config, const Environment& environment, Problems& problems) {
  Control& control = config.control;
  if (!problems.reported("control.token_env")) {
    control.operator_token = secret_from(environment, control.token_env);
  }
  if (!control.viewer_token_env.empty() && !problems.reported("control.viewer_token_env")) {
    control.viewer_token = secret_from(environment, control.viewer_token_env);
  }
  if (control.obs_websocket && !problems.reported("control.obs_websocket.password_env")) {
    ObsWebsocket& obs = *control.obs_websocket;
    obs.password = secret_from(environment, obs.password_env);
    if (!problems.reported("control.obs_websocket.listen") && obs.password.empty() &&
        !is_loopback_host(obs.host)) {
      problems.add("control.obs_websocket.listen",
                   "listening on " + quote(obs.host) + " needs a password: set the variable " +
                       obs.password_env +
                       " (control.obs_websocket.password_env), or listen on "
                       "127.0.0.1");
    }
  }
  // Without an operator token anyone who reaches the port runs the show: only this
  // machine may reach it then.
  if (!problems.reported("control.listen") && !problems.reported("control.token_env") &&
      control.operator_token.empty() && !is_loopback_host(control.host)) {
    problems.add("control.listen", "listening on " + quote(control.host) +
                                       " needs an operator token: set the variable " +
                                       control.token_env +
                                       " (control.token_env), or listen "
                                       "on 127.0.0.1");
  }
}

// filesrc opens a FIFO and waits for a writer, holding up the whole programme, and a
// folder or a device is no media file. A file that is missing now may be copied in
// before the show, so that is left to the source's own retries.
void check_files(const Config& config, Problems& problems) {
  for (std::size_t i = 0; i < config.sources.size(); ++i) {
    const auto* media = std::get_if<MediaUri>(&config.sources[i].uri);
    if (media == nullptr || media->scheme != "file") {
      continue;
    }
    struct stat info {};
    if (::stat(media->location.c_str(), &info) != 0 || S_ISREG(info.st_mode)) {
      continue;
    }
    const std::string what = S_ISDIR(info.st_mode)    ? "a folder"
                             : S_ISFIFO(info.st_mode) ? "a FIFO"
                             : S_ISSOCK(info.st_mode) ? "a socket"
                                                      : "a device";
    problems.add(index_path("sources", i) + ".uri",
                 quote(media->location) + " is " + what + ", not a media file");
  }
}

}  // namespace

Environment process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) {
      return std::nullopt;
    }
    return std::string(value);
  };
}

void take_from_machine(Config& config, const Environment& environment, Problems& problems) {
  take_keys(config, environment, problems);
  take_tokens(config, environment, problems);
  check_files(config, problems);
}

}  // namespace hallcast::config
