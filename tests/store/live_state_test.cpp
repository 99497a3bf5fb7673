// The live state kept across a restart (show/live_state.h): what is taken from a
// snapshot, and the commands that bring a saved one back on a show built from the same
// config or from another one.
#include "show/live_state.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace hallcast::show {
namespace {

config::Output output(const std::string& id, config::OutputType type, bool enabled,
                      const std::string& language = "floor") {
  config::Output o;
  o.id = id;
  o.name = id;
  o.type = type;
  o.enabled = enabled;
  o.language = language;
  o.path = "recordings";
  return o;
}

// Three scenes, a title and a lower third, a mic and an English booth, two RTMP
// destinations (enabled) and a recording; no automatic director.
config::Config show_config() {
  config::Config c;
  c.event.speakers.push_back({"abiru", "Taisuke Abiru", "", {}});
  c.sources.push_back({"cam1", config::SourceKind::video, "", {}, "cam1", ""});
  c.sources.push_back({"mic1", config::SourceKind::audio, "", {}, "mic1", ""});
  c.sources.push_back({"booth-en", config::SourceKind::interpretation, "", {}, "booth-en", "en"});
  for (const char* id : {"wide", "close", "side"}) {
    c.scenes.push_back({id, id, {{"cam1"}}});
  }
  c.overlays.push_back({"slate", config::OverlayType::title, "", "Starting soon"});
  c.overlays.push_back({"lt-abiru", config::OverlayType::lower_third, "abiru", ""});
  c.outputs.push_back(output("a", config::OutputType::rtmp, true));
  c.outputs.push_back(output("b", config::OutputType::rtmp, true));
  c.outputs.push_back(output("rec", config::OutputType::record, true));
  return c;
}

// show_config() with an automatic director that follows the mic onto "close", on or off
// at start.
config::Config directed_config(bool enabled) {
  config::Config c = show_config();
  config::AutoDirector director;
  director.enabled = enabled;
  director.follow = {{"mic1", "close"}};
  director.fallback_scene = "wide";
  c.auto_director = director;
  return c;
}

// What an operator made of the show: another scene on programme and on preview, the
// slate up, the mic down and the booth muted, "a" in English, "b" stopped.
LiveState operated() {
  LiveState s;
  s.program = "close";
  s.preview = "side";
  s.overlays = {{"slate", true}, {"lt-abiru", false}};
  s.audio = {{"mic1", -6.0, false}, {"booth-en", 0.0, true}};
  s.outputs = {{"a", true, "en"}, {"b", false, "floor"}, {"rec", true, "floor"}};
  return s;
}

std::string describe(const Command& command) {
  return std::visit(
      [](const auto& c) -> std::string {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, SceneCut>) {
          return "scene.cut " + c.scene;
        } else if constexpr (std::is_same_v<T, ScenePreview>) {
          return "scene.preview " + c.scene;
        } else if constexpr (std::is_same_v<T, OverlayShow>) {
          return "overlay.show " + c.overlay;
        } else if constexpr (std::is_same_v<T, AudioSet>) {
          return "audio.set " + c.channel + " " + std::to_string(c.gain_db.value_or(99)) + " " +
                 (c.muted.value_or(false) ? "muted" : "open");
        } else if constexpr (std::is_same_v<T, OutputSetLanguage>) {
          return "output.set_language " + c.output + " " + c.language;
        } else if constexpr (std::is_same_v<T, OutputStart>) {
          return "output.start " + c.output;
        } else if constexpr (std::is_same_v<T, OutputStop>) {
          return "output.stop " + c.output;
        } else if constexpr (std::is_same_v<T, AutoSet>) {
          return std::string("auto.set ") + (c.enabled ? "on" : "off");
        } else {
          return "other";
        }
      },
      command);
}

std::vector<std::string> describe(const RestorePlan& plan) {
  std::vector<std::string> lines;
  for (const auto& command : plan.commands) {
    lines.push_back(describe(command));
  }
  return lines;
}

TEST(LiveStateTest, TakesWhatTheOperatorsSetAndWhichDestinationsRun) {
  Snapshot snapshot = initial_snapshot(show_config());
  snapshot.program = "close";
  snapshot.preview = "side";
  snapshot.overlays[0].visible = true;
  snapshot.audio[0].gain_db = -6.0;
  snapshot.audio[1].muted = true;
  snapshot.outputs[0].state = OutputState::reconnecting;
  snapshot.outputs[0].language = "en";
  snapshot.outputs[0].bytes = 123456;  // counters are no part of it
  snapshot.outputs[1].state = OutputState::error;
  snapshot.outputs[2].state = OutputState::live;
  snapshot.programme.frames_encoded = 999;
  snapshot.sources[0].health = Health::lost;

  EXPECT_EQ(live_state(snapshot), operated());
}

TEST(LiveStateTest, TakesWhetherTheAutoDirectorIsOnButNotWhomItFollows) {
  Snapshot snapshot = initial_snapshot(directed_config(false));
  EXPECT_EQ(live_state(snapshot).auto_director, std::optional<bool>(false));
  snapshot.auto_director.enabled = true;
  snapshot.auto_director.speaker = "mic1";
  LiveState expected = live_state(initial_snapshot(directed_config(false)));
  expected.auto_director = true;
  EXPECT_EQ(live_state(snapshot), expected);
  snapshot.auto_director.speaker.clear();
  EXPECT_EQ(live_state(snapshot), expected);
}

TEST(LiveStateTest, RunningMeansConnectingLiveOrReconnecting) {
  EXPECT_TRUE(is_running(OutputState::connecting));
  EXPECT_TRUE(is_running(OutputState::live));
  EXPECT_TRUE(is_running(OutputState::reconnecting));
  EXPECT_FALSE(is_running(OutputState::idle));
  EXPECT_FALSE(is_running(OutputState::error));
}

TEST(LiveStateTest, MetersThumbnailsAndHealthCannotChangeIt) {
  EXPECT_FALSE(may_change_live_state(Meters{}));
  EXPECT_FALSE(may_change_live_state(Thumbnail{}));
  EXPECT_FALSE(may_change_live_state(SourceChanged{}));
  EXPECT_TRUE(may_change_live_state(ProgramChanged{}));
  EXPECT_TRUE(may_change_live_state(PreviewChanged{}));
  EXPECT_TRUE(may_change_live_state(OverlayChanged{}));
  EXPECT_TRUE(may_change_live_state(AudioChanged{}));
  EXPECT_TRUE(may_change_live_state(OutputChanged{}));
  EXPECT_TRUE(may_change_live_state(AutoChanged{}));
}

TEST(PlanRestoreTest, BringsBackEverythingOnTheSameConfig) {
  const RestorePlan plan = plan_restore(operated(), show_config());
  EXPECT_TRUE(plan.warnings.empty());
  // "b" ran not: it stays stopped although the config enables it. Languages are set
  // before the destinations start.
  const std::vector<std::string> expected{"scene.cut close",
                                          "scene.preview side",
                                          "overlay.show slate",
                                          "audio.set mic1 -6.000000 open",
                                          "audio.set booth-en 0.000000 muted",
                                          "output.set_language a en",
                                          "output.start a",
                                          "output.start rec"};
  EXPECT_EQ(describe(plan), expected);
}

TEST(PlanRestoreTest, NothingToDoWhenTheShowWasAsTheConfigStartsIt) {
  const config::Config config = show_config();
  LiveState fresh = live_state(initial_snapshot(config));
  for (auto& o : fresh.outputs) {
    o.running = false;
  }
  EXPECT_TRUE(describe(plan_restore(fresh, config)).empty());
  EXPECT_TRUE(plan_restore(fresh, config).warnings.empty());
}

TEST(PlanRestoreTest, FromAnotherConfigAppliesWhatFitsAndWarnsOncePerPartLeftOut) {
  config::Config config = show_config();
  LiveState saved = operated();
  saved.program = "gone-scene";                             // 1
  saved.overlays.push_back({"gone-overlay", true});         // 2
  saved.audio.push_back({"gone-mic", -3.0, false});         // 3
  saved.outputs.push_back({"gone-output", true, "floor"});  // 4
  saved.outputs[0].language = "de";                         // 5: no German track
  const RestorePlan plan = plan_restore(saved, config);

  ASSERT_EQ(plan.warnings.size(), 5u);
  const std::vector<std::string> named{"gone-scene", "gone-overlay", "gone-mic", "gone-output",
                                       "\"de\""};
  for (std::size_t i = 0; i < named.size(); ++i) {
    int mentions = 0;
    for (const auto& warning : plan.warnings) {
      mentions += warning.find(named[i]) != std::string::npos;
    }
    EXPECT_EQ(mentions, 1) << named[i];
  }
  const std::vector<std::string> expected{"scene.preview side",
                                          "overlay.show slate",
                                          "audio.set mic1 -6.000000 open",
                                          "audio.set booth-en 0.000000 muted",
                                          "output.start a",
                                          "output.start rec"};
  EXPECT_EQ(describe(plan), expected);
}

TEST(PlanRestoreTest, ANewDestinationFollowsTheConfig) {
  config::Config config = show_config();
  config.outputs.push_back(output("new-on", config::OutputType::rtmp, true));
  config.outputs.push_back(output("new-off", config::OutputType::rtmp, false));
  LiveState saved = operated();
  const auto commands = describe(plan_restore(saved, config));
  EXPECT_NE(std::find(commands.begin(), commands.end(), "output.start new-on"), commands.end());
  EXPECT_EQ(std::find(commands.begin(), commands.end(), "output.start new-off"), commands.end());
}

TEST(PlanRestoreTest, AGainOutsideTheFadersRangeIsLeftOut) {
  LiveState saved = operated();
  saved.audio[0].gain_db = 80.0;
  const RestorePlan plan = plan_restore(saved, show_config());
  ASSERT_EQ(plan.warnings.size(), 1u);
  EXPECT_NE(plan.warnings[0].find("mic1"), std::string::npos);
  for (const auto& line : describe(plan)) {
    EXPECT_EQ(line.find("audio.set mic1"), std::string::npos) << line;
  }
}

TEST(PlanRestoreTest, TheAutoDirectorComesBackOnAfterTheScenes) {
  LiveState saved = operated();
  saved.auto_director = true;
  const auto commands = describe(plan_restore(saved, directed_config(false)));
  const std::vector<std::string> first{"scene.cut close", "scene.preview side", "auto.set on",
                                       "overlay.show slate"};
  ASSERT_GE(commands.size(), first.size());
  EXPECT_EQ(std::vector<std::string>(commands.begin(), commands.begin() + 4), first);
  EXPECT_EQ(std::count(commands.begin(), commands.end(), "auto.set on"), 1);
}

// The scene.cut that brings the programme back switches the director off, as an
// operator's cut would: one that was on goes on again after it, even when the config
// starts it on.
TEST(PlanRestoreTest, ADirectorOnInTheConfigIsSwitchedOnAgainAfterTheCut) {
  LiveState saved = operated();
  saved.auto_director = true;
  auto commands = describe(plan_restore(saved, directed_config(true)));
  auto cut = std::find(commands.begin(), commands.end(), "scene.cut close");
  auto on = std::find(commands.begin(), commands.end(), "auto.set on");
  ASSERT_NE(cut, commands.end());
  ASSERT_NE(on, commands.end());
  EXPECT_LT(cut, on);

  // No cut, nothing to switch back on.
  saved.program = initial_snapshot(directed_config(true)).program;
  commands = describe(plan_restore(saved, directed_config(true)));
  EXPECT_EQ(std::find(commands.begin(), commands.end(), "auto.set on"), commands.end());
}

TEST(PlanRestoreTest, ADirectorSwitchedOffStaysOffAlthoughTheConfigStartsItOn) {
  LiveState saved = operated();
  saved.auto_director = false;
  const auto commands = describe(plan_restore(saved, directed_config(true)));
  EXPECT_EQ(std::count(commands.begin(), commands.end(), "auto.set off"), 1);
  EXPECT_EQ(std::count(commands.begin(), commands.end(), "auto.set on"), 0);
  // Off in the config too: nothing to do.
  EXPECT_EQ(describe(plan_restore(saved, directed_config(false))),
            describe(plan_restore(operated(), show_config())));
}

TEST(PlanRestoreTest, ADirectorTheConfigNoLongerHasIsLeftOutWithOneWarning) {
  LiveState saved = operated();
  saved.auto_director = true;
  RestorePlan plan = plan_restore(saved, show_config());
  ASSERT_EQ(plan.warnings.size(), 1u);
  EXPECT_NE(plan.warnings[0].find("auto director"), std::string::npos) << plan.warnings[0];
  EXPECT_EQ(describe(plan), describe(plan_restore(operated(), show_config())));
  // One that was off is no loss.
  saved.auto_director = false;
  EXPECT_TRUE(plan_restore(saved, show_config()).warnings.empty());
}

TEST(PlanRestoreTest, NothingToDoForADirectorAsTheConfigStartsIt) {
  for (const bool enabled : {false, true}) {
    const config::Config config = directed_config(enabled);
    LiveState fresh = live_state(initial_snapshot(config));
    for (auto& o : fresh.outputs) {
      o.running = false;
    }
    EXPECT_TRUE(describe(plan_restore(fresh, config)).empty()) << enabled;
  }
}

}  // namespace
}  // namespace hallcast::show
