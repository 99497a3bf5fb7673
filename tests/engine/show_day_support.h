// What the engine tests of the show's day share: a small show of solid-colour cameras,
// run by a real engine and recorded, with every event it announced and when (on the
// wall clock, which a schedule speaks of), and the pictures of captions as the
// renderer makes them, laid over a colour as the programme shows them.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "engine/video/caption_renderer.h"
#include "support/media_probe.h"
#include "support/picture.h"
#include "support/temp_dir.h"

namespace hallcast::engine::test {

constexpr int kWidth = 320;
constexpr int kHeight = 180;
constexpr int kFps = 30;

config::WallTime wall_now();

config::Source colour_camera(const std::string& colour);

// Cameras red, blue and green, each a scene of its own ("red" first, so on programme;
// "blue" on preview), a 440 Hz floor microphone and a recording "rec" live at launch.
config::Config colour_show(const std::filesystem::path& record_dir);

struct Seen {
  show::Event event;
  config::WallTime at;  // when the listener got it
};

// A show on a real engine, recorded. Events are kept as they come (engine thread).
class RecordedEngine {
 public:
  RecordedEngine(config::Config config, std::vector<show::Cue> schedule = {});
  ~RecordedEngine();

  // Goes on the air and waits until the recording runs.
  void start();
  Engine& engine() { return *engine_; }
  std::shared_ptr<const show::Snapshot> state() const { return engine_->snapshot(); }
  show::Reply run(show::Command command) { return engine_->run(std::move(command)); }
  const std::filesystem::path& dir() const { return dir_.path(); }

  std::vector<Seen> events() const;
  // The first event that `match` accepts, waiting up to `timeout`.
  template <typename Match>
  std::optional<Seen> wait_for(Match match, std::chrono::milliseconds timeout) const;

  // Leaves the air and decodes every frame of the one recording.
  struct Recording {
    std::filesystem::path file;
    std::vector<testing::RgbImage> frames;
    std::vector<double> times;
  };
  Recording stop_and_decode(int width = kWidth, int height = kHeight);

 private:
  testing::TempDir dir_;
  common::Redactor redactor_;
  mutable std::mutex mutex_;  // guards events_ (filled on the engine thread)
  std::vector<Seen> events_;
  std::unique_ptr<Engine> engine_;
};

template <typename Match>
std::optional<Seen> RecordedEngine::wait_for(Match match, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (const auto& seen : events()) {
      if (match(seen.event)) {
        return seen;
      }
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

// `image` laid over a solid `background` at full strength, as the programme shows a
// caption: the expected picture of the caption's region, RGB.
testing::RgbImage composite(const CaptionImage& image, testing::Rgb background);

// Mean absolute difference, per channel, between `frame` and `expected` (a caption's
// region) over the pixels of `mask` (same size as the region; empty: all).
double difference(const testing::RgbImage& frame, const CaptionImage& region,
                  const testing::RgbImage& expected, const std::vector<bool>& mask = {});

// The pixels of a caption's region where two pictures of it differ clearly: where the
// words changed, so a comparison is not drowned by the bar they share.
std::vector<bool> where_different(const std::vector<testing::RgbImage>& pictures);

}  // namespace hallcast::engine::test
