// Signals: whatever signal ends `hallcast run` (a closed terminal's SIGHUP, SIGQUIT, …),
// it ends it cleanly, with the recording finalised; and `hallcast check` never waits on a
// pipe.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <nlohmann/json.hpp>
#include <regex>

#include "integration/run_support.h"
#include "support/media_probe.h"
#include "support/ports.h"

namespace hallcast::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class StopSignalTest : public ShowRunTest, public ::testing::WithParamInterface<int> {};

TEST_P(StopSignalTest, EndsTheShowCleanlyWithTheRecordingFinalised) {
  const int port = free_loopback_port();
  json config = base_config(port);
  config["outputs"] = json::array({record_output(record_dir())});
  ASSERT_NO_FATAL_FAILURE(start(config, {{"HALLCAST_TEST_TOKEN", kToken}}));
  ASSERT_TRUE(run_until_recorded(30, 30s));

  const Stop stop = stop_with(GetParam());
  ASSERT_TRUE(stop.exit_code.has_value()) << "still running after " << strsignal(GetParam());
  EXPECT_EQ(*stop.exit_code, 0);
  EXPECT_LE(stop.took, kStopLimit);

  // A finalised Matroska file states its duration; one cut short does not.
  const auto recording = the_recording();
  ASSERT_FALSE(recording.empty());
  const MediaInfo info = probe(recording);
  EXPECT_TRUE(info.duration_stated) << recording;
  EXPECT_GE(info.duration_s, 1.0);
  const DecodeReport decoded = decode_check(recording);
  EXPECT_TRUE(decoded.ok) << decoded.errors;
  EXPECT_GE(decoded.video_frames, 30);
}

INSTANTIATE_TEST_SUITE_P(Signals, StopSignalTest, ::testing::Values(SIGHUP, SIGQUIT, SIGUSR1),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(sigabbrev_np(info.param));
                         });

// The soft limit on open files, as /proc shows it for `pid`, and the hard one.
std::pair<long, long> open_files_limits(pid_t pid) {
  const std::string limits = read_text("/proc/" + std::to_string(pid) + "/limits");
  std::smatch match;
  if (!std::regex_search(limits, match, std::regex(R"(Max open files\s+(\d+)\s+(\d+))"))) {
    return {-1, -1};
  }
  return {std::stol(match[1]), std::stol(match[2])};
}

class OpenFilesTest : public ShowRunTest {};

TEST_F(OpenFilesTest, TheSoftLimitIsRaisedToTheHardOne) {
  const int port = free_loopback_port();
  ASSERT_NO_FATAL_FAILURE(start(base_config(port), {{"HALLCAST_TEST_TOKEN", kToken}}, {},
                                {"sh", "-c", "ulimit -Sn 256 && exec \"$@\"", "sh"}));
  ASSERT_TRUE(run_until_encoded(port, 1, 30s));
  const auto [soft, hard] = open_files_limits(program_->pid());
  EXPECT_GT(hard, 256);
  EXPECT_EQ(soft, hard);
  EXPECT_EQ(count_lines_with(program_->output(), {"open files", "was 256"}), 1);
  ASSERT_NO_FATAL_FAILURE(expect_clean_stop());
}

// A pipe nobody writes to: `check` would wait in open(2) for a writer that never
// comes, so it refuses the pipe at once.
TEST(CheckPipeTest, CheckRefusesAPipeWithoutWaitingForAWriter) {
  TempDir work;
  const auto fifo = work.path() / "config.json";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0) << std::strerror(errno);
  ChildProcess check({kBinary, "check", "--config", fifo.string()});

  const auto code = check.wait_for_exit(30s);
  ASSERT_TRUE(code.has_value()) << "check waits for a writer\n" << check.output();
  EXPECT_EQ(*code, 2);
  EXPECT_NE(check.output().find("a FIFO, not a file"), std::string::npos) << check.output();
}

}  // namespace
}  // namespace hallcast::testing
