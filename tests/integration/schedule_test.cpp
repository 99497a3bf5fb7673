// The cue list through the program's command line: `hallcast check` reports a bad cue
// at its JSON path (its command read by the control protocol's parser and checked
// against the config), and a rehearsal (`run --first-cue-in`, `--event-start`) moves a
// schedule whose date is past so that it runs now: an armed recording goes live by its
// cue, seen on the control WebSocket and on the disk.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/ports.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"

namespace hallcast::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kToken = "tok-schedule-7e2c91";

json layer(const char* source) {
  return {{"source", source}, {"x", 0}, {"y", 0}, {"w", 1}, {"h", 1}};
}

json show_config(int port, const std::filesystem::path& recordings) {
  return {
      {"event",
       {{"title", "schedule"},
        {"venue", "Hall"},
        {"start", "2026-07-03T11:00:00+03:00"},
        {"speakers", json::array()}}},
      {"video",
       {{"width", 320},
        {"height", 180},
        {"fps", 30},
        {"bitrate_kbps", 400},
        {"keyframe_interval_s", 1}}},
      {"audio", {{"sample_rate", 48000}, {"bitrate_kbps", 64}}},
      {"sources",
       json::array({{{"id", "cam1"}, {"kind", "video"}, {"uri", "test:video?pattern=red"}},
                    {{"id", "cam2"}, {"kind", "video"}, {"uri", "test:video?pattern=blue"}},
                    {{"id", "mic1"}, {"kind", "audio"}, {"uri", "test:audio?freq=440"}}})},
      {"scenes", json::array({{{"id", "wide"}, {"layers", json::array({layer("cam1")})}},
                              {{"id", "close"}, {"layers", json::array({layer("cam2")})}}})},
      {"overlays",
       json::array(
           {{{"id", "countdown"}, {"type", "countdown"}, {"text", "Starts in {remaining}"}}})},
      {"outputs", json::array({{{"id", "rec"},
                                {"type", "record"},
                                {"path", recordings.string()},
                                {"enabled", false}}})},
      {"control",
       {{"listen", "127.0.0.1:" + std::to_string(port)}, {"token_env", "HALLCAST_TEST_TOKEN"}}},
      {"opening", {{"scene", "wide"}, {"overlays", {"countdown"}}}},
      {"schedule", json::array({{{"at", "-3s"}, {"cmd", "output.start"}, {"output", "rec"}},
                                {{"at", "+0s"}, {"cmd", "overlay.hide"}, {"overlay", "countdown"}},
                                {{"at", "+0s"}, {"cmd", "scene.cut"}, {"scene", "close"}}})},
  };
}

std::filesystem::path write_config(const TempDir& work, const json& config) {
  const auto file = work.path() / "show.json";
  std::ofstream(file) << config.dump(2);
  return file;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

TEST(ScheduleCheck, EachBadCueIsReportedAtItsPath) {
  TempDir work;
  json config = show_config(free_loopback_port(), work.path());
  config["schedule"] = json::parse(R"([
    {"at": "-5m", "cmd": "output.start", "output": "rec"},
    {"at": "+0s", "cmd": "scene.cut", "scene": "x"},
    {"at": "+1s", "cmd": "scene.cutt", "scene": "wide"},
    {"at": "+2s", "cmd": "scene.cut", "scene": "wide", "fade": true},
    {"at": "+1h", "cmd": "overlay.create", "overlay": "thanks", "type": "title", "text": "Спасибо"},
    {"at": "+2h", "cmd": "overlay.show", "overlay": "thanks"},
    {"at": "+30m", "cmd": "overlay.show", "overlay": "thanks"},
    {"at": "+3s", "cmd": "output.set_language", "output": "rec", "language": "floor"},
    {"at": "+4s", "cmd": "cue.skip", "cue": 42},
    {"at": "+5s", "cmd": "multiview.subscribe"}
  ])");
  const auto result =
      run_command({HALLCAST_BINARY, "check", "--config", write_config(work, config).string()}, 60s,
                  {{"HALLCAST_TEST_TOKEN", kToken}});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  const std::vector<std::string> expected{
      "schedule[1].scene: unknown scene \"x\"",
      "schedule[2].cmd: no command \"scene.cutt\"",
      "schedule[3].fade: scene.cut takes no field \"fade\"",
      "schedule[6].overlay: unknown overlay \"thanks\"",
      "schedule[7].output: record outputs carry every language track",
      "schedule[8].cue: no cue 42 (the schedule has 10)",
  };
  auto lines = lines_of(result.output);
  for (const auto& line : expected) {
    EXPECT_NE(std::find(lines.begin(), lines.end(), line), lines.end())
        << "missing: " << line << "\n"
        << result.output;
  }
  std::size_t schedule_lines = 0;
  for (const auto& line : lines) {
    schedule_lines += line.rfind("schedule[", 0) == 0 ? 1 : 0;
  }
  EXPECT_EQ(schedule_lines, expected.size() + 1) << "and the connection command:\n"
                                                 << result.output;
  EXPECT_NE(result.output.find("schedule[9].cmd: "), std::string::npos) << result.output;
}

TEST(ScheduleRun, ARehearsalGoesLiveByItsCueList) {
  TempDir work;
  const auto recordings = work.path() / "recordings";
  const int port = free_loopback_port();
  const auto file = write_config(work, show_config(port, recordings));
  // The config's date is past: a plain run would find every cue passed.
  ChildProcess program({HALLCAST_BINARY, "run", "--config", file.string(), "--first-cue-in", "2s"},
                       {{"HALLCAST_TEST_TOKEN", kToken}}, work.path());
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!can_connect(port) && std::chrono::steady_clock::now() < deadline) {
    ASSERT_TRUE(program.running()) << program.output();
    std::this_thread::sleep_for(50ms);
  }
  WsClient client(port, {.headers = {std::string("Authorization: Bearer ") + kToken}});
  ASSERT_TRUE(client.upgraded()) << program.output();
  const json state = client.receive_json();
  ASSERT_EQ(state["event"], "state");
  ASSERT_EQ(state["schedule"].size(), 3u);
  EXPECT_EQ(state["schedule"][0]["status"], "pending") << state["schedule"].dump();
  EXPECT_EQ(state["schedule"][0]["at_written"], "-3s");
  EXPECT_EQ(state["outputs"][0]["state"], "idle");
  EXPECT_EQ(state["outputs"][0]["ready"], true) << "armed";
  EXPECT_EQ(state["overlays"][0]["visible"], true) << "the opening countdown";
  // The start moved with the cues, 3 s after the first one; shown in the config's zone.
  const std::string start = state["event_info"]["start"];
  EXPECT_EQ(start.substr(start.size() - 6), "+03:00") << start;

  const json ran = client.wait_for(
      [](const json& m) { return m.value("event", "") == "cue" && m["index"] == 0; }, 10s);
  EXPECT_EQ(ran["status"], "ran") << ran.dump();
  EXPECT_EQ(ran["done"], true);
  client.wait_for(
      [](const json& m) {
        return m.value("event", "") == "output" && m["id"] == "rec" && m["state"] == "live";
      },
      10s);
  const json cut =
      client.wait_for([](const json& m) { return m.value("event", "") == "program"; }, 10s);
  EXPECT_EQ(cut["scene"], "close");
  program.send_signal(SIGINT);
  EXPECT_EQ(program.wait_for_exit(8s), 0) << program.output();
  bool recorded = false;
  for (const auto& entry : std::filesystem::directory_iterator(recordings)) {
    recorded = recorded || std::filesystem::file_size(entry.path()) > 10000;
  }
  EXPECT_TRUE(recorded) << "the recording the cue started";
}

TEST(ScheduleRun, EventStartMovesTheScheduleAndTheRunRefusesBadCues) {
  TempDir work;
  const int port = free_loopback_port();
  json config = show_config(port, work.path() / "recordings");
  ChildProcess program({HALLCAST_BINARY, "run", "--config", write_config(work, config).string(),
                        "--event-start", "+1h"},
                       {{"HALLCAST_TEST_TOKEN", kToken}}, work.path());
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!can_connect(port) && std::chrono::steady_clock::now() < deadline) {
    ASSERT_TRUE(program.running()) << program.output();
    std::this_thread::sleep_for(50ms);
  }
  WsClient client(port, {.headers = {std::string("Authorization: Bearer ") + kToken}});
  ASSERT_TRUE(client.upgraded());
  const json state = client.receive_json();
  for (const auto& cue : state["schedule"]) {
    EXPECT_EQ(cue["status"], "pending") << "an hour ahead: " << cue.dump();
  }
  program.send_signal(SIGINT);
  EXPECT_EQ(program.wait_for_exit(8s), 0) << program.output();

  config["schedule"].push_back({{"at", "+1s"}, {"cmd", "scene.cut"}, {"scene", "drone"}});
  ChildProcess refused({HALLCAST_BINARY, "run", "--config", write_config(work, config).string()},
                       {{"HALLCAST_TEST_TOKEN", kToken}}, work.path());
  EXPECT_EQ(refused.wait_for_exit(20s), 2) << refused.output();
  EXPECT_NE(refused.output().find("schedule[3].scene: unknown scene \"drone\""), std::string::npos)
      << refused.output();
}

}  // namespace
}  // namespace hallcast::testing
