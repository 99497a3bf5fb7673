#include "show_day_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "support/show_configs.h"

namespace hallcast::engine::test {

using namespace std::chrono_literals;

config::WallTime wall_now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(config::WallClock::now());
}

config::Source colour_camera(const std::string& colour) {
  return {"cam-" + colour,
          config::SourceKind::video,
          "test:video?pattern=" + colour,
          config::TestVideoUri{colour},
          colour,
          ""};
}

config::Config colour_show(const std::filesystem::path& record_dir) {
  config::Config c;
  c.event.title = "show day";
  c.video.width = kWidth;
  c.video.height = kHeight;
  c.video.fps = kFps;
  c.video.bitrate_kbps = 800;
  c.video.keyframe_interval_s = 1;
  c.audio.bitrate_kbps = 64;
  c.sources = {colour_camera("red"), colour_camera("blue"), colour_camera("green"),
               config::Source{"mic1", config::SourceKind::audio, "test:audio?freq=440&volume=0.3",
                              config::TestAudioUri{440, 0.3, 0, 0}, "Floor", ""}};
  c.scenes = {{"red", "Red", {{"cam-red", 0, 0, 1, 1}}},
              {"blue", "Blue", {{"cam-blue", 0, 0, 1, 1}}},
              {"green", "Green", {{"cam-green", 0, 0, 1, 1}}}};
  c.outputs = {testing::record_output(record_dir)};
  return c;
}

RecordedEngine::RecordedEngine(config::Config config, std::vector<show::Cue> schedule)
    : dir_("hallcast-show-day") {
  for (auto& output : config.outputs) {
    if (output.type == config::OutputType::record && output.path.empty()) {
      output.path = dir_.path().string();
    }
  }
  engine_ = std::make_unique<Engine>(
      std::move(config),
      EngineOptions{
          std::filesystem::path(HALLCAST_SOURCE_DIR) / "pipelines", {}, std::move(schedule)},
      redactor_);
  engine_->add_listener([this](const show::Event& event) {
    if (std::holds_alternative<show::Meters>(event) ||
        std::holds_alternative<show::Thumbnail>(event)) {
      return;
    }
    std::lock_guard lock(mutex_);
    events_.push_back({event, wall_now()});
  });
}

RecordedEngine::~RecordedEngine() = default;

void RecordedEngine::start() {
  engine_->start();
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < deadline &&
         engine_->snapshot()->find_output("rec")->state != show::OutputState::live) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(engine_->snapshot()->find_output("rec")->state, show::OutputState::live);
}

std::vector<Seen> RecordedEngine::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

RecordedEngine::Recording RecordedEngine::stop_and_decode(int width, int height) {
  engine_->stop(4s);
  Recording recording;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    if (entry.path().extension() == ".mkv") {
      recording.file = entry.path();
    }
  }
  if (recording.file.empty()) {
    ADD_FAILURE() << "nothing was recorded";
    return recording;
  }
  recording.frames = testing::decode_rgb_frames(recording.file, width, height);
  recording.times = testing::video_frame_times(recording.file);
  return recording;
}

testing::RgbImage composite(const CaptionImage& image, testing::Rgb background) {
  testing::RgbImage out;
  out.width = image.width;
  out.height = image.height;
  out.pixels.resize(static_cast<std::size_t>(image.width) * image.height * 3);
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const std::uint8_t* p =
          image.pixels.data() + static_cast<std::size_t>(y) * image.stride + x * 4;
      const double a = p[3] / 255.0;
      std::uint8_t* o = out.pixels.data() + (static_cast<std::size_t>(y) * image.width + x) * 3;
      // BGRA in, RGB out.
      o[0] = static_cast<std::uint8_t>(std::lround(p[2] * a + background.r * (1 - a)));
      o[1] = static_cast<std::uint8_t>(std::lround(p[1] * a + background.g * (1 - a)));
      o[2] = static_cast<std::uint8_t>(std::lround(p[0] * a + background.b * (1 - a)));
    }
  }
  return out;
}

double difference(const testing::RgbImage& frame, const CaptionImage& region,
                  const testing::RgbImage& expected, const std::vector<bool>& mask) {
  double sum = 0;
  std::size_t count = 0;
  for (int y = 0; y < region.height; ++y) {
    for (int x = 0; x < region.width; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * region.width + x;
      if (!mask.empty() && !mask[i]) {
        continue;
      }
      const std::uint8_t* a = frame.at(region.x + x, region.y + y);
      const std::uint8_t* b = expected.pixels.data() + i * 3;
      for (int c = 0; c < 3; ++c) {
        sum += std::abs(static_cast<int>(a[c]) - static_cast<int>(b[c]));
      }
      count += 3;
    }
  }
  return count == 0 ? 0.0 : sum / static_cast<double>(count);
}

std::vector<bool> where_different(const std::vector<testing::RgbImage>& pictures) {
  if (pictures.empty()) {
    return {};
  }
  const std::size_t n = static_cast<std::size_t>(pictures[0].width) * pictures[0].height;
  std::vector<bool> mask(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t a = 0; a < pictures.size() && !mask[i]; ++a) {
      for (std::size_t b = a + 1; b < pictures.size() && !mask[i]; ++b) {
        int d = 0;
        for (int c = 0; c < 3; ++c) {
          d = std::max(d, std::abs(static_cast<int>(pictures[a].pixels[i * 3 + c]) -
                                   static_cast<int>(pictures[b].pixels[i * 3 + c])));
        }
        mask[i] = d > 60;
      }
    }
  }
  return mask;
}

}  // namespace hallcast::engine::test
