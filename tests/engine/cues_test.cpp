// The cue list on a real engine: a show whose event starts a few seconds after launch
// runs its cues at their times — measured on the engine's own events against the wall
// clock, and on the recording (how long each cued scene lasted) — never runs a cue
// whose time had passed when it started, and lets an operator run a cue now or skip one.
#include <gtest/gtest.h>

#include <iostream>
#include <sstream>

#include "show/schedule.h"
#include "show_day_support.h"

namespace hallcast::engine::test {
namespace {

using namespace std::chrono_literals;
using testing::median_colour;
using testing::Rgb;

show::Cue cue(config::WallTime at, std::string written, show::Command command) {
  return {config::ZonedTime{at, 180}, std::move(written), std::move(command)};
}

// red, blue, green or other, from a frame's median colour.
char colour_of(const testing::RgbImage& frame) {
  const Rgb c = median_colour(frame);
  if (c.r > 200 && c.g < 60 && c.b < 60)
    return 'r';
  if (c.b > 200 && c.r < 60 && c.g < 60)
    return 'b';
  if (c.g > 200 && c.r < 60 && c.b < 60)
    return 'g';
  return '?';
}

std::vector<std::pair<char, int>> colour_runs(const std::vector<testing::RgbImage>& frames) {
  std::vector<std::pair<char, int>> runs;
  for (const auto& frame : frames) {
    const char c = colour_of(frame);
    if (runs.empty() || runs.back().first != c) {
      runs.push_back({c, 0});
    }
    ++runs.back().second;
  }
  return runs;
}

std::string describe(const std::vector<std::pair<char, int>>& runs) {
  std::ostringstream out;
  for (const auto& [c, n] : runs) {
    out << c << "x" << n << " ";
  }
  return out.str();
}

const show::CueChanged* as_cue(const show::Event& event, std::size_t index) {
  const auto* changed = std::get_if<show::CueChanged>(&event);
  return changed != nullptr && changed->status.index == index ? changed : nullptr;
}

TEST(Cues, RunOnTimeAndAPassedCueNever) {
  config::Config config = colour_show({});
  const auto start = wall_now() + 2500ms;
  config.event.start = config::format_iso_time(start, 180);
  RecordedEngine show(config, {
                                  // Its time went by before the show: never run.
                                  cue(start - 10s, "-10s", show::SceneCut{"green"}),
                                  cue(start, "+0s", show::SceneCut{"blue"}),
                                  cue(start + 1500ms, "+1.5s", show::SceneCut{"green"}),
                              });
  ASSERT_EQ(show.state()->schedule.size(), 3u);
  EXPECT_EQ(show.state()->schedule[0].state, show::CueState::passed);
  EXPECT_TRUE(show.state()->schedule[0].done());
  EXPECT_EQ(show.state()->schedule[1].state, show::CueState::pending);
  show.start();

  const auto blue = show.wait_for(
      [](const show::Event& e) {
        const auto* p = std::get_if<show::ProgramChanged>(&e);
        return p != nullptr && p->scene == "blue";
      },
      6s);
  const auto green = show.wait_for(
      [](const show::Event& e) {
        const auto* p = std::get_if<show::ProgramChanged>(&e);
        return p != nullptr && p->scene == "green";
      },
      6s);
  ASSERT_TRUE(blue && green);
  const auto ran = show.wait_for([](const show::Event& e) { return as_cue(e, 1) != nullptr; }, 1s);
  ASSERT_TRUE(ran);
  std::this_thread::sleep_for(800ms);

  // On the engine's events: each cue's effect within a few milliseconds of its time
  // (a loaded machine's timer may be late by a little; a poll would be up to a second).
  const auto late_blue = blue->at - start;
  const auto late_green = green->at - (start + 1500ms);
  std::cout << "measured: cues took effect " << late_blue.count() << " ms and "
            << late_green.count() << " ms after their times\n";
  EXPECT_GE(late_blue.count(), 0);
  EXPECT_LT(late_blue.count(), 150);
  EXPECT_GE(late_green.count(), 0);
  EXPECT_LT(late_green.count(), 150);
  const auto& status = std::get<show::CueChanged>(ran->event).status;
  EXPECT_EQ(status.state, show::CueState::ran);
  ASSERT_TRUE(status.ran_at);
  EXPECT_LT(std::abs((*status.ran_at - start).count()), 150);

  const auto state = show.state();
  EXPECT_EQ(state->schedule[0].state, show::CueState::passed) << "still never run";
  EXPECT_FALSE(state->schedule[0].ran_at);
  EXPECT_EQ(state->schedule[2].state, show::CueState::ran);
  EXPECT_EQ(state->program, "green");

  // On the recording: red, then blue for the 1.5 s between the two cues, then green;
  // never the passed cue's green before the blue.
  const auto recording = show.stop_and_decode(32, 18);
  const auto runs = colour_runs(recording.frames);
  ASSERT_GE(runs.size(), 3u) << describe(runs);
  const std::size_t first = runs[0].first == '?' ? 1 : 0;  // a black first frame
  ASSERT_EQ(runs[first].first, 'r') << describe(runs);
  ASSERT_EQ(runs[first + 1].first, 'b') << describe(runs);
  ASSERT_EQ(runs[first + 2].first, 'g') << describe(runs);
  EXPECT_NEAR(runs[first + 1].second, 45, 3) << describe(runs);
}

TEST(Cues, AnOperatorRunsOneNowSkipsAnotherAndAFailureIsShown) {
  config::Config config = colour_show({});
  config::Output spare;
  spare.id = "spare";
  spare.name = "spare";
  spare.type = config::OutputType::rtmp;
  spare.url = "rtmp://127.0.0.1:9/live";
  spare.key_env = "HALLCAST_TEST_NO_SUCH_KEY_VARIABLE";
  spare.enabled = false;
  config.outputs.push_back(spare);
  const auto start = wall_now() + 3s;
  config.event.start = config::format_iso_time(start, 180);
  RecordedEngine show(config, {
                                  cue(start, "+0s", show::SceneCut{"blue"}),
                                  cue(start + 1s, "+1s", show::SceneCut{"green"}),
                                  cue(start + 1s, "+1s", show::OutputStart{"spare"}),
                              });
  show.start();

  // Run now: at once, and never again at its time.
  const auto reply = show.run(show::CueRun{0});
  EXPECT_TRUE(reply.ok()) << reply.message;
  EXPECT_EQ(show.state()->program, "blue");
  EXPECT_EQ(show.state()->schedule[0].state, show::CueState::ran);
  // Skipped: never.
  EXPECT_TRUE(show.run(show::CueSkip{1}).ok());
  EXPECT_EQ(show.state()->schedule[1].state, show::CueState::skipped);
  const auto again = show.run(show::CueSkip{1});
  EXPECT_EQ(again.error, show::ErrorCode::unavailable) << "a cue skips once";
  EXPECT_EQ(show.run(show::CueSkip{9}).error, show::ErrorCode::unknown_cue);
  EXPECT_EQ(show.run(show::CueRun{9}).error, show::ErrorCode::unknown_cue);

  // Past both times: the third cue ran and failed (the output has no key), the first
  // did not run a second time, the skipped one never ran.
  const auto failed =
      show.wait_for([](const show::Event& e) { return as_cue(e, 2) != nullptr; }, 6s);
  ASSERT_TRUE(failed);
  std::this_thread::sleep_for(300ms);
  const auto state = show.state();
  EXPECT_EQ(state->schedule[2].state, show::CueState::failed);
  EXPECT_EQ(state->schedule[2].error, show::ErrorCode::unavailable);
  EXPECT_FALSE(state->schedule[2].message.empty());
  EXPECT_EQ(state->program, "blue") << "the skipped cut to green never ran";
  int events_for_first = 0;
  for (const auto& seen : show.events()) {
    events_for_first += as_cue(seen.event, 0) != nullptr ? 1 : 0;
  }
  EXPECT_EQ(events_for_first, 1) << "run now, then not again at its time";
  // An operator may still run a cue that is done.
  EXPECT_TRUE(show.run(show::CueRun{1}).ok());
  EXPECT_EQ(show.state()->program, "green");
  show.stop_and_decode(32, 18);
}

TEST(Cues, TheListsLogic) {
  const auto now = wall_now();
  const std::vector<show::Cue> cues{
      cue(now + 2s, "+2s", show::SceneCut{"a"}), cue(now - 1s, "-1s", show::SceneCut{"b"}),
      cue(now + 1s, "+1s", show::SceneCut{"c"}), cue(now + 1s, "+1s", show::SceneCut{"d"})};
  auto schedule = show::start_schedule(cues, now);
  EXPECT_EQ(schedule[1].state, show::CueState::passed);
  EXPECT_EQ(show::next_due(schedule), now + 1s);
  EXPECT_TRUE(show::due_cues(schedule, now).empty());
  // Due together: by time, then in the list's order.
  EXPECT_EQ(show::due_cues(schedule, now + 5s), (std::vector<std::size_t>{2, 3, 0}));
  schedule[2].state = show::CueState::skipped;
  EXPECT_EQ(show::due_cues(schedule, now + 5s), (std::vector<std::size_t>{3, 0}));
}

}  // namespace
}  // namespace hallcast::engine::test
