// The countdown on the decoded programme: a show whose event starts a few seconds after
// launch opens on a countdown over its red camera; the recording's caption region is
// compared, frame by frame, with the renderer's own pictures of each remaining time.
// It must change once a second, each second lasting 30 frames at 30 fps, down to
// "0:00", which stays after the start.
#include <gtest/gtest.h>

#include <iostream>
#include <sstream>

#include "show/schedule.h"
#include "show_day_support.h"

namespace hallcast::engine::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kText = "T-{remaining}";
constexpr int kSeconds = 4;  // the start, after launch

TEST(Countdown, ChangesOnTheProgrammeEverySecondDownToZero) {
  config::Config config = colour_show({});
  const auto start = wall_now() + std::chrono::seconds(kSeconds) + 500ms;
  config.event.start = config::format_iso_time(start, 180);
  config.overlays = {{"countdown", config::OverlayType::countdown, "", kText}};
  config.opening.overlays = {"countdown"};
  RecordedEngine show(config);
  show.start();
  ASSERT_TRUE(show.state()->find_overlay("countdown")->visible) << "shown at launch";
  // Past the start, and a second and a half of "0:00".
  std::this_thread::sleep_until(config::WallClock::now() + (start - wall_now()) + 1500ms);
  const auto recording = show.stop_and_decode();
  ASSERT_GT(recording.frames.size(), 60u);

  // The renderer's pictures of every remaining time the recording can hold.
  std::vector<std::string> texts;
  std::vector<CaptionImage> images;
  std::vector<testing::RgbImage> expected;
  for (int left = kSeconds + 1; left >= 0; --left) {
    texts.push_back(show::fill_countdown(kText, "0:0" + std::to_string(left)));
    images.push_back(render_countdown(texts.back(), kWidth, kHeight));
    ASSERT_FALSE(images.back().empty());
    ASSERT_EQ(images.back().width, images[0].width) << "digits are all as wide";
    expected.push_back(composite(images.back(), {255, 0, 0}));
  }
  const CaptionImage& region = images[0];
  const auto digits = where_different(expected);

  // Each frame's best match, and how clearly it wins.
  std::vector<int> best;
  double worst_margin = 1e9;
  double worst_best = 0;
  for (const auto& frame : recording.frames) {
    std::vector<double> scores;
    for (const auto& picture : expected) {
      scores.push_back(difference(frame, region, picture, digits));
    }
    const auto order = std::min_element(scores.begin(), scores.end()) - scores.begin();
    std::vector<double> sorted = scores;
    std::sort(sorted.begin(), sorted.end());
    worst_margin = std::min(worst_margin, sorted[1] - sorted[0]);
    worst_best = std::max(worst_best, sorted[0]);
    best.push_back(kSeconds + 1 - static_cast<int>(order));
  }
  std::ostringstream seen;
  std::vector<std::pair<int, int>> runs;  // (seconds left, frames)
  for (const int left : best) {
    if (runs.empty() || runs.back().first != left) {
      runs.push_back({left, 0});
    }
    ++runs.back().second;
  }
  for (const auto& [left, frames] : runs) {
    seen << "0:0" << left << "x" << frames << " ";
  }
  std::cout << "measured: countdown " << seen.str() << "(worst match " << worst_best
            << ", worst margin " << worst_margin << ")\n";
  // The caption's own pixels on the programme: close to the renderer's, and far from
  // every other second's.
  EXPECT_LT(worst_best, 30.0) << seen.str();
  EXPECT_GT(worst_margin, 15.0) << seen.str();

  // Down by one each time, to 0:00, which stays.
  ASSERT_GE(runs.size(), 3u) << seen.str();
  for (std::size_t i = 1; i < runs.size(); ++i) {
    EXPECT_EQ(runs[i].first, runs[i - 1].first - 1) << seen.str();
  }
  EXPECT_EQ(runs.back().first, 0) << seen.str();
  EXPECT_GE(runs.back().second, kFps) << "0:00 holds after the start: " << seen.str();
  // Whole seconds in between: the text changes once a second, on the frame of the
  // second (one frame of slack each way for the frame clock's phase).
  for (std::size_t i = 1; i + 1 < runs.size(); ++i) {
    EXPECT_NEAR(runs[i].second, kFps, 1) << seen.str();
  }

  // A second apart the digits differ; within a second they do not (the mean change
  // over the digits' pixels, of the green channel: the text is white, the ground red).
  const auto change = [&](const testing::RgbImage& a, const testing::RgbImage& b) {
    double sum = 0;
    int count = 0;
    for (int y = 0; y < region.height; ++y) {
      for (int x = 0; x < region.width; ++x) {
        if (digits[static_cast<std::size_t>(y) * region.width + x]) {
          sum +=
              std::abs(a.at(region.x + x, region.y + y)[1] - b.at(region.x + x, region.y + y)[1]);
          ++count;
        }
      }
    }
    return count == 0 ? 0.0 : sum / count;
  };
  const std::size_t first_whole = static_cast<std::size_t>(runs[0].second);
  ASSERT_LT(first_whole + 3 + kFps, recording.frames.size());
  const auto& a = recording.frames[first_whole + 2];
  EXPECT_LT(change(a, recording.frames[first_whole + 12]), 10.0) << "within one second";
  EXPECT_GT(change(a, recording.frames[first_whole + 2 + kFps]), 40.0) << "a second apart";
}

TEST(Countdown, ReadsMinutesAndHours) {
  const auto start = wall_now();
  EXPECT_EQ(show::remaining_text(start, start), "0:00");
  EXPECT_EQ(show::remaining_text(start, start + 5s), "0:00") << "after the start";
  EXPECT_EQ(show::remaining_text(start, start - 1ms), "0:01") << "rounded up";
  EXPECT_EQ(show::remaining_text(start, start - 299s), "4:59");
  EXPECT_EQ(show::remaining_text(start, start - 300s), "5:00");
  EXPECT_EQ(show::remaining_text(start, start - 3599s), "59:59");
  EXPECT_EQ(show::remaining_text(start, start - 3600s), "1:00:00");
  EXPECT_EQ(show::remaining_text(start, start - 3h - 61s), "3:01:01");
  EXPECT_EQ(show::fill_countdown("Starts in {remaining} · Начало через {remaining}", "4:59"),
            "Starts in 4:59 · Начало через 4:59");
}

}  // namespace
}  // namespace hallcast::engine::test
