// The programme's picture as a viewer gets it: cuts, takes, fades, picture-in-picture
// and captions, checked on the decoded recording of a show whose cameras are solid
// colours. Solid colours make every frame classifiable (red, blue, a red/blue blend…)
// so a test can assert on the whole frame sequence instead of on file times: the
// recording only starts at the first keyframe after the output went live.
//
// H.264 at a modest bitrate blurs edges and shifts colours by a few units, so checks
// use medians, thresholds and margins; each threshold is still far from what a wrong
// picture would give, so every test can fail.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "engine/engine.h"
#include "engine/video/caption_renderer.h"
#include "support/media_probe.h"
#include "support/picture.h"
#include "support/show_configs.h"
#include "support/temp_dir.h"

namespace hallcast::engine {
namespace {

using namespace std::chrono_literals;
using testing::median_colour;
using testing::Rect;
using testing::Rgb;
using testing::RgbImage;

constexpr int kWidth = 320;
constexpr int kHeight = 180;
// Small enough for a fast decode, big enough for a median to ignore blurred edges.
constexpr int kTinyWidth = 32;
constexpr int kTinyHeight = 18;

const config::Speaker kSpeaker{"kashin", "Vasily Kashin", "Director, HSE"};

config::Source video_source(const std::string& colour) {
  return {"cam-" + colour,
          config::SourceKind::video,
          "test:video?pattern=" + colour,
          config::TestVideoUri{colour},
          colour,
          ""};
}

// Programme "red" first (so it starts on programme) and "blue" second (on preview).
// The white camera is in no scene: it must never show up anywhere.
config::Config colour_show(const std::filesystem::path& record_dir) {
  config::Config c;
  c.event.title = "scenes";
  c.event.speakers = {kSpeaker};
  c.video.width = kWidth;
  c.video.height = kHeight;
  c.video.fps = 30;
  c.video.bitrate_kbps = 400;
  c.video.keyframe_interval_s = 1;
  c.audio.bitrate_kbps = 64;
  c.sources = {video_source("red"), video_source("blue"), video_source("green"),
               video_source("white"),
               config::Source{"mic1", config::SourceKind::audio, "test:audio?freq=440&volume=0.3",
                              config::TestAudioUri{440, 0.3, 0, 0}, "Floor", ""}};
  c.scenes = {
      {"red", "Red", {{"cam-red", 0, 0, 1, 1}}},
      {"blue", "Blue", {{"cam-blue", 0, 0, 1, 1}}},
      {"green", "Green", {{"cam-green", 0, 0, 1, 1}}},
      {"pip", "PiP", {{"cam-red", 0, 0, 1, 1}, {"cam-blue", 0.7, 0.05, 0.25, 0.25}}},
      // One camera in two places: the top-left and the bottom-right quarter.
      {"twice",
       "Twice",
       {{"cam-blue", 0, 0, 1, 1}, {"cam-red", 0, 0, 0.5, 0.5}, {"cam-red", 0.5, 0.5, 0.5, 0.5}}},
  };
  c.overlays = {{"lt-kashin", config::OverlayType::lower_third, "kashin", ""},
                {"slate", config::OverlayType::title, "", "Starting soon"}};
  c.outputs = {testing::record_output(record_dir)};
  return c;
}

bool is_black(const testing::RgbImage& image);

// --- one short show, recorded ------------------------------------------------------

// Starts the show and waits until its recording has begun, so that everything a test
// does afterwards is in the file.
class RecordedShow {
 public:
  RecordedShow() : dir_("hallcast-scenes"), engine_(make_engine()) {
    engine_->add_listener([this](const show::Event& event) {
      if (const auto* thumbnail = std::get_if<show::Thumbnail>(&event)) {
        std::lock_guard lock(mutex_);
        thumbnails_.push_back(*thumbnail);
      }
    });
    engine_->start();
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline &&
           engine_->snapshot()->outputs.at(0).state != show::OutputState::live) {
      std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(engine_->snapshot()->outputs.at(0).state, show::OutputState::live);
    // The file opens at the first keyframe (one a second): after this the first scene
    // is in it, whatever the phase of the keyframes.
    std::this_thread::sleep_for(1300ms);
  }

  Engine& engine() { return *engine_; }
  std::shared_ptr<const show::Snapshot> state() const { return engine_->snapshot(); }

  show::Reply run(show::Command command) { return engine_->run(std::move(command)); }

  std::vector<show::Thumbnail> thumbnails() const {
    std::lock_guard lock(mutex_);
    return thumbnails_;
  }

  // Leaves the air and decodes every frame of the recording at width x height.
  std::vector<RgbImage> stop_and_decode(int width, int height) {
    engine_->stop(4s);
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path()))
      files.push_back(entry.path());
    EXPECT_EQ(files.size(), 1u);
    if (files.empty())
      return {};
    auto frames = testing::decode_rgb_frames(files.front(), width, height);
    EXPECT_GT(frames.size(), 30u) << files.front();
    // The show's very first frame can be black: the compositor starts before the
    // cameras' first frames reach it, and with the output opened at start-up the
    // file begins right there. That is start-up, not a transition: tests skip it.
    std::size_t black = 0;
    while (black < 2 && black < frames.size() && is_black(frames[black]))
      ++black;
    frames.erase(frames.begin(), frames.begin() + static_cast<std::ptrdiff_t>(black));
    return frames;
  }

 private:
  std::unique_ptr<Engine> make_engine() {
    return std::make_unique<Engine>(
        colour_show(dir_.path()),
        EngineOptions{std::filesystem::path(HALLCAST_SOURCE_DIR) / "pipelines"}, redactor_);
  }

  // Declared before the engine, so they outlive it: the recording's folder, the
  // redactor it holds, and what its listener writes to until it stops.
  testing::TempDir dir_;
  common::Redactor redactor_;
  mutable std::mutex mutex_;  // guards thumbnails_ (filled on the engine thread)
  std::vector<show::Thumbnail> thumbnails_;
  std::unique_ptr<Engine> engine_;
};

// --- reading colours -------------------------------------------------------------

// The largest per-channel distance of a pixel from pure red.
int distance_from_red(const uint8_t* p) {
  return std::max({255 - p[0], static_cast<int>(p[1]), static_cast<int>(p[2])});
}

enum class Colour { red, blue, green, white, black, other };

const char* name(Colour c) {
  switch (c) {
    case Colour::red:
      return "red";
    case Colour::blue:
      return "blue";
    case Colour::green:
      return "green";
    case Colour::white:
      return "white";
    case Colour::black:
      return "black";
    case Colour::other:
      return "OTHER";
  }
  return "?";
}

// For gtest's messages.
void PrintTo(Colour c, std::ostream* out) {
  *out << name(c);
}

// A pure camera colour, or `other` for anything else (a blend, a tint). The tolerance
// admits codec error (a few units) but not a blend of 16 % or more of another colour.
Colour classify(const Rgb& c) {
  constexpr double tolerance = 40;
  auto near = [&](double r, double g, double b) {
    return std::abs(c.r - r) <= tolerance && std::abs(c.g - g) <= tolerance &&
           std::abs(c.b - b) <= tolerance;
  };
  if (near(255, 0, 0))
    return Colour::red;
  if (near(0, 0, 255))
    return Colour::blue;
  if (near(0, 255, 0))
    return Colour::green;
  if (near(255, 255, 255))
    return Colour::white;
  if (near(0, 0, 0))
    return Colour::black;
  return Colour::other;
}

bool is_black(const RgbImage& image) {
  return classify(median_colour(image)) == Colour::black;
}

std::vector<Colour> classify_frames(const std::vector<RgbImage>& frames) {
  std::vector<Colour> result;
  for (const auto& frame : frames)
    result.push_back(classify(median_colour(frame)));
  return result;
}

template <typename T>
struct Run {
  T value;
  int length = 0;
};

template <typename T>
std::vector<Run<T>> runs_of(const std::vector<T>& values) {
  std::vector<Run<T>> runs;
  for (const auto& v : values) {
    if (runs.empty() || !(runs.back().value == v))
      runs.push_back({v, 0});
    ++runs.back().length;
  }
  return runs;
}

// "red×40 blue×21 OTHER×1 …", for failure messages.
std::string describe(const std::vector<Run<Colour>>& runs) {
  std::ostringstream out;
  for (const auto& r : runs)
    out << name(r.value) << "x" << r.length << " ";
  return out.str();
}

std::vector<Colour> colours_of(const std::vector<Run<Colour>>& runs) {
  std::vector<Colour> result;
  for (const auto& r : runs)
    result.push_back(r.value);
  return result;
}

// How far a red/blue frame is towards blue: 0 pure red, 1 pure blue. A linear blend
// of the two (in any R'G'B'-linear space such as YUV) keeps R + B constant, so the
// share is the mixing ratio.
double blue_share(const Rgb& c) {
  return c.b / std::max(1.0, c.r + c.b);
}

std::string describe_shares(const std::vector<double>& shares) {
  std::ostringstream out;
  out.precision(2);
  for (double s : shares)
    out << s << " ";
  return out.str();
}

// Every frame is a mix of the red and blue cameras only: no green or white camera, no
// black gap between pictures.
void expect_only_red_blue_mixes(const std::vector<RgbImage>& frames) {
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const Rgb c = median_colour(frames[i]);
    EXPECT_LT(c.g, 40) << "frame " << i << " " << c << ": a third picture";
    EXPECT_GT(c.r + c.b, 180) << "frame " << i << " " << c << ": dark, not a red/blue mix";
  }
}

void expect_switch_latency(const show::LatencyStats& s, std::uint64_t at_least) {
  EXPECT_GE(s.count, at_least);
  EXPECT_GT(s.last_ms, 0.0);
  EXPECT_LT(s.last_ms, 200.0);
  EXPECT_GT(s.p99_ms, 0.0);
  EXPECT_LT(s.p99_ms, 200.0);
  EXPECT_LE(s.p50_ms, s.p99_ms);
  EXPECT_LE(s.p99_ms, s.max_ms);
}

// --- the tests ---------------------------------------------------------------------

TEST(Scenes, CutsAndTakesShowTheRightSceneWithNothingInBetween) {
  RecordedShow show;
  EXPECT_EQ(show.state()->program, "red");
  EXPECT_EQ(show.state()->preview, "blue");

  ASSERT_TRUE(show.run(show::SceneCut{"blue"}).ok());
  EXPECT_EQ(show.state()->program, "blue");
  EXPECT_EQ(show.state()->preview, "blue") << "a cut leaves the preview alone";
  std::this_thread::sleep_for(700ms);

  ASSERT_TRUE(show.run(show::SceneCut{"green"}).ok());
  std::this_thread::sleep_for(700ms);
  ASSERT_TRUE(show.run(show::ScenePreview{"red"}).ok());
  EXPECT_EQ(show.state()->program, "green") << "preview does not touch the programme";
  EXPECT_EQ(show.state()->preview, "red");
  std::this_thread::sleep_for(700ms);

  ASSERT_TRUE(show.run(show::TransitionTake{show::TransitionType::cut, 0}).ok());
  EXPECT_EQ(show.state()->program, "red");
  EXPECT_EQ(show.state()->preview, "green") << "a take swaps programme and preview";
  std::this_thread::sleep_for(800ms);  // past the engine's stats tick
  expect_switch_latency(show.state()->programme.switch_latency, 3);

  const auto runs = runs_of(classify_frames(show.stop_and_decode(kTinyWidth, kTinyHeight)));
  ASSERT_EQ(colours_of(runs),
            (std::vector<Colour>{Colour::red, Colour::blue, Colour::green, Colour::red}))
      << describe(runs);
  // 0.7 s of blue, 1.4 s of green (the preview change in between shows nothing).
  EXPECT_NEAR(runs[1].length, 21, 6) << describe(runs);
  EXPECT_NEAR(runs[2].length, 42, 6) << describe(runs);
  EXPECT_GE(runs[3].length, 15) << describe(runs);
}

TEST(Scenes, FadeBlendsTheTwoPicturesOverItsDuration) {
  RecordedShow show;
  ASSERT_TRUE(show.run(show::TransitionTake{show::TransitionType::fade, 1000}).ok());
  std::this_thread::sleep_for(1700ms);
  EXPECT_EQ(show.state()->program, "blue");
  EXPECT_EQ(show.state()->preview, "red");

  const auto frames = show.stop_and_decode(kTinyWidth, kTinyHeight);
  expect_only_red_blue_mixes(frames);
  std::vector<double> shares;
  for (const auto& f : frames)
    shares.push_back(blue_share(median_colour(f)));
  const std::string all = describe_shares(shares);
  ASSERT_FALSE(shares.empty());
  EXPECT_LT(shares.front(), 0.02) << "starts on red: " << all;
  EXPECT_GT(shares.back(), 0.98) << "ends on blue: " << all;

  // Red falls and blue rises frame by frame (a little slack for the codec).
  for (std::size_t i = 1; i < shares.size(); ++i)
    EXPECT_GE(shares[i], shares[i - 1] - 0.03) << "frame " << i << ": " << all;
  // One blended frame per frame of the 1000 ms at 30 fps.
  const auto blended =
      std::count_if(shares.begin(), shares.end(), [](double s) { return s > 0.02 && s < 0.98; });
  EXPECT_NEAR(blended, 30, 3) << all;
  // Halfway it is purple: both cameras well present.
  const auto middle = std::min_element(shares.begin(), shares.end(), [](double a, double b) {
    return std::abs(a - 0.5) < std::abs(b - 0.5);
  });
  EXPECT_NEAR(*middle, 0.5, 0.1) << all;
}

TEST(Scenes, TakeDuringAFadeFinishesItAtOnceAndFadesCleanly) {
  RecordedShow show;
  ASSERT_TRUE(show.run(show::TransitionTake{show::TransitionType::fade, 1000}).ok());
  std::this_thread::sleep_for(400ms);
  ASSERT_TRUE(show.run(show::TransitionTake{show::TransitionType::fade, 1000}).ok());
  std::this_thread::sleep_for(1700ms);
  // Two takes: red went to blue and came back.
  EXPECT_EQ(show.state()->program, "red");
  EXPECT_EQ(show.state()->preview, "blue");

  const auto frames = show.stop_and_decode(kTinyWidth, kTinyHeight);
  expect_only_red_blue_mixes(frames);
  std::vector<double> shares;
  for (const auto& f : frames)
    shares.push_back(blue_share(median_colour(f)));
  const std::string all = describe_shares(shares);
  ASSERT_FALSE(shares.empty());
  EXPECT_LT(shares.front(), 0.02) << all;
  EXPECT_LT(shares.back(), 0.02) << "back on red: " << all;

  // The first fade got about 40 % of the way; the second take completes it (full
  // blue) and the new fade starts from there.
  const auto peak =
      static_cast<std::size_t>(std::max_element(shares.begin(), shares.end()) - shares.begin());
  EXPECT_GT(shares[peak], 0.9) << "the running fade was not completed: " << all;
  for (std::size_t i = 1; i <= peak; ++i)
    EXPECT_GE(shares[i], shares[i - 1] - 0.03) << "frame " << i << ": " << all;
  for (std::size_t i = peak + 1; i < shares.size(); ++i)
    EXPECT_LE(shares[i], shares[i - 1] + 0.03) << "frame " << i << ": " << all;
  auto blended = [](auto begin, auto end) {
    return std::count_if(begin, end, [](double s) { return s > 0.02 && s < 0.98; });
  };
  const auto rising = blended(shares.begin(), shares.begin() + static_cast<std::ptrdiff_t>(peak));
  const auto falling = blended(shares.begin() + static_cast<std::ptrdiff_t>(peak), shares.end());
  EXPECT_GE(rising, 6) << "the first fade ran ~400 ms: " << all;
  EXPECT_LE(rising, 20) << "the first fade ran ~400 ms, not its full second: " << all;
  EXPECT_NEAR(falling, 30, 3) << "the second fade runs its whole 1000 ms: " << all;
}

TEST(Scenes, PictureInPictureSitsWhereTheSceneSaysWithinTwoPixels) {
  RecordedShow show;
  show.engine().set_multiview_active(true);
  ASSERT_TRUE(show.run(show::SceneCut{"pip"}).ok());
  std::this_thread::sleep_for(1500ms);
  const auto thumbnails = show.thumbnails();
  const auto frames = show.stop_and_decode(kWidth, kHeight);
  ASSERT_GT(frames.size(), 10u);
  const RgbImage& late = frames[frames.size() - 5];

  // The inset is where blue wins; a threshold halfway between red and blue puts a
  // blurred or chroma-subsampled edge on the right pixel to within one.
  int x0 = kWidth, y0 = kHeight, x1 = -1, y1 = -1, count = 0;
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      const uint8_t* p = late.at(x, y);
      if (p[2] > 128 && p[0] < 128) {
        x0 = std::min(x0, x);
        y0 = std::min(y0, y);
        x1 = std::max(x1, x);
        y1 = std::max(y1, y);
        ++count;
      }
    }
  }
  const Rect expected{224, 9, 80, 45};  // 0.7, 0.05, 0.25, 0.25 of 320x180
  const Rect found{x0, y0, x1 - x0 + 1, y1 - y0 + 1};
  EXPECT_NEAR(found.x, expected.x, 2) << found;
  EXPECT_NEAR(found.y, expected.y, 2) << found;
  EXPECT_NEAR(found.width, expected.width, 2) << found;
  EXPECT_NEAR(found.height, expected.height, 2) << found;
  // A solid rectangle, not an outline or scattered blocks.
  EXPECT_GT(count, found.width * found.height * 95 / 100) << found;
  // Blue inside, red full frame around it.
  EXPECT_EQ(classify(median_colour(late, {234, 19, 60, 25})), Colour::blue);
  EXPECT_EQ(classify(median_colour(late, {0, 0, 200, kHeight})), Colour::red);
  EXPECT_EQ(classify(median_colour(late, {0, 70, kWidth, 110})), Colour::red);

  // Multiview was on: the programme's thumbnails are JPEGs.
  int programme_jpegs = 0;
  for (const auto& t : thumbnails) {
    if (t.feed == "program" && t.jpeg && t.jpeg->size() > 4 && (*t.jpeg)[0] == 0xFF &&
        (*t.jpeg)[1] == 0xD8 && (*t.jpeg)[t.jpeg->size() - 2] == 0xFF &&
        (*t.jpeg)[t.jpeg->size() - 1] == 0xD9)
      ++programme_jpegs;
  }
  EXPECT_GE(programme_jpegs, 1) << thumbnails.size() << " thumbnails in all";
}

TEST(Scenes, OneCameraInTwoLayersShowsInBothPlaces) {
  RecordedShow show;
  ASSERT_TRUE(show.run(show::SceneCut{"twice"}).ok());
  std::this_thread::sleep_for(1000ms);
  const auto frames = show.stop_and_decode(kWidth, kHeight);
  ASSERT_GT(frames.size(), 10u);
  const RgbImage& late = frames[frames.size() - 5];
  // Quarters, each a few pixels inside its edges.
  const int w = kWidth / 2, h = kHeight / 2;
  EXPECT_EQ(classify(median_colour(late, {4, 4, w - 8, h - 8})), Colour::red);
  EXPECT_EQ(classify(median_colour(late, {w + 4, h + 4, w - 8, h - 8})), Colour::red);
  EXPECT_EQ(classify(median_colour(late, {w + 4, 4, w - 8, h - 8})), Colour::blue);
  EXPECT_EQ(classify(median_colour(late, {4, h + 4, w - 8, h - 8})), Colour::blue);
}

TEST(Scenes, PreviewNeverLeaksToProgrammeBeforeATake) {
  RecordedShow show;
  ASSERT_TRUE(show.run(show::ScenePreview{"green"}).ok());
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(show.run(show::SceneCut{i % 2 == 0 ? "blue" : "red"}).ok());
    EXPECT_EQ(show.state()->preview, "green");
    std::this_thread::sleep_for(300ms);
  }
  // Only now may green go on air; it proves the detector below would see it.
  ASSERT_TRUE(show.run(show::TransitionTake{show::TransitionType::cut, 0}).ok());
  std::this_thread::sleep_for(800ms);
  expect_switch_latency(show.state()->programme.switch_latency, 7);

  const auto frames = show.stop_and_decode(kTinyWidth, kTinyHeight);
  const auto colours = classify_frames(frames);
  const auto first_green = static_cast<std::size_t>(
      std::find(colours.begin(), colours.end(), Colour::green) - colours.begin());
  // Cell by cell, so that even a partial leak (one corner, one edge) is seen.
  int leaks = 0, strays = 0;
  std::size_t first_leak = 0, first_stray = 0;
  for (std::size_t i = 0; i < first_green && i < frames.size(); ++i) {
    int greenish = 0, whitish = 0;
    for (int y = 0; y < kTinyHeight; ++y) {
      for (int x = 0; x < kTinyWidth; ++x) {
        const uint8_t* p = frames[i].at(x, y);
        greenish += p[1] > p[0] + 40 && p[1] > p[2] + 40;
        whitish += p[0] > 150 && p[1] > 150 && p[2] > 150;
      }
    }
    if (greenish > 0 && leaks++ == 0)
      first_leak = i;
    if (whitish > 0 && strays++ == 0)
      first_stray = i;
  }
  EXPECT_EQ(leaks, 0) << "frames show the preview, the first is frame " << first_leak;
  EXPECT_EQ(strays, 0) << "frames show a camera that is in no scene, the first is frame "
                       << first_stray;
  const auto runs = runs_of(colours);
  using C = Colour;
  EXPECT_EQ(colours_of(runs),
            (std::vector<C>{C::red, C::blue, C::red, C::blue, C::red, C::blue, C::red, C::green}))
      << describe(runs);
  EXPECT_GE(runs.back().length, 15) << describe(runs);
}

TEST(Scenes, LowerThirdFadesInWithinItsRegionAndNowhereElse) {
  const CaptionImage caption = render_lower_third(kSpeaker.name, kSpeaker.role, kWidth, kHeight);
  ASSERT_FALSE(caption.empty());
  const Rect region{caption.x, caption.y, caption.width, caption.height};

  RecordedShow show;
  ASSERT_TRUE(show.run(show::OverlayShow{"lt-kashin"}).ok());
  EXPECT_TRUE(show.state()->overlays.at(0).visible);
  std::this_thread::sleep_for(1300ms);
  ASSERT_TRUE(show.run(show::OverlayHide{"lt-kashin"}).ok());
  EXPECT_FALSE(show.state()->overlays.at(0).visible);
  std::this_thread::sleep_for(1000ms);
  const auto frames = show.stop_and_decode(kWidth, kHeight);

  // Inside (away from the blurred border): the bar's median red level. Outside (a
  // margin away from the border): the largest departure from pure red anywhere.
  constexpr int kMargin = 6;
  const Rect inner = region.grown(-3);
  const Rect outer = region.grown(kMargin);
  std::vector<double> inside_red;
  int worst_outside = 0;
  std::size_t worst_frame = 0;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    inside_red.push_back(median_colour(frames[i], inner).r);
    for (int y = 0; y < kHeight; ++y) {
      for (int x = 0; x < kWidth; ++x) {
        if (outer.contains(x, y))
          continue;
        const int d = distance_from_red(frames[i].at(x, y));
        if (d > worst_outside) {
          worst_outside = d;
          worst_frame = i;
        }
      }
    }
  }
  EXPECT_LE(worst_outside, 48) << "frame " << worst_frame << ": the picture changed outside "
                               << region << " (grown by " << kMargin << ")";

  // The deep blue bar over red: red drops from 255 to well under half.
  const double bar_red = *std::min_element(inside_red.begin(), inside_red.end());
  ASSERT_LT(bar_red, 128) << "the lower third never showed in " << region;
  enum class Look { hidden, fading, shown };
  std::vector<Look> looks;
  for (double r : inside_red)
    looks.push_back(r > 235 ? Look::hidden : r < bar_red + 15 ? Look::shown : Look::fading);
  const auto runs = runs_of(looks);
  std::ostringstream seen;
  for (const auto& r : runs)
    seen << (r.value == Look::hidden  ? "hidden"
             : r.value == Look::shown ? "shown"
                                      : "fading")
         << "x" << r.length << " ";
  ASSERT_EQ(runs.size(), 5u) << seen.str();
  EXPECT_EQ(runs[0].value, Look::hidden) << seen.str();
  EXPECT_EQ(runs[1].value, Look::fading) << seen.str();
  EXPECT_EQ(runs[2].value, Look::shown) << seen.str();
  EXPECT_EQ(runs[3].value, Look::fading) << seen.str();
  EXPECT_EQ(runs[4].value, Look::hidden) << seen.str();
  // Fades of ~300 ms (9 frames): at least 100 ms, at most 600 ms.
  EXPECT_GE(runs[1].length, 3) << seen.str();
  EXPECT_LE(runs[1].length, 18) << seen.str();
  EXPECT_GE(runs[3].length, 3) << seen.str();
  EXPECT_LE(runs[3].length, 18) << seen.str();
  EXPECT_GE(runs[2].length, 20) << seen.str();
  EXPECT_GE(runs[4].length, 10) << seen.str();

  // While shown, the bar fills its region: what departs from red spans the region.
  const RgbImage& shown =
      frames[static_cast<std::size_t>(runs[0].length + runs[1].length + runs[2].length / 2)];
  int x0 = kWidth, y0 = kHeight, x1 = -1, y1 = -1;
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      if (distance_from_red(shown.at(x, y)) > 100) {
        x0 = std::min(x0, x);
        y0 = std::min(y0, y);
        x1 = std::max(x1, x);
        y1 = std::max(y1, y);
      }
    }
  }
  const Rect found{x0, y0, x1 - x0 + 1, y1 - y0 + 1};
  EXPECT_NEAR(found.x, region.x, 3) << found << " vs " << region;
  EXPECT_NEAR(found.y, region.y, 3) << found << " vs " << region;
  EXPECT_NEAR(found.width, region.width, 3) << found << " vs " << region;
  EXPECT_NEAR(found.height, region.height, 3) << found << " vs " << region;
  // Text on the bar: some bright pixels inside.
  int bright = 0;
  for (int y = region.y; y < region.y + region.height; ++y) {
    for (int x = region.x; x < region.x + region.width; ++x) {
      const uint8_t* p = shown.at(x, y);
      bright += p[0] > 180 && p[1] > 180 && p[2] > 180;
    }
  }
  EXPECT_GT(bright, 20) << "no caption text in " << region;
}

TEST(Scenes, TitleSlateCoversTheFrame) {
  RecordedShow show;
  ASSERT_TRUE(show.run(show::OverlayShow{"slate"}).ok());
  EXPECT_TRUE(show.state()->overlays.at(1).visible);
  std::this_thread::sleep_for(1000ms);
  const auto frames = show.stop_and_decode(kWidth, kHeight);
  ASSERT_FALSE(frames.empty());
  EXPECT_EQ(classify(median_colour(frames.front())), Colour::red);
  // An opaque dark-blue slate: no red left in any corner, light text in the middle.
  const RgbImage& last = frames.back();
  for (const Rect corner :
       {Rect{0, 0, 24, 16}, Rect{296, 0, 24, 16}, Rect{0, 164, 24, 16}, Rect{296, 164, 24, 16}}) {
    const Rgb c = median_colour(last, corner);
    EXPECT_LT(c.r, 60) << corner << " " << c;
    EXPECT_GT(c.b, c.r) << corner << " " << c;
  }
  int bright = 0;
  for (int y = 40; y < 140; ++y) {
    for (int x = 16; x < 304; ++x) {
      const uint8_t* p = last.at(x, y);
      bright += p[0] > 180 && p[1] > 180 && p[2] > 180;
    }
  }
  EXPECT_GT(bright, 100) << "no title text";
}

}  // namespace
}  // namespace hallcast::engine
