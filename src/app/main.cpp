// `hallcast`: parses the command line, loads the config, wires the layers together and
// runs until SIGINT/SIGTERM. The only place that exits the process.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "app/cli.h"
#include "app/logging.h"
#include "app/summary.h"
#include "common/redactor.h"
#include "config/config.h"
#include "control/auth.h"
#include "control/obs/obs_server.h"
#include "control/server.h"
#include "engine/engine.h"

namespace {

using namespace hallcast;

constexpr int kExitOk = 0;
constexpr int kExitRuntime = 1;
constexpr int kExitInvalid = 2;

// SPEC §1: stop within 5 s of the signal. The engine gets most of it; the rest is for
// tearing down and exiting.
constexpr std::chrono::milliseconds kStopBudget{4000};

std::filesystem::path pipelines_dir(const app::CommandLine& cl) {
  if (!cl.pipelines.empty()) {
    return cl.pipelines;
  }
  return std::filesystem::path(HALLCAST_DATA_DIR) / "pipelines";
}

std::filesystem::path web_dir(const app::CommandLine& cl) {
  if (!cl.web.empty()) {
    return cl.web;
  }
  return std::filesystem::path(HALLCAST_DATA_DIR) / "web";
}

void print_problems(const std::vector<config::Problem>& problems) {
  for (const auto& p : problems) {
    std::cout << p.to_string() << '\n';
  }
  std::cout.flush();
}

common::Redactor collect_secrets(const config::Config& config, const control::Tokens& tokens,
                                 const config::Secret& obs_password) {
  common::Redactor redactor;
  redactor.add(obs_password.reveal());
  for (const auto& output : config.outputs) {
    redactor.add(engine::resolve_key(output));
  }
  redactor.add(tokens.operator_token.reveal());
  redactor.add(tokens.viewer_token.reveal());
  return redactor;
}

// The obs-websocket password, read from its variable now; empty without a listener.
config::Secret obs_websocket_password(const config::Config& config) {
  return config.control.obs_websocket
             ? control::obs::password_from_environment(*config.control.obs_websocket)
             : config::Secret();
}

int check(const app::CommandLine& cl) {
  config::Config config;
  try {
    config = config::load_file(cl.config);
  } catch (const config::ConfigError& e) {
    print_problems(e.problems());
    return kExitInvalid;
  }
  const config::Secret obs_password = obs_websocket_password(config);
  common::Redactor redactor =
      collect_secrets(config, control::tokens_from_environment(config.control), obs_password);
  app::setup_logging("warn", redactor);
  engine::Engine engine(config, {pipelines_dir(cl)}, redactor);
  auto problems = control::obs::check_listener(config.control, obs_password);
  for (auto& problem : engine.check()) {
    problems.push_back(std::move(problem));
  }
  if (!problems.empty()) {
    print_problems(problems);
    return kExitInvalid;
  }
  std::cout << cl.config << ": valid\n";
  return kExitOk;
}

int run(const app::CommandLine& cl, const sigset_t& stop_signals) {
  config::Config config;
  try {
    config = config::load_file(cl.config);
  } catch (const config::ConfigError& e) {
    print_problems(e.problems());
    return kExitInvalid;
  }
  control::Tokens tokens = control::tokens_from_environment(config.control);
  config::Secret obs_password = obs_websocket_password(config);
  common::Redactor redactor = collect_secrets(config, tokens, obs_password);
  app::setup_logging(cl.log_level, redactor);
  app::log_startup_summary(config);

  engine::Engine engine(config, {pipelines_dir(cl)}, redactor);
  std::atomic<bool> fatal{false};
  engine.on_fatal([&fatal](const std::string&) { fatal.store(true); });
  std::optional<control::ControlServer> control;
  std::optional<control::obs::ObsServer> obs;
  try {
    // Before the engine starts: the servers listen to every event from the first.
    control::ServerOptions options{web_dir(cl), std::move(tokens), control::hls_folders(config)};
    options.watch = control::watch_page(config);
    control.emplace(config.control, std::move(options), engine, redactor);
    if (config.control.obs_websocket) {
      obs.emplace(config, control::obs::ObsOptions{std::move(obs_password), HALLCAST_VERSION},
                  engine, redactor);
    }
    engine.start();
    control->start();
    if (obs) {
      obs->start();
    }
  } catch (const engine::StartupError& e) {
    for (const auto& p : e.problems()) {
      spdlog::critical("cannot start: {}", p.to_string());
    }
    return kExitRuntime;
  } catch (const control::ControlError& e) {
    spdlog::critical("cannot start the control server: {}", e.what());
    engine.stop(kStopBudget);
    return kExitRuntime;
  }

  for (;;) {
    const timespec poll{0, 200'000'000};
    const int signal = sigtimedwait(&stop_signals, nullptr, &poll);
    if (signal > 0) {
      spdlog::info("signal {}: leaving the air", signal == SIGINT ? "SIGINT" : "SIGTERM");
      break;
    }
    if (fatal.load()) {
      spdlog::critical("the programme failed; stopping");
      if (obs) {
        obs->stop();
      }
      control->stop();
      engine.stop(kStopBudget);
      return kExitRuntime;
    }
  }
  if (obs) {
    obs->stop();
  }
  control->stop();
  engine.stop(kStopBudget);
  spdlog::info("stopped");
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  // Block the stop signals before any thread exists, so that every thread inherits the
  // mask and only the main loop below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::vector<std::string> args(argv + 1, argv + argc);
  std::string error;
  const auto cl = app::parse_command_line(args, error);
  if (!cl) {
    std::cerr << "hallcast: " << error << "\n" << app::usage();
    return kExitInvalid;
  }
  switch (cl->action) {
    case app::CommandLine::Action::version:
      std::cout << "hallcast " << HALLCAST_VERSION << '\n';
      return kExitOk;
    case app::CommandLine::Action::help:
      std::cout << app::usage();
      return kExitOk;
    case app::CommandLine::Action::check:
      return check(*cl);
    case app::CommandLine::Action::run:
      try {
        return run(*cl, stop_signals);
      } catch (const std::exception& e) {
        spdlog::critical("{}", e.what());
        return kExitRuntime;
      }
  }
  return kExitRuntime;
}
