// Sound and picture together at every destination, judged on what each one received:
// a camera flashes white once a second and a microphone beeps on the same beat (both
// keyed to running time: test_video_flash.h, test_audio_gate.h). In the recording and
// in what a real nginx-rtmp recorded, each flash frame's time and the beep's onset must
// lie within one frame of each other.
//
// The beep starts on the beat to the sample; the flash is the frame on screen at the
// beat, which starts up to one frame before it. A programme that keeps sound and
// picture together therefore reads between 0 and +1 frame (beep after flash).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <numeric>
#include <sstream>
#include <thread>

#include "engine/engine.h"
#include "support/media_probe.h"
#include "support/nginx_rtmp.h"
#include "support/show_configs.h"
#include "support/signal_measure.h"
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

// Times, on the file's own timeline, of the frames that show the flash.
std::vector<double> flash_times(const std::filesystem::path& file) {
  // 4x4 by area averaging: each frame's mean colour; black is 0, the flash 255.
  const auto frames = testing::decode_rgb_frames(file, 4, 4);
  const auto times = testing::video_frame_times(file);
  EXPECT_EQ(frames.size(), times.size());
  std::vector<double> flashes;
  for (std::size_t i = 0; i < std::min(frames.size(), times.size()); ++i) {
    const auto& pixels = frames[i].pixels;
    const double mean = std::accumulate(pixels.begin(), pixels.end(), 0.0) / pixels.size();
    if (mean > 128.0) {
      flashes.push_back(times[i]);
    }
  }
  return flashes;
}

// Times of the beeps' onsets: the first 5 ms block at -30 dBFS or more (the beep is at
// -9 dBFS RMS, the gaps between beeps digital silence) after 100 ms of quiet.
std::vector<double> beep_times(const testing::DecodedAudio& audio) {
  const auto left = audio.channel(0);
  std::vector<double> beeps;
  const std::size_t block = audio.sample_rate / 200;
  for (std::size_t at : testing::onsets(left, block, -30.0, 20)) {
    beeps.push_back(audio.start_s + static_cast<double>(at) / audio.sample_rate);
  }
  return beeps;
}

// Every flash in `file` has a beep within one frame of it.
void expect_in_sync(const std::filesystem::path& file, int fps) {
  SCOPED_TRACE(file.string());
  ASSERT_TRUE(std::filesystem::exists(file));
  const auto flashes = flash_times(file);
  const auto audio = testing::decode_audio(file, 0);
  // Sample n plays at start_s + n / rate only if no packet is missing or overlapping.
  ASSERT_LT(audio.largest_gap_s, 0.002);
  const auto beeps = beep_times(audio);
  const double audio_end = audio.start_s + static_cast<double>(audio.frames()) / audio.sample_rate;

  // About 8 s on the air: a flash at each second, less the first and the last.
  ASSERT_GE(flashes.size(), 6u);
  // As many beeps as flashes, give or take the one the end of the file may cut off.
  EXPECT_NEAR(static_cast<double>(beeps.size()), static_cast<double>(flashes.size()), 1.0);
  const double frame = 1.0 / fps;
  double worst = 0.0;
  std::ostringstream offsets;
  for (double flash : flashes) {
    if (flash + 0.2 > audio_end) {
      continue;  // the file may end between a flash and its beep
    }
    if (flash < audio.start_s + 0.15) {
      continue;  // a beep is found after 100 ms of quiet: none before the file's
    }
    ASSERT_FALSE(beeps.empty());
    const double beep = *std::min_element(beeps.begin(), beeps.end(), [&](double a, double b) {
      return std::fabs(a - flash) < std::fabs(b - flash);
    });
    // Positive: the sound comes after the picture.
    const double offset = beep - flash;
    offsets << " " << std::lround(offset * 1000.0);
    worst = std::max(worst, std::fabs(offset));
  }
  EXPECT_LE(worst, frame) << "beep minus flash, in ms, for each flash:" << offsets.str();
  std::cout << "measured: " << file.filename().string() << ": " << flashes.size()
            << " flashes, beep minus flash (ms):" << offsets.str() << "\n";
}

TEST(AvSync, EveryDestinationKeepsSoundWithinAFrameOfThePicture) {
  testing::TempDir dir("hallcast-avsync");
  testing::NginxRtmp nginx;
  const auto config = flash_and_beep_show(dir.path(), nginx.url());
  Redactor redactor;
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
