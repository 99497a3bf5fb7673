// Restart without losing the show (SPEC §5): `hallcast run --state-dir DIR` keeps the
// show's live state in DIR; after a kill -9 the same command brings it back, from a
// state written atomically and not too often. A file from another config is applied
// as far as it fits; a corrupt one is set aside. Judged from outside: the control
// WebSocket's state, what nginx-rtmp received, the recordings decoded, the state file
// and how often it was renamed into place.
#include <csignal>

#include "integration/restore_support.h"
#include "support/media_probe.h"
#include "support/ports.h"
#include "support/rename_counter.h"

namespace hallcast::testing {
namespace {

TEST_F(RestoreTest, AKilledShowComesBackAsTheOperatorsLeftIt) {
  NginxRtmp& nginx = start_nginx();
  const int port = free_loopback_port();
  json config = show_config(port);
  config["outputs"] = json::array({rtmp_output("a", nginx.url(), "HALLCAST_TEST_KEY_A"),
                                   rtmp_output("b", nginx.url(), "HALLCAST_TEST_KEY_B"),
                                   record_output(record_dir())});
  const Environment env{{"HALLCAST_TEST_KEY_A", kKeyA},
                        {"HALLCAST_TEST_KEY_B", kKeyB},
                        {"HALLCAST_TEST_TOKEN", kToken}};
  ASSERT_NO_FATAL_FAILURE(start(config, env));
  {
    auto ws = connect_operator(port);
    ASSERT_TRUE(ws);
    const json state = state_when(
        *ws,
        [](const json& s) {
          return output_state(s, "a") == "live" && output_state(s, "b") == "live";
        },
        30s);
    ASSERT_EQ(output_state(state, "a"), "live") << state.dump();
    ASSERT_EQ(output_state(state, "b"), "live") << state.dump();

    ok_request(*ws, {{"cmd", "scene.cut"}, {"scene", "close"}});
    ok_request(*ws, {{"cmd", "scene.preview"}, {"scene", "side"}});
    ok_request(*ws, {{"cmd", "overlay.show"}, {"overlay", "slate"}});
    ok_request(*ws, {{"cmd", "audio.set"}, {"channel", "mic1"}, {"gain_db", -12}});
    ok_request(*ws, {{"cmd", "audio.set"}, {"channel", "booth-en"}, {"muted", true}});
    ok_request(*ws, {{"cmd", "output.set_language"}, {"output", "a"}, {"language", "en"}});
    ok_request(*ws, {{"cmd", "output.stop"}, {"output", "b"}});
  }
  // Killed only once all of it is on disk: what a crash leaves, the restart has.
  ASSERT_TRUE(saved_when(state_dir(), [](const json& s) {
    const json* b = find_entry(s["outputs"], "id", "b");
    const json* a = find_entry(s["outputs"], "id", "a");
    const json* booth = find_entry(s["audio"], "channel", "booth-en");
    return b != nullptr && !b->value("running", true) && a != nullptr &&
           a->value("language", "") == "en" && booth != nullptr && booth->value("muted", false);
  }));
  ASSERT_TRUE(run_until_recorded(60, 30s));
  const auto old_recording = find_recordings(record_dir()).back();
  const int published_a = publishes(nginx, kKeyA);
  const int published_b = publishes(nginx, kKeyB);
  ASSERT_EQ(stop_with(SIGKILL).exit_code, 128 + SIGKILL);

  // The same command again.
  const auto restarted = Clock::now();
  ASSERT_NO_FATAL_FAILURE(start(config, env));
  auto ws = connect_operator(port);
  ASSERT_TRUE(ws);
  auto restored = [](const json& s) {
    const json* slate = find_entry(s["overlays"], "id", "slate");
    const json* mic = find_entry(s["audio"], "channel", "mic1");
    const json* booth = find_entry(s["audio"], "channel", "booth-en");
    const json* a = find_entry(s["outputs"], "id", "a");
    const auto running = [&](const std::string& id) {
      const auto state = output_state(s, id);
      return state == "connecting" || state == "live" || state == "reconnecting";
    };
    return s.value("program", "") == "close" && s.value("preview", "") == "side" &&
           slate != nullptr && slate->value("visible", false) && mic != nullptr &&
           mic->value("gain_db", 0.0) == -12.0 && !mic->value("muted", true) && booth != nullptr &&
           booth->value("muted", false) && booth->value("gain_db", 1.0) == 0.0 && a != nullptr &&
           a->value("language", "") == "en" && running("a") && running("rec") &&
           output_state(s, "b") == "idle";
  };
  json state = state_when(*ws, restored, 10s);
  const auto took = Clock::now() - restarted;
  RecordProperty(
      "restored_after_ms",
      static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
  EXPECT_TRUE(restored(state)) << state.dump(1);
  EXPECT_LE(took, kRestoreLimit) << std::chrono::duration<double>(took).count() << " s";

  // The destination that ran is on the air again; the stopped one stays off, although
  // the config enables it.
  state = state_when(
      *ws, [](const json& s) { return output_state(s, "a") == "live"; }, 30s);
  EXPECT_EQ(output_state(state, "a"), "live");
  EXPECT_EQ(output_state(state, "b"), "idle");
  EXPECT_EQ(publishes(nginx, kKeyA), published_a + 1) << nginx.log();
  EXPECT_EQ(publishes(nginx, kKeyB), published_b) << nginx.log();

  // The recording goes on in a new file; the old one still plays.
  ASSERT_TRUE(run_until_recorded(30, 30s));
  const auto recordings = find_recordings(record_dir());
  ASSERT_EQ(recordings.size(), 2u) << list_folder(record_dir());
  EXPECT_EQ(recordings.front(), old_recording);
  const DecodeReport decoded = decode_check(old_recording);
  EXPECT_GE(decoded.video_frames, 50) << decoded.errors;
  EXPECT_GT(decoded.audio_frames, 0) << decoded.errors;
  ASSERT_NO_FATAL_FAILURE(expect_clean_stop());
}

TEST_F(RestoreTest, ACorruptStateFileIsSetAsideAndTheShowStartsAsConfigured) {
  const int port = free_loopback_port();
  json config = show_config(port);
  config["outputs"] = json::array({record_output(record_dir())});
  std::filesystem::create_directories(state_dir());
  const std::string torn = R"({"format": "hallcast-show-state", "version": 1, "program": "clo)";
  ASSERT_NO_FATAL_FAILURE(write_text(state_dir() / kStateFile, torn));

  ASSERT_NO_FATAL_FAILURE(start(config, {{"HALLCAST_TEST_TOKEN", kToken}}));
  auto ws = connect_operator(port);
  ASSERT_TRUE(ws);
  const json state = current_state(*ws);
  EXPECT_EQ(state.value("program", ""), "wide");
  EXPECT_EQ(state.value("preview", ""), "close");
  EXPECT_NE(output_state(state, "rec"), "idle");

  std::vector<std::filesystem::path> set_aside;
  for (const auto& entry : std::filesystem::directory_iterator(state_dir())) {
    if (entry.path().filename().string().rfind(kStateFile + ".bad-", 0) == 0) {
      set_aside.push_back(entry.path());
    }
  }
  ASSERT_EQ(set_aside.size(), 1u) << list_folder(state_dir());
  EXPECT_EQ(read_text(set_aside[0]), torn);
  EXPECT_EQ(count_lines_with(program_->output(), {"warn", "set aside"}), 1) << program_->output();
  // And the show's state is kept afresh.
  EXPECT_TRUE(
      saved_when(state_dir(), [](const json& s) { return s.value("program", "") == "wide"; }));
  ASSERT_NO_FATAL_FAILURE(expect_clean_stop());
}

TEST_F(RestoreTest, AStateFromAnotherConfigIsAppliedAsFarAsItFits) {
  const int port = free_loopback_port();
  const int dead_port = free_loopback_port();  // nobody listens: "a" keeps trying
  json config = show_config(port);
  config["outputs"] =
      json::array({rtmp_output("a", "rtmp://127.0.0.1:" + std::to_string(dead_port) + "/live",
                               "HALLCAST_TEST_KEY_A"),
                   record_output(record_dir())});
  std::filesystem::create_directories(state_dir());
  const json saved = {
      {"format", "hallcast-show-state"},
      {"version", 1},
      {"program", "gone-scene"},
      {"preview", "side"},
      {"overlays", json::array({{{"id", "gone-overlay"}, {"visible", true}},
                                {{"id", "slate"}, {"visible", true}}})},
      {"audio", json::array({{{"channel", "gone-mic"}, {"gain_db", -3}, {"muted", false}},
                             {{"channel", "mic1"}, {"gain_db", -20}, {"muted", true}}})},
      {"outputs", json::array({{{"id", "gone-output"}, {"running", true}, {"language", "floor"}},
                               {{"id", "a"}, {"running", true}, {"language", "de"}},
                               {{"id", "rec"}, {"running", false}, {"language", "floor"}}})}};
  ASSERT_NO_FATAL_FAILURE(write_text(state_dir() / kStateFile, saved.dump()));

  ASSERT_NO_FATAL_FAILURE(
      start(config, {{"HALLCAST_TEST_TOKEN", kToken}, {"HALLCAST_TEST_KEY_A", kKeyA}}));
  auto ws = connect_operator(port);
  ASSERT_TRUE(ws);
  const json state = current_state(*ws);
  EXPECT_EQ(state.value("program", ""), "wide");
  EXPECT_EQ(state.value("preview", ""), "side");
  const json* slate = find_entry(state["overlays"], "id", "slate");
  ASSERT_NE(slate, nullptr);
  EXPECT_TRUE(slate->value("visible", false));
  const json* mic = find_entry(state["audio"], "channel", "mic1");
  ASSERT_NE(mic, nullptr);
  EXPECT_EQ(mic->value("gain_db", 0.0), -20.0);
  EXPECT_TRUE(mic->value("muted", false));
  const json* a = find_entry(state["outputs"], "id", "a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->value("language", ""), "floor");
  EXPECT_NE(a->value("state", ""), "idle");
  // Stopped when it was saved: stays stopped although the config enables it.
  EXPECT_EQ(output_state(state, "rec"), "idle");
  EXPECT_TRUE(find_recordings(record_dir()).empty()) << list_folder(record_dir());

  // One warning line per part left out, each naming it.
  const std::string log = program_->output();
  EXPECT_EQ(count_lines_with(log, {"warn", "state: "}), 5) << log;
  for (const char* part : {"gone-scene", "gone-overlay", "gone-mic", "gone-output", "\"de\""}) {
    EXPECT_EQ(count_lines_with(log, {"warn", "state: ", part}), 1) << part << "\n" << log;
  }
  ASSERT_NO_FATAL_FAILURE(expect_clean_stop());
}

// show_config with an automatic director, off at start, that follows the mic onto
// "close" but never cuts by itself during a test: its shots last ten minutes.
json directed_config(int port) {
  json config = show_config(port);
  config["auto_director"] = {{"enabled", false},
                             {"follow", json::array({{{"mic", "mic1"}, {"scene", "close"}}})},
                             {"fallback_scene", "wide"},
                             {"min_shot_s", 600}};
  return config;
}

bool auto_director_on(const json& state) {
  const auto it = state.find("auto");
  return it != state.end() && it->is_object() && it->value("enabled", false);
}

// The scene.cut that brings the programme back would switch the director off, as an
// operator's cut does: it is on again after it.
TEST_F(RestoreTest, AKilledShowComesBackWithItsAutoDirectorOn) {
  const int port = free_loopback_port();
  const json config = directed_config(port);
  const Environment env{{"HALLCAST_TEST_TOKEN", kToken}};
  ASSERT_NO_FATAL_FAILURE(start(config, env));
  {
    auto ws = connect_operator(port);
    ASSERT_TRUE(ws);
    ok_request(*ws, {{"cmd", "scene.cut"}, {"scene", "side"}});
    ok_request(*ws, {{"cmd", "auto.set"}, {"enabled", true}});
  }
  ASSERT_TRUE(saved_when(state_dir(), [](const json& s) {
    return s.value("program", "") == "side" && auto_director_on(s);
  }));
  ASSERT_EQ(stop_with(SIGKILL).exit_code, 128 + SIGKILL);

  const auto restarted = Clock::now();
  ASSERT_NO_FATAL_FAILURE(start(config, env));
  auto ws = connect_operator(port);
  ASSERT_TRUE(ws);
  auto restored = [](const json& s) {
    return s.value("program", "") == "side" && auto_director_on(s);
  };
  const json state = state_when(*ws, restored, 10s);
  const auto took = Clock::now() - restarted;
  EXPECT_TRUE(restored(state)) << state.dump(1);
  EXPECT_LE(took, kRestoreLimit) << std::chrono::duration<double>(took).count() << " s";
  EXPECT_EQ(count_lines_with(program_->output(), {"state: restored auto director on"}), 1)
      << program_->output();
  ASSERT_NO_FATAL_FAILURE(expect_clean_stop());
}

TEST_F(RestoreTest, AFloodOfFaderChangesWritesTheStateABoundedNumberOfTimes) {
  const int port = free_loopback_port();
  json config = show_config(port);
  config["outputs"] = json::array({record_output(record_dir())});
  ASSERT_NO_FATAL_FAILURE(start(config, {{"HALLCAST_TEST_TOKEN", kToken}}));
  auto ws = connect_operator(port);
  ASSERT_TRUE(ws);
  ASSERT_TRUE(
      saved_when(state_dir(), [](const json& s) { return s.value("program", "") == "wide"; }));
  RenameCounter renames(state_dir(), kStateFile);

  // A fader dragged for about a second and a half: a change every 10 ms.
  constexpr int kChanges = 150;
  const auto started = Clock::now();
  for (int i = 1; i <= kChanges; ++i) {
    ok_request(*ws, {{"cmd", "audio.set"}, {"channel", "mic1"}, {"gain_db", -0.1 * i}});
    std::this_thread::sleep_for(10ms);
  }
  const double took_s = std::chrono::duration<double>(Clock::now() - started).count();
  ASSERT_TRUE(saved_when(state_dir(), [](const json& s) {
    const json* mic = find_entry(s["audio"], "channel", "mic1");
    return mic != nullptr && std::abs(mic->value("gain_db", 0.0) + 0.1 * kChanges) < 1e-6;
  }));
  const int writes = renames.count();
  RecordProperty("state_writes", writes);
  RecordProperty("fader_changes_ms", static_cast<int>(took_s * 1000));
  // hallcast writes at most every 250 ms; the first and the last come on top.
  EXPECT_GE(writes, 1);
  EXPECT_LE(writes, static_cast<int>(took_s / 0.25) + 2)
      << kChanges << " changes in " << took_s << " s";

  // What only measures writes nothing: meters, thumbnails, a recording's counters.
  ok_request(*ws, {{"cmd", "multiview.subscribe"}});
  int meters = 0;
  int counters = 0;
  std::size_t thumbnails = 0;
  const auto deadline = Clock::now() + 20s;
  while ((meters < 20 || counters < 2 || thumbnails < 5) && Clock::now() < deadline) {
    const json event = ws->receive_json(5s);
    meters += event.value("event", "") == "meters";
    counters += event.value("event", "") == "output" && event.value("id", "") == "rec";
    thumbnails += ws->take_binary(0ms).size();
  }
  EXPECT_GE(meters, 20);
  EXPECT_GE(counters, 2);
  EXPECT_GE(thumbnails, 5u);
  EXPECT_EQ(renames.count(), writes);
  ASSERT_NO_FATAL_FAILURE(expect_clean_stop());
}

}  // namespace
}  // namespace hallcast::testing
