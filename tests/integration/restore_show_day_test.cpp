// The show's day across a crash (SPEC §5): after a kill -9, the same command brings
// back what became of the cue list — a cue run early and one skipped stay so, with the
// time the first one ran, rather than waiting to run again — and the captions as the crew
// left them: one made live in Cyrillic with an English line, a title reworded, a lower
// third deleted (and still deleted). A destination the config leaves armed is ready
// again; one an operator stopped stays stopped, not armed. Judged on the control
// WebSocket's state after the restart.
#include <csignal>
#include <ctime>

#include "integration/restore_support.h"
#include "support/ports.h"

namespace hallcast::testing {
namespace {

// `time` as an ISO 8601 time in Moscow (UTC+3), to the second.
std::string moscow_time(std::chrono::system_clock::time_point time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time + std::chrono::hours(3));
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S+03:00", &utc);
  return text;
}

const json* find_cue(const json& state, int index) {
  for (const auto& cue : state["schedule"]) {
    if (cue.value("index", -1) == index) {
      return &cue;
    }
  }
  return nullptr;
}

std::string cue_status(const json& state, int index) {
  const json* cue = find_cue(state, index);
  return cue != nullptr ? cue->value("status", "") : "(none)";
}

// show_config with a speaker's lower third, an event an hour from now whose three cues
// are all still ahead, a recording that runs from launch and a second one left armed.
json day_config(int port, const std::filesystem::path& records) {
  json config = show_config(port);
  config["event"]["start"] = moscow_time(std::chrono::system_clock::now() + std::chrono::hours(1));
  config["event"]["speakers"] =
      json::array({{{"id", "guest"}, {"name", "Guest Speaker"}, {"role", "Guest"}}});
  config["overlays"].push_back({{"id", "lt-guest"}, {"type", "lower_third"}, {"speaker", "guest"}});
  config["schedule"] = json::array({
      {{"at", "-30m"}, {"cmd", "scene.cut"}, {"scene", "side"}},
      {{"at", "-20m"}, {"cmd", "overlay.show"}, {"overlay", "lt-guest"}},
      {{"at", "+0s"}, {"cmd", "scene.cut"}, {"scene", "close"}},
  });
  json spare = record_output(records / "spare");
  spare["id"] = "spare";
  spare["enabled"] = false;
  config["outputs"] = json::array({record_output(records / "rec"), spare});
  return config;
}

TEST_F(RestoreTest, AKilledShowKeepsItsCueListItsCaptionsAndItsArmedDestination) {
  const int port = free_loopback_port();
  const json config = day_config(port, record_dir());
  const Environment env{{"HALLCAST_TEST_TOKEN", kToken}};
  ASSERT_NO_FATAL_FAILURE(start(config, env));
  std::string ran_at;
  {
    auto ws = connect_operator(port);
    ASSERT_TRUE(ws);
    ok_request(*ws, {{"cmd", "cue.run"}, {"cue", 0}});
    ok_request(*ws, {{"cmd", "cue.skip"}, {"cue", 1}});
    ok_request(*ws, {{"cmd", "overlay.create"},
                     {"overlay", "q1"},
                     {"type", "lower_third"},
                     {"name", "Мария Петрова"},
                     {"role", "МГИМО"},
                     {"name_en", "Maria Petrova"}});
    ok_request(*ws, {{"cmd", "overlay.show"}, {"overlay", "q1"}});
    ok_request(*ws, {{"cmd", "overlay.update"}, {"overlay", "slate"}, {"text", "Начало в 11:05"}});
    ok_request(*ws, {{"cmd", "overlay.delete"}, {"overlay", "lt-guest"}});
    ok_request(*ws, {{"cmd", "output.stop"}, {"output", "rec"}});
    const json state = state_when(
        *ws, [](const json& s) { return cue_status(s, 0) == "ran"; }, 10s);
    ASSERT_EQ(cue_status(state, 0), "ran") << state.dump(1);
    ran_at = find_cue(state, 0)->value("ran_at", "");
    ASSERT_FALSE(ran_at.empty()) << state.dump(1);
  }
  // Killed only once all of it is on disk: what a crash leaves, the restart has.
  ASSERT_TRUE(saved_when(state_dir(), [](const json& s) {
    const json* rec = find_entry(s["outputs"], "id", "rec");
    return s.contains("cues") && s["cues"].size() == 2 && find_entry(s["overlays"], "id", "q1") &&
           s.value("deleted_overlays", json::array()).size() == 1 && rec != nullptr &&
           !rec->value("running", true);
  }));
  ASSERT_EQ(stop_with(SIGKILL).exit_code, 128 + SIGKILL);

  // The same command again.
  const auto restarted = Clock::now();
  ASSERT_NO_FATAL_FAILURE(start(config, env));
  auto ws = connect_operator(port);
  ASSERT_TRUE(ws);
  auto restored = [](const json& s) {
    const json* q1 = find_entry(s["overlays"], "id", "q1");
    const json* slate = find_entry(s["overlays"], "id", "slate");
    return s.value("program", "") == "side" && q1 != nullptr && q1->value("visible", false) &&
           slate != nullptr && slate->value("text", "") == "Начало в 11:05";
  };
  const json state = state_when(*ws, restored, 10s);
  const auto took = Clock::now() - restarted;
  EXPECT_TRUE(restored(state)) << state.dump(1);
  EXPECT_LE(took, kRestoreLimit) << std::chrono::duration<double>(took).count() << " s";

  // The cue run early has run, at the time it ran; the skipped one stays skipped; the
  // one nobody touched waits for its time.
  EXPECT_EQ(cue_status(state, 0), "ran") << state.dump(1);
  ASSERT_NE(find_cue(state, 0), nullptr);
  EXPECT_EQ(find_cue(state, 0)->value("ran_at", ""), ran_at);
  EXPECT_EQ(cue_status(state, 1), "skipped") << state.dump(1);
  EXPECT_EQ(cue_status(state, 2), "pending") << state.dump(1);

  // The caption made live, in both scripts; the reworded title; the deleted lower third.
  const json* q1 = find_entry(state["overlays"], "id", "q1");
  ASSERT_NE(q1, nullptr) << state.dump(1);
  EXPECT_EQ(q1->value("type", ""), "lower_third");
  EXPECT_EQ(q1->value("name", ""), "Мария Петрова");
  EXPECT_EQ(q1->value("role", ""), "МГИМО");
  EXPECT_EQ(q1->value("forms", json()),
            json::parse(R"([{"language": "en", "name": "Maria Petrova", "role": ""}])"));
  EXPECT_TRUE(q1->value("created", false));
  EXPECT_EQ(find_entry(state["overlays"], "id", "lt-guest"), nullptr) << state.dump(1);

  // The recording an operator stopped stays stopped, not armed; the armed one is ready.
  const json* rec = find_entry(state["outputs"], "id", "rec");
  const json* spare = find_entry(state["outputs"], "id", "spare");
  ASSERT_NE(rec, nullptr);
  ASSERT_NE(spare, nullptr);
  EXPECT_EQ(rec->value("state", ""), "idle");
  EXPECT_FALSE(rec->value("ready", true)) << rec->dump();
  EXPECT_EQ(spare->value("state", ""), "idle");
  EXPECT_TRUE(spare->value("ready", false)) << spare->dump();
  ASSERT_NO_FATAL_FAILURE(expect_clean_stop());
}

}  // namespace
}  // namespace hallcast::testing
