// The programme's opening look: the configured scene and preview (not the first scenes
// of the list), and the opening overlays at full strength from the very first frame
// (no fade-in at launch); an output the config does not enable stays idle and shows as
// ready until it is started or stopped, one without its key does not.
#include <gtest/gtest.h>

#include <iostream>

#include "show_day_support.h"

namespace hallcast::engine::test {
namespace {

using namespace std::chrono_literals;
using testing::median_colour;

// `key`: what the config layer read from `key_env` at load ("" when it is not set).
config::Output rtmp(const std::string& id, const std::string& key_env, const std::string& key) {
  config::Output output;
  output.id = id;
  output.name = id;
  output.type = config::OutputType::rtmp;
  output.url = "rtmp://127.0.0.1:9/live";
  output.key_env = key_env;
  output.key = config::Secret(key);
  output.enabled = false;
  return output;
}

TEST(Standby, OpensOnItsOpeningLookWithArmedOutputsReady) {
  config::Config config = colour_show({});
  config.event.speakers = {{"abiru", "Taisuke Abiru", "Fellow", {}}};
  config.overlays = {{"lt", config::OverlayType::lower_third, "abiru", ""},
                     {"slate", config::OverlayType::title, "", "Soon"}};
  config.opening = {"blue", "green", {"lt"}};
  config.outputs.push_back(rtmp("spare", "HALLCAST_TEST_STANDBY_KEY", "standby-key-3f9a"));
  config.outputs.push_back(rtmp("nokey", "HALLCAST_TEST_NO_SUCH_KEY_VARIABLE", ""));
  config.outputs.push_back(rtmp("other", "HALLCAST_TEST_STANDBY_KEY", "standby-key-3f9a"));
  RecordedEngine show(config);
  EXPECT_EQ(show.state()->program, "blue");
  EXPECT_EQ(show.state()->preview, "green");
  EXPECT_TRUE(show.state()->find_overlay("lt")->visible);
  EXPECT_FALSE(show.state()->find_overlay("slate")->visible);
  show.start();

  const auto state = show.state();
  const auto* spare = state->find_output("spare");
  const auto* nokey = state->find_output("nokey");
  ASSERT_TRUE(spare && nokey);
  EXPECT_EQ(spare->state, show::OutputState::idle) << "enabled: false is not live at launch";
  EXPECT_TRUE(spare->ready) << "armed: its key is there";
  EXPECT_EQ(nokey->state, show::OutputState::idle);
  EXPECT_FALSE(nokey->ready) << "no key: not ready";
  EXPECT_FALSE(state->find_output("rec")->ready) << "live, not waiting";
  // Started, it is no longer ready (it tries; nothing listens on port 9).
  ASSERT_TRUE(show.run(show::OutputStart{"spare"}).ok());
  EXPECT_FALSE(show.state()->find_output("spare")->ready);
  EXPECT_NE(show.state()->find_output("spare")->state, show::OutputState::idle);
  // Stopped, it is stopped and not armed again: a cue or an operator stopped it.
  ASSERT_TRUE(show.run(show::OutputStop{"spare"}).ok());
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (show.state()->find_output("spare")->state != show::OutputState::idle &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_EQ(show.state()->find_output("spare")->state, show::OutputState::idle);
  EXPECT_FALSE(show.state()->find_output("spare")->ready);
  // One stopped while it waited armed is not armed any more either, and says so.
  EXPECT_TRUE(show.state()->find_output("other")->ready);
  ASSERT_TRUE(show.run(show::OutputStop{"other"}).ok());
  EXPECT_FALSE(show.state()->find_output("other")->ready);
  EXPECT_EQ(show.state()->find_output("other")->state, show::OutputState::idle);
  EXPECT_TRUE(show.wait_for(
      [](const show::Event& e) {
        const auto* changed = std::get_if<show::OutputChanged>(&e);
        return changed != nullptr && changed->status.id == "other" && !changed->status.ready;
      },
      1s));
  std::this_thread::sleep_for(1000ms);

  // The recording runs from launch: its first pictures are the opening look, the lower
  // third at full strength from the first one.
  const auto recording = show.stop_and_decode();
  ASSERT_GT(recording.frames.size(), 20u);
  const CaptionImage lower_third = render_lower_third("Taisuke Abiru", "Fellow", kWidth, kHeight);
  const auto expected = composite(lower_third, {0, 0, 255});
  std::size_t first = 0;
  while (first < 2 && median_colour(recording.frames[first]).b < 100) {
    ++first;  // the compositor may start on a black frame
  }
  for (std::size_t i = first; i < first + 10; ++i) {
    const auto& frame = recording.frames[i];
    const auto ground = median_colour(frame, {0, 0, kWidth, 40});
    EXPECT_GT(ground.b, 200) << "frame " << i << ": the opening scene, blue";
    EXPECT_LT(ground.r, 60) << "frame " << i << ": not the first scene, red";
    const double off = difference(frame, lower_third, expected);
    EXPECT_LT(off, 20.0) << "frame " << i << ": the lower third, all there";
  }
}

}  // namespace
}  // namespace hallcast::engine::test
