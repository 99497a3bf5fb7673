// `hallcast check` and `run` given what a hostile client or a careless operator gives
// them: a config that is a FIFO, a device or nested a million deep, a number beyond a
// double, a control port open to the network without a token, and URLs with secrets
// in them. Each refusal is a line starting with its JSON path, the same from `check`
// and from `run`; no secret in a URL ever reaches the log.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/ports.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"

namespace hallcast::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

const std::string kBinary = HALLCAST_BINARY;
constexpr const char* kToken = "tok-3e7c91a05b";

// A show with one test camera and a tone, recording into `folder`.
json small_show(int control_port, const std::filesystem::path& folder) {
  return {
      {"video", {{"width", 320}, {"height", 180}, {"fps", 30}, {"bitrate_kbps", 400}}},
      {"sources",
       json::array(
           {{{"id", "cam1"}, {"kind", "video"}, {"uri", "test:video?pattern=ball"}},
            {{"id", "mic1"}, {"kind", "audio"}, {"uri", "test:audio?freq=440&volume=0.3"}}})},
      {"scenes", json::array({{{"id", "wide"}, {"layers", json::array({{{"source", "cam1"}}})}}})},
      {"outputs", json::array({{{"id", "rec"}, {"type", "record"}, {"path", folder.string()}}})},
      {"control",
       {{"listen", "127.0.0.1:" + std::to_string(control_port)},
        {"token_env", "HALLCAST_TEST_TOKEN"}}},
  };
}

std::filesystem::path write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

CommandResult hallcast(const std::vector<std::string>& args, const Environment& env = {}) {
  std::vector<std::string> argv{kBinary};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, 60s, env);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

// `result` printed exactly one problem line, starting with `prefix` and holding `fragment`.
::testing::AssertionResult one_problem(const CommandResult& result, const std::string& prefix,
                                       const std::string& fragment) {
  int found = 0;
  for (const auto& line : lines_of(result.stdout_text)) {
    found += line.rfind(prefix, 0) == 0 && line.find(fragment) != std::string::npos ? 1 : 0;
  }
  if (result.exit_code == 2 && !result.timed_out && found == 1) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "want exit 2 and one line `" << prefix << "…" << fragment << "…`; got exit "
         << result.exit_code << (result.timed_out ? " (timed out)" : "") << ":\n"
         << result.output;
}

TEST(ConfigSafety, CheckRefusesAFifoAtOnce) {
  TempDir work;
  const auto fifo = work.path() / "config.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto started = Clock::now();
  for (const std::string action : {"check", "run"}) {
    EXPECT_TRUE(one_problem(hallcast({action, "--config", fifo.string()}), "$: ", "a FIFO"));
  }
  EXPECT_LT(Clock::now() - started, 20s);
}

TEST(ConfigSafety, CheckRefusesADeviceAndDeepNesting) {
  EXPECT_TRUE(one_problem(hallcast({"check", "--config", "/dev/zero"}), "$: ", "a device"));
  TempDir work;
  const auto deep =
      write_file(work.path() / "deep.json", std::string(200000, '[') + std::string(200000, ']'));
  EXPECT_TRUE(one_problem(hallcast({"check", "--config", deep.string()}), "$: ", "nested deeper"));
}

TEST(ConfigSafety, ANumberBeyondADoubleIsAProblemAtItsPath) {
  TempDir work;
  std::string text = small_show(free_loopback_port(), work.path()).dump();
  text.replace(text.find("\"fps\":30"), 8, "\"fps\":1e999");
  const auto file = write_file(work.path() / "config.json", text);
  for (const std::string action : {"check", "run"}) {
    EXPECT_TRUE(one_problem(hallcast({action, "--config", file.string()}),
                            "video.fps: ", "number too large"));
  }
}

TEST(ConfigSafety, CheckAndRunAgreeThatAnOpenPortNeedsAToken) {
  TempDir work;
  json config = small_show(free_loopback_port(), work.path());
  config["control"]["listen"] = "0.0.0.0:" + std::to_string(free_loopback_port());
  const auto file = write_file(work.path() / "config.json", config.dump());
  const Environment no_token{{"HALLCAST_TEST_TOKEN", std::nullopt}};
  for (const std::string action : {"check", "run"}) {
    EXPECT_TRUE(one_problem(hallcast({action, "--config", file.string()}, no_token),
                            "control.listen: ", "needs an operator token"));
  }
  const CommandResult with_token =
      hallcast({"check", "--config", file.string()}, {{"HALLCAST_TEST_TOKEN", kToken}});
  EXPECT_EQ(with_token.exit_code, 0) << with_token.output;
}

TEST(ConfigSafety, CheckAndRunAgreeThatAnOpenObsWebsocketNeedsAPassword) {
  TempDir work;
  json config = small_show(free_loopback_port(), work.path());
  config["control"]["obs_websocket"] = {
      {"listen", "0.0.0.0:" + std::to_string(free_loopback_port())},
      {"password_env", "HALLCAST_TEST_OBS_PASSWORD"}};
  const auto file = write_file(work.path() / "config.json", config.dump());
  const Environment no_password{{"HALLCAST_TEST_TOKEN", kToken},
                                {"HALLCAST_TEST_OBS_PASSWORD", std::nullopt}};
  for (const std::string action : {"check", "run"}) {
    EXPECT_TRUE(one_problem(hallcast({action, "--config", file.string()}, no_password),
                            "control.obs_websocket.listen: ",
                            "needs a password: set the variable HALLCAST_TEST_OBS_PASSWORD"));
  }
  const CommandResult with_password =
      hallcast({"check", "--config", file.string()},
               {{"HALLCAST_TEST_TOKEN", kToken}, {"HALLCAST_TEST_OBS_PASSWORD", "obs-pw-4d2a"}});
  EXPECT_EQ(with_password.exit_code, 0) << with_password.output;
}

// A newline in a value cannot forge a problem of its own: each problem is one line,
// its control characters escaped. The config's own rules refuse such values in the
// file; a folder given on the command line may still hold one, and a problem about a
// pipeline template names it.
TEST(ConfigSafety, CheckPrintsAControlCharacterInAValueEscaped) {
  TempDir work;
  const auto pipelines = work.path() / "templates\nvideo.width: forged\x1b[2K";
  ASSERT_TRUE(std::filesystem::create_directory(pipelines));
  const auto file =
      write_file(work.path() / "config.json", small_show(free_loopback_port(), work.path()).dump());

  const CommandResult result =
      hallcast({"check", "--config", file.string(), "--pipelines", pipelines.string()},
               {{"HALLCAST_TEST_TOKEN", kToken}});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_FALSE(lines_of(result.stdout_text).empty()) << result.output;
  for (const auto& line : lines_of(result.stdout_text)) {
    EXPECT_NE(line.rfind("video.width: ", 0), 0u) << "a forged line:\n" << result.stdout_text;
  }
  EXPECT_EQ(result.stdout_text.find('\x1b'), std::string::npos) << result.stdout_text;
  EXPECT_NE(result.stdout_text.find("templates\\nvideo.width: forged\\x1b[2K"), std::string::npos)
      << result.stdout_text;
}

TEST(ConfigSafety, APipelineProblemDoesNotPrintTheCamerasPassword) {
  // A site's template that does not build: `check` reports it with the pipeline's text,
  // which holds the camera's URL.
  TempDir work;
  const std::filesystem::path pipelines = work.path() / "pipelines";
  std::filesystem::copy(std::filesystem::path(HALLCAST_SOURCE_DIR) / "pipelines", pipelines);
  write_file(pipelines / "source-rtsp-video.pipeline",
             "rtspsrc location=\"{location}\" ! nosuchdecoder ! videoconvert ! capsfilter "
             "caps=\"video/x-raw,format=I420,width={width},height={height},framerate={fps}/1\"");
  json config = small_show(free_loopback_port(), work.path());
  config["sources"].push_back(
      {{"id", "cam2"}, {"kind", "video"}, {"uri", "rtsp://admin:cam-pw-0b5d2e@192.0.2.5/stream1"}});
  const auto file = write_file(work.path() / "config.json", config.dump());
  const CommandResult result =
      hallcast({"check", "--config", file.string(), "--pipelines", pipelines.string()},
               {{"HALLCAST_TEST_TOKEN", kToken}});
  EXPECT_TRUE(one_problem(result, "sources[2].uri: ", "rtsp://admin:***@192.0.2.5/stream1"));
  EXPECT_EQ(result.output.find("cam-pw-0b5d2e"), std::string::npos) << result.output;
}

// The value of one sample in a Prometheus page; -1 when absent.
double metric(const std::string& page, const std::string& sample) {
  for (const auto& line : lines_of(page)) {
    if (line.rfind(sample + " ", 0) == 0) {
      return std::stod(line.substr(sample.size() + 1));
    }
  }
  return -1;
}

// Whether a line of `log` holds both `who` and `what`.
bool logged(const std::string& log, const std::string& who, const std::string& what) {
  for (const auto& line : lines_of(log)) {
    if (line.find(who) != std::string::npos && line.find(what) != std::string::npos) {
      return true;
    }
  }
  return false;
}

TEST(ConfigSafety, SecretsInUrlsNeverReachTheLog) {
  // Distinctive values, each in a different part of a URL. Nothing listens on `dead`:
  // every source and destination below fails and retries, which is where a careless
  // program logs its URLs.
  const std::string password = "cam-pw-4e8a1c";
  const std::string source_passphrase = "srt-src-pass-90d2b7";
  const std::string stream_id = "sid-6a0f3c";
  const std::string output_passphrase = "srt-out-pass-7b2d9f";
  const std::string path_key = "sk-path-5f1e3a";
  const std::string dead = std::to_string(free_loopback_port());

  TempDir work;
  const int control_port = free_loopback_port();
  json config = small_show(control_port, work.path() / "recordings");
  config["sources"].push_back(
      {{"id", "cam2"},
       {"kind", "video"},
       {"uri", "rtsp://admin:" + password + "@127.0.0.1:" + dead + "/stream1"}});
  config["sources"].push_back({{"id", "cam3"},
                               {"kind", "video"},
                               {"uri", "srt://127.0.0.1:" + dead + "?passphrase=" +
                                           source_passphrase + "&streamid=" + stream_id}});
  config["outputs"].push_back({{"id", "site"},
                               {"type", "rtmp"},
                               {"url", "rtmp://127.0.0.1:" + dead + "/live/" + path_key}});
  config["outputs"].push_back(
      {{"id", "srt"},
       {"type", "srt"},
       {"url", "srt://127.0.0.1:" + dead + "?passphrase=" + output_passphrase}});
  const auto file = write_file(work.path() / "config.json", config.dump(2));

  // GStreamer's own debug lines from the elements that hold these URLs go to the log too.
  ChildProcess program(
      {kBinary, "run", "--config", file.string(), "--log-level", "debug"},
      {{"HALLCAST_TEST_TOKEN", kToken},
       {"GST_DEBUG", "2,rtspsrc:5,srtobject:5,srtsrc:5,srtsink:5,rtmp2sink:5,rtmp2client:5"}},
      work.path());
  // Until the RTMP destination and the RTSP camera have failed and been retried, the
  // SRT camera's connection has timed out, and the SRT destination has got past
  // connecting.
  const auto started = Clock::now();
  bool retried = false;
  while (!retried && Clock::now() - started < 60s) {
    ASSERT_FALSE(program.wait_for_exit(200ms).has_value()) << program.output();
    if (!can_connect(control_port)) {
      continue;  // still starting
    }
    const HttpResponse response =
        http_get(control_port, "/metrics", {"Authorization: Bearer " + std::string(kToken)});
    retried =
        response.status == 200 &&
        metric(response.body, R"(hallcast_output_reconnects_total{output="site"})") >= 1 &&
        metric(response.body, R"(hallcast_output_state{output="srt",state="connecting"})") == 0 &&
        logged(program.output(), "source cam2: ", "trying again") &&
        logged(program.output(), "srtsrc", "Trying to reconnect");
  }
  EXPECT_TRUE(retried) << program.output();
  program.send_signal(SIGINT);
  const auto code = program.wait_for_exit(8s);
  const std::string log = program.output();
  EXPECT_EQ(code, 0) << log.substr(log.size() - std::min<std::size_t>(log.size(), 6000));

  for (const std::string& secret :
       {password, source_passphrase, stream_id, output_passphrase, path_key}) {
    for (const auto& line : lines_of(log)) {
      EXPECT_EQ(line.find(secret), std::string::npos) << "secret leaked into the log: " << line;
    }
  }
  // The summary still says where each goes, without the secret parts.
  EXPECT_NE(log.find("rtsp://admin:***@127.0.0.1:" + dead + "/stream1"), std::string::npos) << log;
  EXPECT_NE(log.find("passphrase=***&streamid=***"), std::string::npos) << log;
  EXPECT_NE(log.find("/live/***"), std::string::npos) << log;
}

}  // namespace
}  // namespace hallcast::testing
