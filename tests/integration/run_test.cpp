// hallcast end to end, driven only through its CONTRACT command line (SPEC §1–2), as
// the tools outside this repository drive it: `--version`, `--help`, `check`, and
// `run` publishing to a private nginx-rtmp and recording, then stopped by a signal.
// Everything is judged on what comes out: exit codes, printed lines, and the media
// files read back with ffprobe/ffmpeg. All traffic stays on 127.0.0.1.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "integration/run_support.h"
#include "support/media_probe.h"
#include "support/nginx_rtmp.h"
#include "support/ports.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"

namespace hallcast::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const std::filesystem::path kSourceDir = HALLCAST_SOURCE_DIR;

// The programme as base_config describes it: one H.264 320x180 video stream, one
// AAC 48 kHz stereo audio stream, lasting [min_s, max_s], decodable from end to end.
void expect_programme(const std::filesystem::path& file, double min_s, double max_s,
                      int64_t min_video_frames) {
  SCOPED_TRACE(file.string());
  ASSERT_TRUE(std::filesystem::exists(file));
  const MediaInfo info = probe(file);
  ASSERT_EQ(info.video_streams().size(), 1u);
  ASSERT_EQ(info.audio_streams().size(), 1u);
  const StreamInfo video = info.video_streams()[0];
  const StreamInfo audio = info.audio_streams()[0];
  EXPECT_EQ(video.codec_name, "h264");
  EXPECT_EQ(video.width, 320);
  EXPECT_EQ(video.height, 180);
  EXPECT_EQ(audio.codec_name, "aac");
  EXPECT_EQ(audio.sample_rate, 48000);
  EXPECT_EQ(audio.channels, 2);
  EXPECT_GE(info.duration_s, min_s);
  EXPECT_LE(info.duration_s, max_s);

  const DecodeReport decoded = decode_check(file);
  EXPECT_TRUE(decoded.ok) << decoded.errors;
  EXPECT_GE(decoded.video_frames, min_video_frames);
  EXPECT_GT(decoded.audio_frames, 0);
}

void expect_no_secrets(const std::string& output, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    for (const auto& line : lines_of(output)) {
      EXPECT_EQ(line.find(secret), std::string::npos) << "secret leaked into the log: " << line;
    }
  }
}

// ---------------------------------------------------------------------------------------
// The command line without running a show.

CommandResult hallcast(const std::vector<std::string>& args, const Environment& env = {}) {
  std::vector<std::string> argv{kBinary};
  argv.insert(argv.end(), args.begin(), args.end());
  // `check` builds every pipeline the config implies, which takes a moment.
  return run_command(argv, 60s, env);
}

TEST(CommandLineTest, VersionPrintsAVersion) {
  const CommandResult result = hallcast({"--version"});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(std::regex_search(result.output, std::regex(R"(\d+\.\d+)"))) << result.output;
}

TEST(CommandLineTest, HelpMentionsRunAndCheck) {
  const CommandResult result = hallcast({"--help"});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("run"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("check"), std::string::npos) << result.output;
}

TEST(CommandLineTest, CheckAcceptsTheDemoConfig) {
  const auto demo = kSourceDir / "config" / "demo.json";
  const CommandResult result = hallcast({"check", "--config", demo.string()});
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

TEST(CommandLineTest, CheckPrintsOneLinePerProblemStartingWithItsPath) {
  TempDir work;
  json config = base_config(free_loopback_port());
  config["scenes"][0]["layers"][0]["source"] = "cam9";
  config["sources"].push_back(
      {{"id", "cam1"}, {"kind", "video"}, {"uri", "test:video?pattern=red"}});
  config["video"]["width"] = -320;
  config["outputs"].push_back(record_output(work.path()));
  const auto file = work.path() / "three-mistakes.json";
  ASSERT_NO_FATAL_FAILURE(write_text(file, config.dump(2)));

  const CommandResult result =
      hallcast({"check", "--config", file.string()}, {{"HALLCAST_TEST_TOKEN", kToken}});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_EQ(count_lines_starting_with(result.output, "scenes[0].layers[0].source: "), 1)
      << result.output;
  for (const auto& line : lines_of(result.output)) {
    if (line.rfind("scenes[0].layers[0].source: ", 0) == 0) {
      EXPECT_NE(line.find("\"cam9\""), std::string::npos) << line;
    }
  }
  EXPECT_EQ(count_lines_starting_with(result.output, "sources[2].id: "), 1) << result.output;
  EXPECT_EQ(count_lines_starting_with(result.output, "video.width: "), 1) << result.output;
}

TEST(CommandLineTest, CheckNamesACaptureDeviceThisMachineDoesNotHave) {
  TempDir work;
  ASSERT_FALSE(std::filesystem::exists("/dev/video99"));
  json config = base_config(free_loopback_port());
  config["sources"].push_back({{"id", "cam2"}, {"kind", "video"}, {"uri", "v4l2:///dev/video99"}});
  config["outputs"].push_back(record_output(work.path()));
  const auto file = work.path() / "no-camera.json";
  ASSERT_NO_FATAL_FAILURE(write_text(file, config.dump(2)));

  const CommandResult result =
      hallcast({"check", "--config", file.string()}, {{"HALLCAST_TEST_TOKEN", kToken}});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_EQ(count_lines_starting_with(result.output, "sources[2].uri: "), 1) << result.output;
  for (const auto& line : lines_of(result.output)) {
    if (line.rfind("sources[2].uri: ", 0) == 0) {
      EXPECT_NE(line.find("/dev/video99"), std::string::npos) << line;
    }
  }
}

TEST(CommandLineTest, CheckReportsMalformedJsonWithLineAndColumn) {
  TempDir work;
  const auto file = work.path() / "malformed.json";
  // The stray comma is on line 3.
  ASSERT_NO_FATAL_FAILURE(write_text(file, "{\n  \"video\": {\n    \"width\": 320,,\n  }\n}\n"));

  const CommandResult result = hallcast({"check", "--config", file.string()});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  const std::regex line_and_column(R"((line\D{0,3}3\b.*col\w*\D{0,3}\d+)|(\b3:\d+\b))",
                                   std::regex::icase);
  int matching = 0;
  for (const auto& line : lines_of(result.output)) {
    if (line.rfind("$:", 0) == 0 && std::regex_search(line, line_and_column)) {
      ++matching;
    }
  }
  EXPECT_EQ(matching, 1) << "want one line `$: …` naming line 3 and a column:\n" << result.output;
}

TEST(CommandLineTest, CheckFailsOnAMissingFile) {
  TempDir work;
  const auto file = work.path() / "no-such-config.json";
  const CommandResult result = hallcast({"check", "--config", file.string()});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("no-such-config.json"), std::string::npos) << result.output;
}

// ---------------------------------------------------------------------------------------
// `hallcast run`: a show publishing and recording, stopped by a signal.

class RunTest : public ShowRunTest {};

TEST_F(RunTest, PublishesToTwoDestinationsRecordsAndStopsCleanly) {
  NginxRtmp& nginx = start_nginx();
  const int control_port = free_loopback_port();
  json config = base_config(control_port);
  config["outputs"] = json::array({rtmp_output("a", nginx.url(), "HALLCAST_TEST_KEY_A"),
                                   rtmp_output("b", nginx.url(), "HALLCAST_TEST_KEY_B"),
                                   record_output(record_dir())});
  ASSERT_NO_FATAL_FAILURE(start(config, {{"HALLCAST_TEST_KEY_A", kKeyA},
                                         {"HALLCAST_TEST_KEY_B", kKeyB},
                                         {"HALLCAST_TEST_TOKEN", kToken}}));
  // 10 s of programme at 30 fps.
  ASSERT_TRUE(run_until_encoded(control_port, 300, 40s));
  ASSERT_NO_FATAL_FAILURE(expect_clean_stop());
  nginx.stop();

  // The key is the last path segment of the publish URL, so nginx names the file by it.
  for (const char* key : {kKeyA, kKeyB}) {
    ASSERT_TRUE(std::filesystem::exists(nginx.recorded_file(key)))
        << "nothing published as " << key << "; nginx recorded:\n"
        << list_folder(nginx.record_dir());
    expect_programme(nginx.recorded_file(key), 6.0, 13.0, 150);
  }
  const auto recording = the_recording();
  ASSERT_FALSE(recording.empty());
  expect_programme(recording, 7.0, 13.0, 200);
  expect_no_secrets(program_->output(), {kKeyA, kKeyB, kToken});
}

TEST_F(RunTest, RecordingIsPlayableAfterSigkill) {
  const int control_port = free_loopback_port();
  json config = base_config(control_port);
  config["outputs"] = json::array({record_output(record_dir())});
  ASSERT_NO_FATAL_FAILURE(start(config, {{"HALLCAST_TEST_TOKEN", kToken}}));
  // More than 2 s of programme in the file itself: what the kill leaves, it has.
  ASSERT_TRUE(run_until_recorded(70, 30s));
  EXPECT_EQ(stop_with(SIGKILL).exit_code, 128 + SIGKILL);

  const auto recording = the_recording();
  ASSERT_FALSE(recording.empty());
  const MediaInfo info = probe(recording);
  ASSERT_EQ(info.video_streams().size(), 1u);
  ASSERT_EQ(info.audio_streams().size(), 1u);
  EXPECT_EQ(info.video_streams()[0].codec_name, "h264");
  EXPECT_EQ(info.audio_streams()[0].codec_name, "aac");
  // The tail written just before the kill may be cut; what came before must decode.
  const DecodeReport decoded = decode_check(recording);
  EXPECT_GE(decoded.video_frames, 60) << decoded.errors;
  if (!decoded.errors.empty()) {
    std::cerr << "decoder messages for the killed recording (tolerated):\n"
              << decoded.errors << "\n";
  }
}

TEST_F(RunTest, DeadDestinationDisturbsNeitherTheRunNorTheRecording) {
  // Nothing listens here: every connection attempt is refused.
  const int dead_port = free_loopback_port();
  ASSERT_FALSE(can_connect(dead_port));
  const int control_port = free_loopback_port();
  json config = base_config(control_port);
  config["outputs"] =
      json::array({rtmp_output("dead", "rtmp://127.0.0.1:" + std::to_string(dead_port) + "/live",
                               "HALLCAST_TEST_KEY_A"),
                   record_output(record_dir())});
  ASSERT_NO_FATAL_FAILURE(
      start(config, {{"HALLCAST_TEST_KEY_A", kKeyA}, {"HALLCAST_TEST_TOKEN", kToken}}));
  // The destination keeps trying by itself, as the operator sees it on /metrics: never
  // live, reconnecting with a growing count of attempts, while the recording is live.
  bool dead_ever_live = false;
  std::string metrics;
  for (int i = 0; i < 12; ++i) {
    ASSERT_TRUE(keep_running(500ms));
    if (!can_connect(control_port)) {
      continue;  // the control server is still starting
    }
    const HttpResponse response =
        http_get(control_port, "/metrics", {"Authorization: Bearer " + std::string(kToken)});
    if (response.status == 200) {
      metrics = response.body;
      dead_ever_live |=
          metric(metrics, R"(hallcast_output_state{output="dead",state="live"})") == 1;
    }
  }
  ASSERT_FALSE(metrics.empty()) << "no answer from /metrics";
  EXPECT_FALSE(dead_ever_live);
  EXPECT_EQ(metric(metrics, R"(hallcast_output_state{output="dead",state="reconnecting"})"), 1)
      << metrics;
  EXPECT_GE(metric(metrics, R"(hallcast_output_reconnects_total{output="dead"})"), 2) << metrics;
  EXPECT_EQ(metric(metrics, R"(hallcast_output_state{output="rec",state="live"})"), 1) << metrics;
  ASSERT_NO_FATAL_FAILURE(expect_clean_stop());

  const auto recording = the_recording();
  ASSERT_FALSE(recording.empty());
  expect_programme(recording, 4.0, 9.0, 100);
  // A failing destination is where a careless program logs its full URL.
  expect_no_secrets(program_->output(), {kKeyA, kToken});
}

TEST_F(RunTest, OutputWithoutKeyStaysOffAndTheRunGoesOn) {
  NginxRtmp& nginx = start_nginx();
  json config = base_config(free_loopback_port());
  config["outputs"] = json::array(
      {rtmp_output("nokey", nginx.url(), "HALLCAST_TEST_KEY_UNSET"), record_output(record_dir())});
  ASSERT_NO_FATAL_FAILURE(
      start(config, {{"HALLCAST_TEST_KEY_UNSET", std::nullopt}, {"HALLCAST_TEST_TOKEN", kToken}}));
  ASSERT_TRUE(keep_running(5s));
  ASSERT_NO_FATAL_FAILURE(expect_clean_stop());
  nginx.stop();

  // "connect: app=" is nginx-rtmp's line for an RTMP connect; plain TCP probes (ours,
  // from wait_until_ready) log only "client connected".
  const std::string log = nginx.log();
  EXPECT_EQ(log.find("connect: app="), std::string::npos) << "an RTMP session was opened";
  EXPECT_EQ(log.find("publish:"), std::string::npos) << "something was published";
  EXPECT_EQ(list_folder(nginx.record_dir()), "  (empty)\n");

  const auto recording = the_recording();
  ASSERT_FALSE(recording.empty());
  expect_programme(recording, 3.0, 8.0, 80);
}

}  // namespace
}  // namespace hallcast::testing
