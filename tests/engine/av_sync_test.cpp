// Sound and picture together at every destination, judged on what each one received:
// a camera flashes white once a second and a microphone beeps on the same beat (both
// keyed to running time: test_video_flash.h, test_audio_gate.h). In the recording and
// in what a real nginx-rtmp recorded, each flash frame's time and the beep's onset must
// lie within one frame of each other (the measurement: support/av_offset.h).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <sstream>
#include <thread>

#include "engine/engine.h"
#include "support/av_offset.h"
#include "support/nginx_rtmp.h"
#include "support/show_configs.h"
#include "support/temp_dir.h"

namespace hallcast::engine {
namespace {

using namespace std::chrono_literals;

constexpr const char* kStreamKey = "avsync";

config::Config flash_and_beep_show(const std::filesystem::path& record_dir,
                                   const std::string& rtmp_url) {
  config::Config c;
  c.video.width = 320;
  c.video.height = 180;
  c.video.bitrate_kbps = 300;
  c.video.keyframe_interval_s = 1;
  c.sources = {
      {"cam1", config::SourceKind::video, "", config::TestVideoUri{"black", 1.0}, "Cam", ""},
      // 100 ms of 1 kHz at the start of every second.
      {"mic1", config::SourceKind::audio, "", config::TestAudioUri{1000, 0.5, 0.1, 0.9}, "Mic", ""},
  };
  c.scenes = {{"wide", "Wide", {{"cam1", 0, 0, 1, 1}}}};
  config::Output rtmp;
  rtmp.id = "live";
  rtmp.name = "live";
  rtmp.type = config::OutputType::rtmp;
  rtmp.url = rtmp_url;
  rtmp.key = config::Secret(kStreamKey);
  c.outputs = {testing::record_output(record_dir), rtmp};
  return c;
}

// Every flash in `file` has a beep within one frame of it.
void expect_in_sync(const std::filesystem::path& file, int fps) {
  SCOPED_TRACE(file.string());
  ASSERT_TRUE(std::filesystem::exists(file));
  const auto measured = testing::measure_av_offsets(file);
  // Sample n plays at start_s + n / rate only if no packet is missing or overlapping.
  ASSERT_LT(measured.largest_audio_gap_s, 0.002);

  // About 8 s on the air: a flash at each second, less the first and the last.
  ASSERT_GE(measured.flashes.size(), 6u);
  // As many beeps as flashes, give or take the one the end of the file may cut off.
  EXPECT_NEAR(static_cast<double>(measured.beeps), static_cast<double>(measured.flashes.size()),
              1.0);
  // Only the flashes next to the ends of the audio go unmeasured.
  EXPECT_GE(measured.offsets.size() + 2, measured.flashes.size());
  std::ostringstream offsets;
  for (double offset : measured.offsets) {
    offsets << " " << std::lround(offset * 1000.0);
  }
  // Both containers keep times in whole milliseconds: a flash and a beep one frame apart
  // may read up to a millisecond further apart than they are.
  constexpr double kTimestampResolutionS = 0.001;
  EXPECT_LE(measured.worst(), 1.0 / fps + kTimestampResolutionS)
      << "beep minus flash, in ms, for each flash:" << offsets.str();
  std::cout << "measured: " << file.filename().string() << ": " << measured.flashes.size()
            << " flashes, beep minus flash (ms):" << offsets.str() << "\n";
}

TEST(AvSync, EveryDestinationKeepsSoundWithinAFrameOfThePicture) {
  testing::TempDir dir("hallcast-avsync");
  testing::NginxRtmp nginx;
  const auto config = flash_and_beep_show(dir.path(), nginx.url());
  common::Redactor redactor;
  redactor.add(kStreamKey);
  Engine engine(config, {std::filesystem::path(HALLCAST_SOURCE_DIR) / "pipelines"}, redactor);
  engine.start();
  std::this_thread::sleep_for(8500ms);
  const auto state = engine.snapshot();
  ASSERT_EQ(state->outputs.size(), 2u);
  EXPECT_EQ(state->outputs[1].state, show::OutputState::live);
  engine.stop(4s);
  // nginx writes the end of its recording when the stream closes.
  nginx.stop();

  std::filesystem::path recording;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    if (entry.path().extension() == ".mkv")
      recording = entry.path();
  }
  ASSERT_FALSE(recording.empty());
  expect_in_sync(recording, config.video.fps);
  expect_in_sync(nginx.recorded_file(kStreamKey), config.video.fps);
}

}  // namespace
}  // namespace hallcast::engine
