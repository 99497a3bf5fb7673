// The automatic director's decisions from synthetic level sequences on a synthetic
// clock: who is followed, when the cut comes, the minimum shot, the fallback on
// silence and on crosstalk.
#include "show/auto_director.h"

#include <gtest/gtest.h>

namespace hallcast::show {
namespace {

using namespace std::chrono_literals;
using TimePoint = AutoDirector::TimePoint;

constexpr double kLoud = -20.0;
constexpr double kQuiet = -70.0;

config::AutoDirector hall() {
  config::AutoDirector c;
  c.enabled = true;
  c.follow = {{"mic1", "abiru"}, {"mic2", "ivanov"}};
  c.fallback_scene = "wide";
  c.threshold_db = -40;
  c.attack_ms = 700;
  c.min_shot_s = 4;
  return c;
}

// Drives a director the way the engine does: a reading every 100 ms, its cuts taken at
// once; keeps what went on programme and when.
struct Rehearsal {
  AutoDirector director{hall()};
  TimePoint now{};
  std::string program = "wide";
  std::vector<std::pair<double, std::string>> cuts;  // seconds from start, scene

  Rehearsal() {
    director.shot_started(program, now);
    director.restart(now);
  }

  double seconds() const { return std::chrono::duration<double>(now - TimePoint{}).count(); }

  void step(double mic1, double mic2) {
    now += 100ms;
    const auto decision = director.update({{"mic1", mic1, mic1}, {"mic2", mic2, mic2}}, now);
    if (decision.cut) {
      program = *decision.cut;
      cuts.emplace_back(seconds(), program);
      director.shot_started(program, now);
    }
  }
  void hold(std::chrono::milliseconds length, double mic1, double mic2) {
    for (auto t = 0ms; t < length; t += 100ms) {
      step(mic1, mic2);
    }
  }
};

TEST(AutoDirector, OneSpeakerAloneForTheAttackTakesTheShot) {
  Rehearsal run;
  run.hold(4s, kQuiet, kQuiet);  // the wide shot has lasted its minimum
  run.hold(600ms, kLoud, kQuiet);
  EXPECT_TRUE(run.cuts.empty());  // not yet 700 ms
  run.hold(200ms, kLoud, kQuiet);
  ASSERT_EQ(run.cuts.size(), 1u);
  EXPECT_EQ(run.cuts[0].second, "abiru");
  EXPECT_NEAR(run.cuts[0].first, 4.8, 0.05);  // readings at 4.1 … 4.8 s: 700 ms
  EXPECT_EQ(run.director.speaker(), "mic1");
}

TEST(AutoDirector, AShotLastsItsMinimumEvenWhenTheOtherSpeakerAnswersAtOnce) {
  Rehearsal run;
  run.hold(4s, kQuiet, kQuiet);
  run.hold(1s, kLoud, kQuiet);  // abiru on programme at 4.8 s
  run.hold(1s, kQuiet, kLoud);  // ivanov answers at 5.1 s: alone for 700 ms at 5.8 s
  EXPECT_EQ(run.program, "abiru");
  run.hold(3s, kQuiet, kLoud);
  ASSERT_EQ(run.cuts.size(), 2u);
  EXPECT_EQ(run.cuts[1].second, "ivanov");
  EXPECT_NEAR(run.cuts[1].first, 8.8, 0.05);  // 4.8 s + the 4 s minimum
}

TEST(AutoDirector, TwoAlternatingSpeakersNeverGetAShotShorterThanTheMinimum) {
  Rehearsal run;
  // Speakers taking turns of 2.5 s, 5 s and 1 s, with pauses and overlaps.
  const std::vector<std::pair<std::chrono::milliseconds, int>> turns{
      {2500ms, 1}, {300ms, 0},  {5000ms, 2}, {1000ms, 1}, {1000ms, 2}, {6000ms, 1},
      {400ms, 3},  {5000ms, 2}, {2500ms, 1}, {2500ms, 2}, {6000ms, 0}};
  for (int loop = 0; loop < 3; ++loop) {
    for (const auto& [length, who] : turns) {
      run.hold(length, (who & 1) ? kLoud : kQuiet, (who & 2) ? kLoud : kQuiet);
    }
  }
  ASSERT_GE(run.cuts.size(), 6u);
  double last = 0;
  for (const auto& [at, scene] : run.cuts) {
    EXPECT_GE(at - last + 1e-9, 4.0) << "a shot of " << at - last << " s before " << scene;
    last = at;
  }
  // Every scene had its turn.
  for (const std::string scene : {"abiru", "ivanov", "wide"}) {
    EXPECT_TRUE(std::any_of(run.cuts.begin(), run.cuts.end(), [&](const auto& cut) {
      return cut.second == scene;
    })) << scene;
  }
}

TEST(AutoDirector, SilenceLongerThanTheMinimumShotFallsBack) {
  Rehearsal run;
  run.hold(4s, kQuiet, kQuiet);
  run.hold(5s, kLoud, kQuiet);  // abiru from 4.8 s
  run.hold(3900ms, kQuiet, kQuiet);
  EXPECT_EQ(run.program, "abiru");  // a pause, not yet the end
  run.hold(200ms, kQuiet, kQuiet);
  EXPECT_EQ(run.program, "wide");
  EXPECT_EQ(run.director.speaker(), "");
}

TEST(AutoDirector, CrosstalkLongerThanTheMinimumShotFallsBack) {
  Rehearsal run;
  run.hold(4s, kQuiet, kQuiet);
  run.hold(5s, kQuiet, kLoud);  // ivanov
  run.hold(3s, kLoud, kLoud);
  EXPECT_EQ(run.program, "ivanov");
  run.hold(1100ms, kLoud, kLoud);
  EXPECT_EQ(run.program, "wide");
}

TEST(AutoDirector, ShortPausesBetweenWordsKeepTheSpeaker) {
  Rehearsal run;
  run.hold(4s, kQuiet, kQuiet);
  for (int sentence = 0; sentence < 10; ++sentence) {
    run.hold(1500ms, kLoud, kQuiet);
    run.hold(500ms, kQuiet, kQuiet);
  }
  ASSERT_EQ(run.cuts.size(), 1u);
  EXPECT_EQ(run.program, "abiru");
}

TEST(AutoDirector, MicsNotFollowedAndBelowThresholdAreIgnored) {
  Rehearsal run;
  run.hold(4s, kQuiet, kQuiet);
  for (int i = 0; i < 20; ++i) {
    run.now += 100ms;
    const auto decision =
        run.director.update({{"booth-en", kLoud, kLoud}, {"mic1", -41, -41}}, run.now);
    EXPECT_FALSE(decision.cut);
  }
  EXPECT_EQ(run.director.speaker(), "");
}

}  // namespace
}  // namespace hallcast::show
