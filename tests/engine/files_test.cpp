// Destinations that write files: a recording that cannot open its file (no descriptor
// left) tries again like a network destination and comes back once descriptors are
// free, never claiming to be live while nothing reaches the disk; HLS removes only what
// it wrote from a folder that holds other things. (A full disk: tests/integration.)
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "engine_show.h"
#include "support/media_probe.h"
#include "support/show_configs.h"
#include "support/temp_dir.h"

namespace hallcast::engine {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using show::OutputState;

config::Config small_show() {
  config::Config c;
  c.event.title = "files";
  c.video.width = 320;
  c.video.height = 180;
  c.video.bitrate_kbps = 300;
  c.video.keyframe_interval_s = 1;
  c.sources = {
      {"cam", config::SourceKind::video, "", config::TestVideoUri{"ball"}, "Cam", ""},
      {"mic", config::SourceKind::audio, "", config::TestAudioUri{440, 0.3, 0, 0}, "Mic", ""},
      {"booth-en", config::SourceKind::interpretation, "", config::TestAudioUri{1000, 0.3, 0, 0},
       "EN", "en"},
  };
  c.scenes = {{"wide", "Wide", {{"cam", 0, 0, 1, 1}}}};
  return c;
}

std::vector<std::filesystem::path> files_in(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file()) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string listing(const std::filesystem::path& folder) {
  std::ostringstream text;
  for (const auto& file : files_in(folder)) {
    text << "  " << file.string() << " " << std::filesystem::file_size(file) << " bytes\n";
  }
  return text.str();
}

int empty_files_in(const std::filesystem::path& folder) {
  int empty = 0;
  for (const auto& file : files_in(folder)) {
    empty += std::filesystem::file_size(file) == 0;
  }
  return empty;
}

// Takes every file descriptor this process may still open (its soft limit lowered to a
// little above what is open now, so that takes few), until released.
class DescriptorHog {
 public:
  DescriptorHog() {
    getrlimit(RLIMIT_NOFILE, &saved_);
    rlim_t open_now = 0;
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::directory_iterator("/proc/self/fd")) {
      ++open_now;
    }
    rlimit low = saved_;
    low.rlim_cur = std::min<rlim_t>(saved_.rlim_cur, open_now + 64);
    setrlimit(RLIMIT_NOFILE, &low);
    for (;;) {
      const int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        break;
      }
      fds_.push_back(fd);
    }
  }
  ~DescriptorHog() { release(); }

  void release() {
    for (const int fd : fds_) {
      close(fd);
    }
    fds_.clear();
    setrlimit(RLIMIT_NOFILE, &saved_);
  }
  std::size_t held() const { return fds_.size(); }

 private:
  rlimit saved_{};
  std::vector<int> fds_;
};

TEST(Files, ARecordingWithNoDescriptorLeftTriesAgainAndComesBackOnceThereAre) {
  testing::TempDir dir("hallcast-files");
  auto config = small_show();
  config.outputs = {testing::record_output(dir.path())};
  testing::EngineShow show(std::move(config));
  show.start();
  ASSERT_TRUE(show.wait_for({"rec"}, OutputState::live, 8s)) << show.history();
  ASSERT_TRUE(show.run(show::OutputStop{"rec"}).ok());
  const auto before = files_in(dir.path());
  ASSERT_EQ(before.size(), 1u) << listing(dir.path());

  // Built and playing, its file not open yet (that waits for a whole GOP) when the
  // descriptors run out; every attempt after that cannot even read its template.
  ASSERT_TRUE(show.run(show::OutputStart{"rec"}).ok());
  std::optional<DescriptorHog> hog(std::in_place);
  ASSERT_GT(hog->held(), 0u);
  const auto hogged = Clock::now();
  // It fails, says why, and tries again after a wait, again and again.
  const auto tried = show.wait_until(
      {"rec"},
      [](const show::OutputStatus& s) {
        return s.state == OutputState::reconnecting && s.reconnects >= 2;
      },
      10s);
  const auto status = show.output("rec");
  hog->release();
  const auto released = Clock::now();
  ASSERT_TRUE(tried) << show.history();
  std::cerr << "[          ] with no descriptor left:\n" << show.history();
  // Whichever step ran out of descriptors — opening the file, or building the next
  // attempt — the reason says so.
  const auto says_why = [](const std::string& error) {
    return error.find("Too many open files") != std::string::npos ||
           error.find("no file descriptor left") != std::string::npos;
  };
  bool failed = false;
  for (const auto& change : show.changes_of("rec")) {
    if (change.at >= hogged && change.at < released && change.state == OutputState::reconnecting) {
      failed = true;
      EXPECT_TRUE(says_why(change.last_error)) << change.last_error;
    }
  }
  EXPECT_TRUE(failed) << show.history();
  EXPECT_TRUE(says_why(status.last_error)) << status.last_error;
  for (const auto state : show.states_entered("rec", hogged, released)) {
    EXPECT_NE(state, OutputState::live) << "live while nothing could be written\n"
                                        << show.history();
  }

  // Descriptors free again: back on the air by itself, writing a new file (and none
  // left behind by the attempts that failed).
  const auto back = show.wait_for({"rec"}, OutputState::live, 10s);
  ASSERT_TRUE(back) << show.history();
  std::cerr << "[          ] live again " << testing::seconds_of(Clock::now() - released)
            << " s after descriptors were free\n";
  std::this_thread::sleep_for(1500ms);
  show.stop();
  const auto after = files_in(dir.path());
  ASSERT_EQ(after.size(), 2u) << listing(dir.path());
  EXPECT_EQ(empty_files_in(dir.path()), 0) << listing(dir.path());
  const auto decoded = testing::decode_check(after.back());
  EXPECT_TRUE(decoded.ok) << decoded.errors;
  EXPECT_GE(decoded.video_frames, 30);
}

void write_text(const std::filesystem::path& file, const std::string& text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(Files, HlsRemovesOnlyWhatItWroteFromAFolderHoldingOtherThings) {
  testing::TempDir dir("hallcast-files");
  const auto site = dir.path() / "site";
  // Someone's files, one of them in a folder named like a rendition…
  const std::map<std::filesystem::path, std::string> theirs = {
      {site / "config.json", R"({"player": "hls.js"})"},
      {site / "video" / "notes.txt", "camera notes"},
      {site / "audio-en" / "cover.jpg", "not really a picture"},
  };
  for (const auto& [file, text] : theirs) {
    write_text(file, text);
  }
  // …and what an earlier session of this output left.
  write_text(site / "video" / "segment00042.ts", "an old segment");
  write_text(site / "audio-floor" / "index.m3u8", "#EXTM3U\n#old\n");

  auto config = small_show();
  config::Output hls;
  hls.id = "web";
  hls.name = "web";
  hls.type = config::OutputType::hls;
  hls.path = site.string();
  hls.segment_s = 1;
  config.outputs = {hls};
  testing::EngineShow show(std::move(config));
  show.start();
  ASSERT_TRUE(show.wait_for({"web"}, OutputState::live, 8s)) << show.history();
  // A segment of every rendition written and listed.
  const auto deadline = Clock::now() + 8s;
  while (Clock::now() < deadline &&
         read_text(site / "audio-floor" / "index.m3u8").find("-00000.ts") == std::string::npos) {
    std::this_thread::sleep_for(100ms);
  }
  show.stop();

  for (const auto& [file, text] : theirs) {
    EXPECT_EQ(read_text(file), text) << file << "\n" << listing(site);
  }
  EXPECT_FALSE(std::filesystem::exists(site / "video" / "segment00042.ts")) << listing(site);
  // Each attempt's segments carry its stamp: segment<ms>-00000.ts, …
  const std::string playlist = read_text(site / "audio-floor" / "index.m3u8");
  EXPECT_TRUE(std::regex_search(playlist, std::regex(R"(segment\d{13}-00000\.ts)"))) << playlist;
  EXPECT_TRUE(std::filesystem::exists(site / "master.m3u8"));
  bool first_video_segment = false;
  for (const auto& entry : std::filesystem::directory_iterator(site / "video")) {
    first_video_segment =
        first_video_segment || std::regex_match(entry.path().filename().string(),
                                                std::regex(R"(segment\d{13}-00000\.ts)"));
  }
  EXPECT_TRUE(first_video_segment) << listing(site);
}

}  // namespace
}  // namespace hallcast::engine
