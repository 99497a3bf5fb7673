// hallcast under systemd (deploy/hallcast.service, Type=notify, WatchdogSec=), without
// systemd: the test plays the service manager with a notify socket of its own
// (NOTIFY_SOCKET, WATCHDOG_USEC, WATCHDOG_PID) and a journal stream (JOURNAL_STREAM),
// and checks what hallcast tells it: READY=1 once the programme runs, WATCHDOG=1 while
// it keeps running and never once the engine thread is wedged, STOPPING=1 on the way
// out; and log lines the journal can sort by priority.
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <nlohmann/json.hpp>
#include <regex>

#include "integration/run_support.h"
#include "support/notify_socket.h"
#include "support/ports.h"
#include "support/thread_freeze.h"
#include "support/ws_client.h"

namespace hallcast::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// What systemd sets: the watchdog's period, the process it is for (the shell's pid,
// which `exec` hands on to hallcast), and the journal stream stderr is connected to.
const std::vector<std::string> kUnderSystemd{
    "sh", "-c",
    "WATCHDOG_PID=$$ JOURNAL_STREAM=$(stat -L -c %d:%i /proc/$$/fd/2) && "
    "export WATCHDOG_PID JOURNAL_STREAM && exec \"$@\"",
    "sh"};

class SystemdTest : public ShowRunTest {
 protected:
  Environment environment() const {
    return {{"HALLCAST_TEST_TOKEN", kToken},
            {"NOTIFY_SOCKET", notify_.path()},
            {"WATCHDOG_USEC", "1000000"}};
  }

  // The next message, skipping none; fails the test on a timeout.
  std::optional<NotifySocket::Message> next(std::chrono::milliseconds timeout) {
    return notify_.receive(timeout);
  }

  // Waits for READY=1; every message before it goes to `before`.
  ::testing::AssertionResult wait_ready(std::vector<std::string>& before) {
    const auto deadline = Clock::now() + 30s;
    while (Clock::now() < deadline) {
      const auto message = next(500ms);
      if (!message) {
        if (!program_->running()) {
          return ::testing::AssertionFailure() << "hallcast ended before READY=1";
        }
        continue;
      }
      if (message->text.find("READY=1") != std::string::npos) {
        return ::testing::AssertionSuccess();
      }
      before.push_back(message->text);
    }
    return ::testing::AssertionFailure() << "no READY=1 within 30 s";
  }

  // WATCHDOG=1 pings over `span`: how many, and the longest gap between two.
  struct Pings {
    int count = 0;
    std::chrono::milliseconds longest_gap{0};
  };
  Pings pings_over(std::chrono::milliseconds span) {
    Pings pings;
    auto last = Clock::now();
    const auto end = last + span;
    while (Clock::now() < end) {
      const auto message = next(std::chrono::duration_cast<std::chrono::milliseconds>(
          std::max(end - Clock::now(), Clock::duration(1ms))));
      if (message && message->text == "WATCHDOG=1") {
        ++pings.count;
        pings.longest_gap =
            std::max(pings.longest_gap,
                     std::chrono::duration_cast<std::chrono::milliseconds>(message->at - last));
        last = message->at;
      }
    }
    return pings;
  }

  NotifySocket notify_;
};

TEST_F(SystemdTest, ReadyOnceOnTheAirThenWatchdogPingsThenStopping) {
  const int port = free_loopback_port();
  json config = base_config(port);
  config["outputs"] = json::array({record_output(record_dir())});
  ASSERT_NO_FATAL_FAILURE(start(config, environment(), {}, kUnderSystemd));

  std::vector<std::string> before;
  ASSERT_TRUE(wait_ready(before));
  // Nothing before it (no ping for a show not yet on the air), and by then frames are
  // encoded and the panel answers.
  EXPECT_TRUE(before.empty()) << before.front();
  const HttpResponse metrics =
      http_get(port, "/metrics", {"Authorization: Bearer " + std::string(kToken)});
  ASSERT_EQ(metrics.status, 200);
  EXPECT_GE(metric(metrics.body, "hallcast_frames_encoded_total"), 1.0);

  // WATCHDOG_USEC is 1 s: pings well within it.
  const Pings pings = pings_over(3s);
  EXPECT_GE(pings.count, 6);
  EXPECT_LT(pings.longest_gap, 1000ms);

  program_->send_signal(SIGTERM);
  bool stopping = false;
  while (const auto message = next(kStopWait)) {
    if (message->text.find("STOPPING=1") != std::string::npos) {
      stopping = true;
      break;
    }
  }
  EXPECT_TRUE(stopping);
  EXPECT_EQ(program_->wait_for_exit(kStopWait), 0);

  // stderr is the journal's: each line starts with its syslog priority, which journald
  // takes and strips, and carries no timestamp of its own (the journal stamps it).
  const auto lines = lines_of(program_->output());
  ASSERT_FALSE(lines.empty());
  const std::regex journal_line(R"(^<[0-7]>\S.*)");
  for (const auto& line : lines) {
    EXPECT_TRUE(std::regex_match(line, journal_line)) << line;
  }
  EXPECT_GE(count_lines_with(program_->output(), {"<6>", "systemd: ready"}), 1);
}

// The engine thread stopped by the test (ptrace, support/thread_freeze.h), as a
// GStreamer call that never returns would stop it, while every other thread runs on.
TEST_F(SystemdTest, PingsStopWhenTheEngineThreadIsWedged) {
  const int port = free_loopback_port();
  ASSERT_NO_FATAL_FAILURE(start(base_config(port), environment(), {}, kUnderSystemd));
  std::vector<std::string> before;
  ASSERT_TRUE(wait_ready(before));
  EXPECT_GE(pings_over(2s).count, 4);

  const ThreadFreeze wedge(program_->pid(), "engine");
  ASSERT_TRUE(wedge.ok()) << wedge.error();
  // The pings stop: a silence of 4 s (the watchdog is 1 s) within 20 s.
  bool stopped = false;
  const auto deadline = Clock::now() + 20s;
  while (!stopped && Clock::now() < deadline) {
    const auto message = next(4s);
    stopped = !message.has_value();
  }
  EXPECT_TRUE(stopped) << "the pings went on";
  EXPECT_EQ(count_lines_with(program_->output(), {"no more pings"}), 1);
  // The control server still answers: only the engine thread is stuck.
  EXPECT_EQ(http_get(port, "/healthz").status, 200);

  // Asked to stop, a wedged hallcast still leaves within its deadline, with exit 1.
  const Stop stop = stop_with(SIGTERM);
  ASSERT_TRUE(stop.exit_code.has_value()) << "still running after SIGTERM";
  EXPECT_EQ(*stop.exit_code, 1);
}

// The unit file, checked by systemd's own reader (no running systemd needed), with
// ExecStart pointing at the hallcast just built.
TEST(SystemdUnitTest, VerifiesWithSystemdAnalyze) {
  const CommandResult which = run_command({"sh", "-c", "command -v systemd-analyze"}, 10s);
  if (which.exit_code != 0) {
    GTEST_SKIP() << "systemd-analyze is not installed (Debian: systemd)";
  }
  const std::filesystem::path unit_file =
      std::filesystem::path(HALLCAST_SOURCE_DIR) / "deploy" / "hallcast.service";
  std::string unit = read_text(unit_file);
  ASSERT_FALSE(unit.empty()) << unit_file;
  const std::regex exec_start(R"(ExecStart=(\S+))");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(unit, match, exec_start));
  unit.replace(static_cast<std::size_t>(match.position(1)),
               static_cast<std::size_t>(match.length(1)), kBinary);
  TempDir dir;
  ASSERT_NO_FATAL_FAILURE(write_text(dir.path() / "hallcast.service", unit));

  const CommandResult verify =
      run_command({"systemd-analyze", "verify", (dir.path() / "hallcast.service").string()}, 60s);
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  // Anything it says about this unit is a problem.
  EXPECT_EQ(count_lines_with(verify.output, {"hallcast.service"}), 0) << verify.output;
}

}  // namespace
}  // namespace hallcast::testing
