// One hallcast per show: a second one started for the same show (the same control
// port, or the same state, recording or HLS folders) exits 1 with a clear message and
// touches nothing the running show wrote.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "integration/run_support.h"
#include "support/ports.h"

namespace hallcast::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// Every file under `folder` with its size.
std::map<std::filesystem::path, std::uintmax_t> files_under(const std::filesystem::path& folder) {
  std::map<std::filesystem::path, std::uintmax_t> files;
  std::error_code error;
  for (std::filesystem::recursive_directory_iterator it(folder, error), end; !error && it != end;
       it.increment(error)) {
    if (it->is_regular_file()) {
      files[it->path()] = it->file_size();
    }
  }
  return files;
}

bool has_segment(const std::filesystem::path& folder) {
  for (const auto& [file, size] : files_under(folder)) {
    if (file.extension() == ".ts" && size > 0) {
      return true;
    }
  }
  return false;
}

class InstanceTest : public ShowRunTest {};

TEST_F(InstanceTest, ASecondHallcastForTheSameShowExitsAndTouchesNothing) {
  const int port = free_loopback_port();
  const auto hls = work() / "hls";
  json config = base_config(port);
  config["outputs"] =
      json::array({record_output(record_dir()),
                   {{"id", "hls"}, {"type", "hls"}, {"path", hls.string()}, {"segment_s", 2}}});
  const Environment env{{"HALLCAST_TEST_TOKEN", kToken}};
  ASSERT_NO_FATAL_FAILURE(start(config, env));
  // The first show has written segments and a recording (and its state, by then).
  const auto deadline = Clock::now() + 30s;
  while (!(has_segment(hls) && !find_recordings(record_dir()).empty()) && Clock::now() < deadline) {
    ASSERT_TRUE(keep_running(100ms));
  }
  ASSERT_TRUE(has_segment(hls)) << list_folder(hls);
  const auto before = files_under(work());

  // The same command in the same folder: the port is taken.
  const CommandResult same = run_command(command(), 30s, env, work());
  EXPECT_EQ(same.exit_code, 1) << same.output;
  EXPECT_EQ(count_lines_with(same.output, {"another hallcast"}), 1) << same.output;

  // Another port and another state folder, but the same recording and HLS folders.
  json other = config;
  other["control"]["listen"] = "127.0.0.1:" + std::to_string(free_loopback_port());
  ASSERT_NO_FATAL_FAILURE(write_text(work() / "other.json", other.dump(2)));
  const CommandResult folders = run_command(
      {kBinary, "run", "--config", (work() / "other.json").string(), "--state-dir", "other-state"},
      30s, env, work());
  EXPECT_EQ(folders.exit_code, 1) << folders.output;
  EXPECT_EQ(count_lines_with(folders.output, {"in use by another hallcast", "process"}), 1)
      << folders.output;

  // Nothing of the running show was removed or replaced: each file is still there, and
  // at least as long as it was (the running show goes on writing; it rewrites only its
  // playlists, and keeps its segments far longer than this test takes).
  const auto after = files_under(work());
  for (const auto& [file, size] : before) {
    const auto now = after.find(file);
    ASSERT_NE(now, after.end()) << file << " was removed";
    if (file.extension() != ".m3u8") {
      EXPECT_GE(now->second, size) << file;
    }
  }
  EXPECT_EQ(find_recordings(record_dir()).size(), 1u) << list_folder(record_dir());
  ASSERT_TRUE(keep_running(100ms));
  ASSERT_NO_FATAL_FAILURE(expect_clean_stop());
}

}  // namespace
}  // namespace hallcast::testing
