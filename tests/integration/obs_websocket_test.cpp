// The obs-websocket listener end to end: the real hallcast program, driven by the real
// obs-websocket-js client (tests/obs, installed by scripts/setup.sh) in both of its
// builds, JSON and MsgPack, while a second operator uses the panel's WebSocket. The
// stream goes to a private nginx-rtmp and the recording to a temp folder; both are read
// back with ffprobe. Also `hallcast check`: a listener other machines could reach needs a
// password.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/media_probe.h"
#include "support/nginx_rtmp.h"
#include "support/ports.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace hallcast::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const std::filesystem::path kSourceDir = HALLCAST_SOURCE_DIR;
const std::filesystem::path kClientDir = kSourceDir / "tests" / "obs";

// Distinctive, so that finding one in a log cannot be a coincidence.
constexpr const char* kPassword = "obs-pass-8c4e2a7f1b";
constexpr const char* kToken = "obs-panel-tok-5d0b3e";
constexpr const char* kSiteKey = "obs-site-key-2f6a9c";

json layer(const char* source, double x, double y, double w, double h) {
  return {{"source", source}, {"x", x}, {"y", y}, {"w", w}, {"h", h}};
}

// The show the client script (tests/obs/obs_client_test.mjs) expects.
json show_config(int control_port, const std::string& obs_listen, const std::string& rtmp_url,
                 const std::filesystem::path& recordings) {
  return {
      {"event",
       {{"title", "obs-websocket test"},
        {"speakers",
         json::array({{{"id", "abiru"}, {"name", "Taisuke Abiru"}, {"role", "Fellow"}}})}}},
      {"video",
       {{"width", 320},
        {"height", 180},
        {"fps", 25},
        {"bitrate_kbps", 400},
        {"keyframe_interval_s", 1}}},
      {"audio", {{"sample_rate", 48000}, {"bitrate_kbps", 96}}},
      {"sources", json::array({
                      {{"id", "cam1"},
                       {"kind", "video"},
                       {"uri", "test:video?pattern=ball"},
                       {"label", "Wide"}},
                      {{"id", "cam2"},
                       {"kind", "video"},
                       {"uri", "test:video?pattern=smpte"},
                       {"label", "Close"}},
                      {{"id", "mic1"},
                       {"kind", "audio"},
                       {"uri", "test:audio?freq=440&volume=0.3"},
                       {"label", "Floor mic"}},
                      {{"id", "booth-en"},
                       {"kind", "interpretation"},
                       {"language", "en"},
                       {"uri", "test:audio?freq=1000&volume=0.3"},
                       {"label", "English booth"}},
                  })},
      {"scenes",
       json::array({
           {{"id", "wide"}, {"name", "Wide"}, {"layers", json::array({layer("cam1", 0, 0, 1, 1)})}},
           {{"id", "close"},
            {"name", "Close-up"},
            {"layers", json::array({layer("cam2", 0, 0, 1, 1)})}},
           {{"id", "pip"},
            {"name", "Wide + PiP"},
            {"layers",
             json::array({layer("cam1", 0, 0, 1, 1), layer("cam2", 0.65, 0.05, 0.3, 0.3)})}},
       })},
      {"overlays", json::array({{{"id", "lt-abiru"}, {"type", "lower_third"}, {"speaker", "abiru"}},
                                {{"id", "slate"}, {"type", "title"}, {"text", "Starting soon"}}})},
      {"outputs",
       json::array({
           {{"id", "rec"}, {"type", "record"}, {"path", recordings.string()}, {"enabled", false}},
           {{"id", "site"},
            {"type", "rtmp"},
            {"url", rtmp_url},
            {"key_env", "HALLCAST_OBS_TEST_KEY"},
            {"language", "floor"},
            {"enabled", false}},
       })},
      {"control",
       {{"listen", "127.0.0.1:" + std::to_string(control_port)},
        {"token_env", "HALLCAST_OBS_TEST_TOKEN"},
        {"obs_websocket",
         {{"listen", obs_listen}, {"password_env", "HALLCAST_OBS_TEST_PASSWORD"}}}}},
  };
}

std::string tail(const std::string& text, std::size_t length = 8000) {
  return text.size() <= length ? text : "…" + text.substr(text.size() - length);
}

class ObsWebsocketClient : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kClientDir / "node_modules" / "obs-websocket-js"))
        << "obs-websocket-js is not installed: run scripts/setup.sh";
    control_port_ = free_loopback_port();
    // Two picks in a row can name the same free port.
    do {
      obs_port_ = free_loopback_port();
    } while (obs_port_ == control_port_);
    config_file_ = work_.path() / "show.json";
    std::ofstream(config_file_) << show_config(control_port_,
                                               "127.0.0.1:" + std::to_string(obs_port_),
                                               nginx_.url(), recordings())
                                       .dump(2);
    program_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{HALLCAST_BINARY, "run", "--config", config_file_.string(),
                                 "--pipelines", (kSourceDir / "pipelines").string(), "--web",
                                 (kSourceDir / "web").string()},
        Environment{{"HALLCAST_OBS_TEST_TOKEN", kToken},
                    {"HALLCAST_OBS_TEST_PASSWORD", kPassword},
                    {"HALLCAST_OBS_TEST_KEY", kSiteKey}},
        // Its own working folder, so its own state folder: each test starts its show
        // from the config.
        work_.path());
    ASSERT_TRUE(wait_for_port(obs_port_, 20s) && wait_for_port(control_port_, 20s))
        << tail(program_->output());
  }

  void TearDown() override {
    if (program_ && program_->running()) {
      program_->send_signal(SIGTERM);
      const auto code = program_->wait_for_exit(8s);
      EXPECT_EQ(code, 0) << tail(program_->output());
    }
    const std::string log = program_ ? program_->output() : "";
    for (const char* secret : {kPassword, kToken, kSiteKey}) {
      EXPECT_EQ(log.find(secret), std::string::npos) << "a secret reached the log";
    }
  }

  std::filesystem::path recordings() const { return work_.path() / "recordings"; }

  CommandResult run_client(const std::string& build, bool outputs) {
    return run_command(
        {"node", "--test-reporter=spec", "obs_client_test.mjs"}, 120s,
        Environment{
            {"HALLCAST_OBS_URL", "ws://127.0.0.1:" + std::to_string(obs_port_)},
            {"HALLCAST_OBS_TEST_PASSWORD", kPassword},
            {"HALLCAST_PANEL_URL", "ws://127.0.0.1:" + std::to_string(control_port_) + "/ws"},
            {"HALLCAST_PANEL_TOKEN", kToken},
            {"HALLCAST_OBS_BUILD", build},
            {"HALLCAST_OBS_OUTPUTS", outputs ? "1" : "0"}},
        kClientDir);
  }

  TempDir work_{"hallcast-obs"};
  NginxRtmp nginx_;
  int control_port_ = 0;
  int obs_port_ = 0;
  std::filesystem::path config_file_;
  std::unique_ptr<ChildProcess> program_;
};

TEST_F(ObsWebsocketClient, JsonBuildDrivesTheShowStreamAndRecording) {
  const CommandResult result = run_client("json", true);
  ASSERT_EQ(result.exit_code, 0) << result.output << "\n--- hallcast ---\n"
                                 << tail(program_->output());
  EXPECT_NE(result.output.find("fail 0"), std::string::npos) << result.output;

  // What StartStream sent reached the platform, and StartRecord wrote a playable file.
  const auto streamed = nginx_.recorded_file(kSiteKey);
  ASSERT_TRUE(std::filesystem::exists(streamed)) << nginx_.log();
  const MediaInfo stream = probe(streamed);
  EXPECT_EQ(stream.video_streams().size(), 1u);
  EXPECT_GE(stream.audio_streams().size(), 1u);

  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(recordings())) {
    if (entry.is_regular_file() && entry.path().extension() == ".mkv") {
      files.push_back(entry.path());
    }
  }
  ASSERT_FALSE(files.empty()) << "no recording in " << recordings();
  EXPECT_EQ(probe(files.front()).video_streams().size(), 1u);
}

TEST_F(ObsWebsocketClient, MsgpackBuildDrivesTheShow) {
  const CommandResult result = run_client("msgpack", false);
  ASSERT_EQ(result.exit_code, 0) << result.output << "\n--- hallcast ---\n"
                                 << tail(program_->output());
  EXPECT_NE(result.output.find("fail 0"), std::string::npos) << result.output;
}

// SPEC §5: without a password, obs-websocket is for this machine only; `check` says so.
TEST(ObsWebsocketCheck, ReachableListenerNeedsAPassword) {
  TempDir work("hallcast-obs-check");
  const auto file = work.path() / "show.json";
  std::ofstream(file)
      << show_config(18080, "0.0.0.0:4455", "rtmp://127.0.0.1:1/live", work.path() / "rec").dump(2);
  const std::vector<std::string> argv{HALLCAST_BINARY, "check",
                                      "--config",      file.string(),
                                      "--pipelines",   (kSourceDir / "pipelines").string()};
  const auto without = run_command(argv, 60s, {{"HALLCAST_OBS_TEST_PASSWORD", std::nullopt}});
  EXPECT_EQ(without.exit_code, 2) << without.output;
  EXPECT_EQ(without.stdout_text.rfind("control.obs_websocket.listen: ", 0), 0u) << without.output;

  const auto with = run_command(argv, 60s, {{"HALLCAST_OBS_TEST_PASSWORD", kPassword}});
  EXPECT_EQ(with.exit_code, 0) << with.output;
  EXPECT_EQ(with.output.find(kPassword), std::string::npos);
}

}  // namespace
}  // namespace hallcast::testing
