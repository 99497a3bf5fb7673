// The live state kept across a restart (show/live_state.h): what is taken from a
// snapshot, and the commands that bring a saved one back on a show built from the same
// config or from another one.
#include "show/live_state.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
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
        } else if constexpr (std::is_same_v<T, OverlayCreate>) {
          return "overlay.create " + c.overlay + " " + c.content.name + c.content.text;
        } else if constexpr (std::is_same_v<T, OverlayUpdate>) {
          std::string line =
              "overlay.update " + c.overlay + " " + c.name.value_or("") + c.text.value_or("");
          for (const auto& form : c.forms) {
            line += " " + form.language + ":" + form.name.value_or("?");
          }
          return line;
        } else if constexpr (std::is_same_v<T, OverlayDelete>) {
          return "overlay.delete " + c.overlay;
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

  EXPECT_EQ(live_state(snapshot, show_config()), operated());
}

TEST(LiveStateTest, TakesWhetherTheAutoDirectorIsOnButNotWhomItFollows) {
  Snapshot snapshot = initial_snapshot(directed_config(false));
  EXPECT_EQ(live_state(snapshot, directed_config(false)).auto_director, std::optional<bool>(false));
  snapshot.auto_director.enabled = true;
  snapshot.auto_director.speaker = "mic1";
  LiveState expected = live_state(initial_snapshot(directed_config(false)), directed_config(false));
  expected.auto_director = true;
  EXPECT_EQ(live_state(snapshot, directed_config(false)), expected);
  snapshot.auto_director.speaker.clear();
  EXPECT_EQ(live_state(snapshot, directed_config(false)), expected);
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
  EXPECT_TRUE(may_change_live_state(OverlayDeleted{}));
  EXPECT_TRUE(may_change_live_state(CueChanged{}));
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
  LiveState fresh = live_state(initial_snapshot(config), config);
  for (auto& o : fresh.outputs) {
    o.running = false;
    o.stopped = false;  // armed, as the engine leaves an output it did not start
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
    LiveState fresh = live_state(initial_snapshot(config), config);
    for (auto& o : fresh.outputs) {
      o.running = false;
      o.stopped = false;
    }
    EXPECT_TRUE(describe(plan_restore(fresh, config)).empty()) << enabled;
  }
}

// show_config() with three cues, from an event start in the config.
config::Config scheduled_config() {
  config::Config c = show_config();
  c.event.start = "2026-07-03T11:00:00+03:00";
  c.schedule.push_back(
      {"-5m", std::chrono::minutes(-5), std::nullopt, R"({"cmd":"output.start","output":"b"})"});
  c.schedule.push_back(
      {"+0s", std::chrono::minutes(0), std::nullopt, R"({"cmd":"scene.cut","scene":"wide"})"});
  c.schedule.push_back(
      {"+2h", std::chrono::hours(2), std::nullopt, R"({"cmd":"output.stop","output":"a"})"});
  return c;
}

TEST(LiveStateTest, TakesCaptionsEditedMadeAndDeletedLiveButNotTheConfigsWords) {
  const config::Config config = show_config();
  Snapshot snapshot = initial_snapshot(config);
  const LiveState untouched = live_state(snapshot, config);
  ASSERT_EQ(untouched.overlays.size(), 2u);
  EXPECT_FALSE(untouched.overlays[0].content);
  EXPECT_FALSE(untouched.overlays[1].content);
  EXPECT_TRUE(untouched.deleted_overlays.empty());

  snapshot.overlays[0].content.text = "Начало в 11:05";    // the slate reworded
  snapshot.overlays.erase(snapshot.overlays.begin() + 1);  // lt-abiru deleted
  OverlayStatus made;
  made.id = "q1";
  made.type = config::OverlayType::lower_third;
  made.content = {"Мария Петрова", "МГИМО", {{"en", "Maria Petrova", ""}}, ""};
  made.visible = true;
  made.created = true;
  snapshot.overlays.push_back(made);

  const LiveState live = live_state(snapshot, config);
  ASSERT_EQ(live.overlays.size(), 2u);
  EXPECT_EQ(live.overlays[0].type, config::OverlayType::title);
  EXPECT_EQ(live.overlays[0].content->text, "Начало в 11:05");
  EXPECT_FALSE(live.overlays[0].created);
  EXPECT_EQ(live.overlays[1].id, "q1");
  EXPECT_TRUE(live.overlays[1].created);
  EXPECT_TRUE(live.overlays[1].visible);
  EXPECT_EQ(live.overlays[1].content, made.content);
  EXPECT_EQ(live.deleted_overlays, std::vector<std::string>{"lt-abiru"});
}

TEST(LiveStateTest, TakesTheCuesThatAreDoneWithTheirCommands) {
  const config::Config config = scheduled_config();
  Snapshot snapshot = initial_snapshot(config);
  for (std::size_t i = 0; i < config.schedule.size(); ++i) {
    CueStatus cue;
    cue.index = i;
    cue.at_text = config.schedule[i].at_text;
    cue.at = {*config.cue_time(config.schedule[i]), 180};
    snapshot.schedule.push_back(cue);
  }
  const config::WallTime ran_at{std::chrono::milliseconds(1782978900123)};
  snapshot.schedule[0].state = CueState::failed;
  snapshot.schedule[0].ran_at = ran_at;
  snapshot.schedule[0].error = ErrorCode::unavailable;
  snapshot.schedule[0].message = "no key";
  snapshot.schedule[1].state = CueState::skipped;

  const LiveState live = live_state(snapshot, config);
  const auto due = [&](std::size_t i) { return *config.cue_time(config.schedule[i]); };
  const std::vector<CueLiveState> expected{
      {0, "-5m", due(0), config.schedule[0].request, CueState::failed, ran_at,
       ErrorCode::unavailable, "no key"},
      {1, "+0s", due(1), config.schedule[1].request, CueState::skipped, std::nullopt,
       ErrorCode::none, ""}};
  EXPECT_EQ(live.cues, expected);
}

TEST(PlanRestoreTest, BringsBackTheCaptionsAsTheCrewLeftThem) {
  LiveState saved = operated();
  saved.deleted_overlays = {"lt-abiru", "gone-overlay"};
  saved.overlays = {
      {"slate", true, config::OverlayType::title, OverlayText{"", "", {}, "Скоро"}},
      {"q1", true, config::OverlayType::lower_third,
       OverlayText{"Мария Петрова", "МГИМО", {{"en", "Maria Petrova", ""}}, ""}, true}};
  const RestorePlan plan = plan_restore(saved, show_config());
  EXPECT_TRUE(plan.warnings.empty()) << plan.warnings[0];
  const auto commands = describe(plan);
  // Deleted first, then the words and the caption made live, then what is shown.
  const std::vector<std::string> overlays{"overlay.delete lt-abiru", "overlay.update slate Скоро",
                                          "overlay.create q1 Мария Петрова", "overlay.show slate",
                                          "overlay.show q1"};
  auto first = std::find(commands.begin(), commands.end(), overlays[0]);
  ASSERT_NE(first, commands.end()) << ::testing::PrintToString(commands);
  ASSERT_LE(first + overlays.size(), commands.end());
  EXPECT_EQ(std::vector<std::string>(first, first + overlays.size()), overlays);
}

TEST(PlanRestoreTest, ALowerThirdsWordsComeBackWithItsFormsSetAndCleared) {
  config::Config config = show_config();
  config.event.speakers[0].forms = {{"ru", "Тайсукэ Абиру", ""}, {"ja", "阿比留泰輔", ""}};
  LiveState saved = operated();
  saved.overlays[1] = {"lt-abiru", false, config::OverlayType::lower_third,
                       OverlayText{"Taisuke Abiru", "Panelist", {{"ru", "Т. Абиру", ""}}, ""}};
  const auto commands = describe(plan_restore(saved, config));
  EXPECT_NE(std::find(commands.begin(), commands.end(),
                      "overlay.update lt-abiru Taisuke Abiru ru:Т. Абиру ja:"),
            commands.end())
      << ::testing::PrintToString(commands);
}

TEST(PlanRestoreTest, ACaptionMadeLiveGivesWayToAConfigOverlayOfItsId) {
  LiveState saved = operated();
  saved.overlays.push_back(
      {"slate", true, config::OverlayType::title, OverlayText{"", "", {}, "Made live"}, true});
  const RestorePlan plan = plan_restore(saved, show_config());
  ASSERT_EQ(plan.warnings.size(), 1u);
  EXPECT_NE(plan.warnings[0].find("\"slate\""), std::string::npos) << plan.warnings[0];
  for (const auto& line : describe(plan)) {
    EXPECT_EQ(line.rfind("overlay.create", 0), std::string::npos) << line;
  }
}

TEST(PlanRestoreTest, ADoneCueStaysDoneWhileTheScheduleStillHasIt) {
  const config::Config config = scheduled_config();
  const auto due = [&](std::size_t i) { return *config.cue_time(config.schedule[i]); };
  LiveState saved = operated();
  saved.cues = {
      {0, "-5m", due(0), config.schedule[0].request, CueState::ran},
      {1, "-1m", due(1), config.schedule[1].request, CueState::skipped},  // rewritten since
      {2, "+2h", due(2), R"({"cmd":"output.stop","output":"b"})", CueState::ran},  // changed
      {2, "+2h", due(2) - std::chrono::hours(3), config.schedule[2].request,
       CueState::ran},                           // a rehearsal's, earlier
      {7, "+3h", due(2), "{}", CueState::ran}};  // gone
  const RestorePlan plan = plan_restore(saved, config);
  ASSERT_EQ(plan.cues.size(), 1u);
  EXPECT_EQ(plan.cues[0], saved.cues[0]);
  ASSERT_EQ(plan.warnings.size(), 4u);
  EXPECT_NE(plan.warnings[0].find("cue 1 (-1m)"), std::string::npos) << plan.warnings[0];
  EXPECT_NE(plan.warnings[1].find("cue 2 (+2h)"), std::string::npos) << plan.warnings[1];
  EXPECT_NE(plan.warnings[2].find("cue 2 (+2h)"), std::string::npos) << plan.warnings[2];
  EXPECT_NE(plan.warnings[3].find("cue 7 (+3h)"), std::string::npos) << plan.warnings[3];
}

TEST(PlanRestoreTest, AStoppedDestinationIsStoppedAgainAnArmedOneLeftArmed) {
  LiveState saved = operated();
  saved.outputs[1].stopped = true;  // "b", stopped by an operator
  const auto commands = describe(plan_restore(saved, show_config()));
  EXPECT_EQ(std::count(commands.begin(), commands.end(), "output.stop b"), 1);
  EXPECT_EQ(describe(plan_restore(operated(), show_config())).size() + 1, commands.size());
}

}  // namespace
}  // namespace hallcast::show
