// `hallcast`: parses the command line, loads the config, wires the layers together and
// runs until a stop signal (app/signals.h). The only place that exits the process.
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/cli.h"
#include "app/deploy_command.h"
#include "app/journal.h"
#include "app/log_lines.h"
#include "app/logging.h"
#include "app/restore.h"
#include "app/schedule.h"
#include "app/service_notifier.h"
#include "app/signals.h"
#include "app/summary.h"
#include "common/redactor.h"
#include "config/config.h"
#include "config/url_secrets.h"
#include "control/auth.h"
#include "control/obs/obs_server.h"
#include "control/server.h"
#include "engine/engine.h"
#include "show/live_state.h"
#include "store/state_file.h"
#include "store/state_writer.h"

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

// One line per problem, as tools read them: a control character in a value (a folder
// given on the command line, a message from GStreamer) is escaped, so that a newline
// cannot start a line that reads as a problem of its own.
void print_problems(const std::vector<config::Problem>& problems) {
  for (const auto& p : problems) {
    std::cout << app::escape_controls(p.to_string()) << '\n';
  }
  std::cout.flush();
}

common::Redactor collect_secrets(const config::Config& config) {
  common::Redactor redactor;
  for (const auto& secret : config::secrets(config)) {
    redactor.add(secret.reveal());
  }
  return redactor;
}

int check(const app::CommandLine& cl) {
  config::Config config;
  try {
    config = config::load_file(cl.config);
  } catch (const config::ConfigError& e) {
    print_problems(e.problems());
    return kExitInvalid;
  }
  common::Redactor redactor = collect_secrets(config);
  app::setup_logging("warn", redactor);
  std::vector<config::Problem> problems;
  auto schedule = app::build_schedule(config, problems);
  engine::Engine engine(config, {pipelines_dir(cl), {}, std::move(schedule)}, redactor);
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

// After a change, the state is written once things settle this long: a burst of
// changes (a fader dragged) costs one write, and a crash loses at most this much.
constexpr std::chrono::milliseconds kStateDebounce{250};

// How often the main loop looks for a signal or a failed programme.
constexpr std::chrono::milliseconds kMainLoopTurn{200};

// Leaving takes kStopBudget at most; a wedged engine thread cannot finish its part,
// and the process must still end in time (SPEC §1: 5 s) so that a supervisor can
// start it again.
constexpr std::chrono::milliseconds kStopDeadline{5000};

void leave_by_deadline() {
  std::thread([] {
    std::this_thread::sleep_for(kStopDeadline);
    spdlog::critical("could not stop within {} s; leaving as it is", kStopDeadline.count() / 1000);
    spdlog::default_logger()->flush();
    std::_Exit(kExitRuntime);
  }).detach();
}

int run(const app::CommandLine& cl) {
  // Before any thread exists, so that every thread inherits the mask.
  const app::StopSignals signals;
  config::Config config;
  try {
    config = config::load_file(cl.config);
  } catch (const config::ConfigError& e) {
    print_problems(e.problems());
    return kExitInvalid;
  }
  const auto now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(config::WallClock::now());
  if (auto error = app::rehearse(config, {cl.event_start, cl.first_cue_in}, now)) {
    std::cout << app::escape_controls(*error) << '\n';
    return kExitInvalid;
  }
  std::vector<config::Problem> problems;
  auto schedule = app::build_schedule(config, problems);
  if (!problems.empty()) {
    print_problems(problems);
    return kExitInvalid;
  }
  common::Redactor redactor = collect_secrets(config);
  app::setup_logging(cl.log_level, redactor);
  if (app::stderr_is_journal()) {
    app::use_journal_format(*spdlog::default_logger());
  }
  app::log_startup_summary(config);
  signals.log_exceptions();
  app::raise_file_limit();
  if (!cl.event_start.empty() || !cl.first_cue_in.empty()) {
    spdlog::warn("rehearsal: the schedule is moved; the event starts at {}",
                 config.event.start.empty() ? "(no start)" : config.event.start);
  }

  // Declared before the engine, whose heartbeat feeds it: it outlives the engine.
  app::ServiceNotifier notifier;
  engine::Engine engine(config, {pipelines_dir(cl), {}, std::move(schedule)}, redactor);
  std::atomic<bool> fatal{false};
  engine.on_fatal([&fatal](const std::string&) { fatal.store(true); });
  engine.on_heartbeat([&notifier](std::uint64_t frames) { notifier.heartbeat(frames); });

  // Nothing is touched on disk before the port is ours and the folders are locked: a
  // second hallcast for the same show stops here and changes nothing.
  std::optional<control::ControlServer> control;
  std::optional<control::obs::ObsServer> obs;
  std::vector<store::FolderLock> locks;
  try {
    // Before the engine starts: the servers listen to every event from the first.
    control::ServerOptions options{web_dir(cl), control::tokens_from_config(config.control),
                                   control::hls_folders(config)};
    options.watch = control::watch_page(config);
    control.emplace(config.control, std::move(options), engine, redactor);
    if (config.control.obs_websocket) {
      obs.emplace(
          config,
          control::obs::ObsOptions{config.control.obs_websocket->password, HALLCAST_VERSION},
          engine, redactor);
    }
  } catch (const control::ControlError& e) {
    spdlog::critical("cannot start the control server: {}", e.what());
    return kExitRuntime;
  }
  try {
    control->listen();
  } catch (const control::ControlError& e) {
    spdlog::critical("cannot start: {} (in use by another hallcast, or another program?)",
                     e.what());
    return kExitRuntime;
  }
  try {
    locks = app::lock_show_folders(config, cl.state_dir);
  } catch (const store::LockError& e) {
    spdlog::critical("cannot start: {}", e.what());
    return kExitRuntime;
  }

  const std::optional<show::LiveState> saved = store::load_state(cl.state_dir);
  store::StateWriter writer(std::filesystem::path(cl.state_dir) / store::kStateFileName,
                            kStateDebounce);
  engine.add_listener([doorbell = writer.doorbell()](const show::Event& event) {
    if (show::may_change_live_state(event)) {
      doorbell();
    }
  });
  std::optional<show::RestorePlan> plan;
  if (saved) {
    plan = show::plan_restore(*saved, config);
    engine.restore_cues(plan->cues);
  }
  try {
    // A restored show starts its destinations itself: those that ran, not those the
    // config enables.
    engine.start(saved ? engine::Engine::Destinations::none
                       : engine::Engine::Destinations::enabled);
  } catch (const engine::StartupError& e) {
    for (const auto& p : e.problems()) {
      spdlog::critical("cannot start: {}", p.to_string());
    }
    return kExitRuntime;
  }
  if (plan) {
    app::replay(engine, *plan);
  }
  writer.start([&engine, &config] { return show::live_state(*engine.snapshot(), config); }, saved);
  control->start();  // bound already: serves, the show as restored
  if (obs) {
    try {
      obs->start();
    } catch (const control::ControlError& e) {
      spdlog::critical("cannot start the obs-websocket listener: {}", e.what());
      notifier.stopping();
      writer.stop();
      control->stop();
      engine.stop(kStopBudget);
      return kExitRuntime;
    }
  }
  notifier.start();

  int exit_code = kExitOk;
  for (;;) {
    if (const int signal = signals.wait(kMainLoopTurn)) {
      spdlog::info("{}: leaving the air", app::signal_name(signal));
      break;
    }
    if (fatal.load()) {
      spdlog::critical("the programme failed; stopping");
      exit_code = kExitRuntime;
      break;
    }
  }
  leave_by_deadline();
  notifier.stopping();
  // The state stays as the operators left it: destinations that ran come back after a
  // restart, rather than all being saved as stopped by the stop itself.
  writer.stop();
  if (obs) {
    obs->stop();
  }
  control->stop();
  engine.stop(kStopBudget);
  spdlog::info("stopped");
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
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
    case app::CommandLine::Action::deploy:
      return app::deploy(*cl, std::cout, std::cerr);
    case app::CommandLine::Action::run:
      try {
        return run(*cl);
      } catch (const std::exception& e) {
        spdlog::critical("{}", e.what());
        return kExitRuntime;
      }
  }
  return kExitRuntime;
}
