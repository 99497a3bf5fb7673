// Building a pipeline can fail for reasons the config validator cannot see (a missing
// plugin, a template with a typo). Such a failure names the config value it belongs
// to, so `hallcast check` reports it like any other config problem.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "config/config.h"

namespace hallcast::engine {

class BuildError : public std::runtime_error {
 public:
  BuildError(std::string path, const std::string& message)
      : std::runtime_error(message), path_(std::move(path)) {}
  const std::string& path() const { return path_; }
  config::Problem problem() const { return {path_, what()}; }

 private:
  std::string path_;
};

// Thrown by Engine::start when the show cannot go on the air at all.
class StartupError : public std::runtime_error {
 public:
  explicit StartupError(std::vector<config::Problem> problems);
  const std::vector<config::Problem>& problems() const { return problems_; }

 private:
  std::vector<config::Problem> problems_;
};

}  // namespace hallcast::engine
