#include "app/deploy_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <variant>

#include "app/log_lines.h"
#include "config/config.h"
#include "config/relay_plan.h"
#include "config/uri_syntax.h"
#include "deploy/audience_nginx.h"
#include "deploy/relay_nginx.h"

namespace hallcast::app {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitRuntime = 1;
constexpr int kExitInvalid = 2;

// Writes `text` to `file` with `mode`, whatever the file's mode was before: the relay's
// configuration holds stream keys.
std::string write_file(const std::string& file, const std::string& text, mode_t mode) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) {
    return std::strerror(errno);
  }
  std::string error;
  if (::fchmod(fd, mode) != 0) {
    error = std::strerror(errno);
  }
  for (std::size_t done = 0; error.empty() && done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno != EINTR) {
      error = std::strerror(errno);
    } else if (n > 0) {
      done += static_cast<std::size_t>(n);
    }
  }
  if (::close(fd) != 0 && error.empty()) {
    error = std::strerror(errno);
  }
  return error;
}

}  // namespace

int deploy(const CommandLine& cl, std::ostream& out, std::ostream& err) {
  const bool relay = cl.deploy_target == "relay-nginx";
  auto complain = [&](const std::string& what) {
    err << "hallcast: " << escape_controls(what) << '\n';
    return kExitInvalid;
  };
  auto address = [&](const std::string& option, const std::string& text,
                     config::ListenAddress& into) -> bool {
    auto parsed = config::parse_listen_address(text);
    if (const auto* message = std::get_if<std::string>(&parsed)) {
      complain(option + ": " + *message);
      return false;
    }
    into = std::get<config::ListenAddress>(parsed);
    return true;
  };
  config::ListenAddress listen;
  if (!address("--listen", cl.listen, listen)) {
    return kExitInvalid;
  }
  if (relay && !cl.origin.empty()) {
    return complain("--origin is for audience-nginx");
  }
  if (!relay && !cl.allow.empty()) {
    return complain("--allow is for relay-nginx");
  }
  for (const auto& allowed : cl.allow) {
    if (const auto problem = deploy::check_allow(allowed); !problem.empty()) {
      return complain("--allow: " + problem);
    }
  }
  config::Config config;
  try {
    config = config::load_file(cl.config);
  } catch (const config::ConfigError& e) {
    for (const auto& problem : e.problems()) {
      out << escape_controls(problem.to_string()) << '\n';
    }
    return kExitInvalid;
  }

  std::string text;
  if (relay) {
    if (!config.relay) {
      return complain(cl.config + " has no \"relay\" section: relay-nginx configures the relay " +
                      "it names (docs/configuration.md)");
    }
    for (const std::size_t index : config::relay_unkeyed_outputs(config)) {
      const auto& output = config.outputs[index];
      err << "hallcast: outputs[" << index << "] (" << output.id << "): " << output.key_env
          << " is not set: the relay will not push it\n";
    }
    text = deploy::relay_nginx(config, listen, cl.allow, cl.config);
  } else {
    config::ListenAddress origin = deploy::audience_origin(config);
    if (!cl.origin.empty() && !address("--origin", cl.origin, origin)) {
      return kExitInvalid;
    }
    text = deploy::audience_nginx(listen, origin, cl.config);
  }
  if (cl.output_file.empty()) {
    out << text;
    out.flush();
    return kExitOk;
  }
  if (const auto error = write_file(cl.output_file, text, relay ? 0600 : 0644); !error.empty()) {
    err << "hallcast: cannot write " << escape_controls(cl.output_file) << ": " << error << '\n';
    return kExitRuntime;
  }
  return kExitOk;
}

}  // namespace hallcast::app
