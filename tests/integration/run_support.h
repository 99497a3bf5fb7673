// What the end-to-end tests of `hallcast run` share: a small config to build on, the
// outputs they add, reading the recordings folder and /metrics, and a fixture that
// runs the program in a scratch folder, lets it run until it has done enough, and
// stops it with a signal.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "support/nginx_rtmp.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace hallcast::testing {

inline const std::string kBinary = HALLCAST_BINARY;

// Distinctive values, so finding one in the logs cannot be a coincidence.
inline constexpr const char* kKeyA = "sk-a-7f3e9c1d";
inline constexpr const char* kKeyB = "sk-b-2b8d4e6a";
inline constexpr const char* kToken = "tok-5c1a9f0e3d";

// SPEC §1 allows 5 s for a clean stop; waiting a little longer tells "slow" from "hung".
inline constexpr std::chrono::seconds kStopLimit{5};
inline constexpr std::chrono::seconds kStopWait{8};

std::vector<std::string> lines_of(const std::string& text);
int count_lines_starting_with(const std::string& text, const std::string& prefix);
// Lines of `text` holding every one of `fragments`.
int count_lines_with(const std::string& text, const std::vector<std::string>& fragments);
std::string tail(const std::string& text, size_t length = 20000);
void write_text(const std::filesystem::path& path, const std::string& text);
std::string read_text(const std::filesystem::path& path);

// A small programme: 320x180 test picture and a tone, no interpretation, no overlays.
nlohmann::json base_config(int control_port);
nlohmann::json rtmp_output(const std::string& id, const std::string& url,
                           const std::string& key_env);
nlohmann::json record_output(const std::filesystem::path& folder);

// The recordings in `folder` (Matroska or MPEG-TS), in name order: oldest first.
std::vector<std::filesystem::path> find_recordings(const std::filesystem::path& folder);
std::string list_folder(const std::filesystem::path& folder);

// The value of one sample (`name{labels}` exactly as the program writes it) in a
// Prometheus text page; -1 when the page has no such sample.
double metric(const std::string& page, const std::string& sample);

// Video packets of a recording still being written, as far as they reached the file.
std::size_t video_packets_in(const std::filesystem::path& file);

class ShowRunTest : public ::testing::Test {
 protected:
  void TearDown() override;

  NginxRtmp& start_nginx();
  std::filesystem::path record_dir();
  const std::filesystem::path& work() const { return work_.path(); }

  // Runs `hallcast run` on `config` in the work folder (written to hallcast.json),
  // logging at debug level so that the secret checks see everything the program can
  // print; `extra` goes on the command line, which runs behind `wrapper` if any. A
  // program already running is dropped (SIGKILL if still running), its output kept for
  // the failure report.
  void start(const nlohmann::json& config, const Environment& env,
             const std::vector<std::string>& extra = {},
             const std::vector<std::string>& wrapper = {});
  // The command line start() runs.
  std::vector<std::string> command(const std::vector<std::string>& extra = {}) const;

  // Lets the program run for `duration`; fails as soon as it exits on its own.
  ::testing::AssertionResult keep_running(std::chrono::milliseconds duration);
  // Lets the program run until its /metrics count `frames` encoded programme frames
  // (for at most `limit`), so that a test sees as much programme on a loaded machine as
  // on an idle one.
  ::testing::AssertionResult run_until_encoded(int control_port, double frames,
                                               std::chrono::seconds limit);
  // Lets the program run until the recording in record_dir() holds `packets` video
  // packets on disk (for at most `limit`): what a crash leaves, it has.
  ::testing::AssertionResult run_until_recorded(std::size_t packets, std::chrono::seconds limit);

  // Sends `signal` and waits; the exit code is empty if the program is still running.
  struct Stop {
    std::optional<int> exit_code;
    std::chrono::milliseconds took{};
  };
  Stop stop_with(int signal);
  // SIGINT: the operator's Ctrl-C. SPEC §1: exit 0 within 5 s.
  void expect_clean_stop();

  // The one recording of the "rec" output.
  std::filesystem::path the_recording();

  // Declaration order is destruction order reversed: the program goes first, then
  // nginx, then the folder both wrote into.
  TempDir work_{"hallcast-run"};
  std::optional<NginxRtmp> nginx_;
  std::string earlier_output_;  // of programs start() replaced
  std::unique_ptr<ChildProcess> program_;
};

}  // namespace hallcast::testing
