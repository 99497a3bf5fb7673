// Language tracks on the decoded recording: the floor is ducked under the booth while
// it speaks and comes back to full level while it is silent; the floor track itself
// is never ducked. Tones tell the sources apart (floor 440 Hz, booth 1000 Hz).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "support/audio_tones.h"
#include "support/show_configs.h"
#include "support/temp_dir.h"

namespace hallcast::engine {
namespace {

using namespace std::chrono_literals;
using testing::median;
using testing::tone_db;
constexpr int kRate = testing::kToneRate;

config::Config booth_show(const std::filesystem::path& record_dir) {
  config::Config c;
  c.video.width = 320;
  c.video.height = 180;
  c.video.bitrate_kbps = 300;
  c.video.keyframe_interval_s = 1;
  c.sources = {
      {"cam1", config::SourceKind::video, "", config::TestVideoUri{"black"}, "Cam", ""},
      {"mic1", config::SourceKind::audio, "", config::TestAudioUri{440, 0.2, 0, 0}, "Mic", ""},
      {"booth-en", config::SourceKind::interpretation, "",
       config::TestAudioUri{1000, 0.2, 1.5, 2.5}, "EN", "en"},
  };
  c.scenes = {{"wide", "Wide", {{"cam1", 0, 0, 1, 1}}}};
  c.outputs = {testing::record_output(record_dir)};
  return c;
}

TEST(Tracks, TheFloorDucksUnderTheBoothAndReturnsWhenItIsSilent) {
  testing::TempDir dir("hallcast-tracks");
  Redactor redactor;
  Engine engine(booth_show(dir.path()), {std::filesystem::path(HALLCAST_SOURCE_DIR) / "pipelines"},
                redactor);
  engine.start();
  // Two booth cycles: 1.5 s speaking, 2.5 s silent (long enough for the 400 ms hold
  // and the 500 ms release to finish well inside it).
  std::this_thread::sleep_for(8s);
  engine.stop(4s);
  std::filesystem::path file;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    if (entry.path().extension() == ".mkv")
      file = entry.path();
  }
  ASSERT_FALSE(file.empty());

  const auto floor = testing::decode_audio_track(file, 0);
  const auto english = testing::decode_audio_track(file, 1);
  ASSERT_GT(english.size(), static_cast<std::size_t>(3 * kRate));

  // 50 ms blocks, sorted by whether the booth's tone is there.
  constexpr std::size_t kBlock = kRate / 20;
  std::vector<double> floor_while_speaking, floor_while_silent, floor_track;
  for (std::size_t at = kRate / 2; at + kBlock <= english.size(); at += kBlock) {
    const double booth = tone_db(&english[at], kBlock, 1000.0);
    const double hall = tone_db(&english[at], kBlock, 440.0);
    if (booth > -40.0) {
      floor_while_speaking.push_back(hall);
    } else if (booth < -70.0) {
      floor_while_silent.push_back(hall);
    }
    if (at + kBlock <= floor.size()) {
      floor_track.push_back(tone_db(&floor[at], kBlock, 440.0));
    }
  }
  ASSERT_GE(floor_while_speaking.size(), 10u);
  ASSERT_GE(floor_while_silent.size(), 10u);
  const double ducked = median(floor_while_speaking);
  const double full = median(floor_while_silent);
  const double reference = median(floor_track);
  // -15 dB by default: allow for the edges of each stretch.
  EXPECT_NEAR(full - ducked, 15.0, 2.5) << "ducked " << ducked << " full " << full;
  // While the booth is silent, the track carries the floor at its own level.
  EXPECT_NEAR(full, reference, 1.0);
}

}  // namespace
}  // namespace hallcast::engine
