// hallcast as a hostile client on the hall's network sees it: the whole program, with
// the usual `ulimit -n 1024`, a recording and an HLS output, flooded with connections
// that send half a request line and nothing more; and a config whose texts carry a
// newline meant to forge a log line. Judged on what comes out: the files the show
// writes, the panel's events, the log.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/ports.h"
#include "support/process.h"
#include "support/raw_connection.h"
#include "support/show_json.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"

namespace hallcast::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

const std::string kBinary = HALLCAST_BINARY;
constexpr const char* kToken = "tok-attack-4e7a1c9b";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

// The small show, recorded and sent out as HLS.
json show_config(int control_port, const std::filesystem::path& work) {
  json config = small_show_json(control_port);
  config["outputs"] = json::array(
      {{{"id", "rec"}, {"type", "record"}, {"path", (work / "rec").string()}},
       {{"id", "web"}, {"type", "hls"}, {"path", (work / "hls").string()}, {"segment_s", 1}}});
  return config;
}

// The number of the newest video segment the HLS output has written; -1 before any.
int newest_segment(const std::filesystem::path& hls) {
  int newest = -1;
  std::error_code error;
  static const std::regex name(R"(segment(?:[0-9]+-)?([0-9]+)\.ts)");
  for (std::filesystem::directory_iterator it(hls / "video", error), end; !error && it != end;
       it.increment(error)) {
    std::smatch match;
    const std::string file = it->path().filename().string();
    if (std::regex_match(file, match, name)) {
      newest = std::max(newest, std::stoi(match[1]));
    }
  }
  return newest;
}

std::uintmax_t recorded_bytes(const std::filesystem::path& folder) {
  std::uintmax_t bytes = 0;
  std::error_code error;
  for (std::filesystem::recursive_directory_iterator it(folder, error), end; !error && it != end;
       it.increment(error)) {
    if (it->is_regular_file(error)) {
      bytes += it->file_size(error);
    }
  }
  return bytes;
}

class ControlAttackTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (HasFailure() && program_) {
      const std::string output = program_->output();
      std::cerr << "---- hallcast output (" << program_->log_path().string() << ") ----\n"
                << (output.size() <= 20000 ? output : "…" + output.substr(output.size() - 20000))
                << "\n";
    }
  }

  // `hallcast run` with RLIMIT_NOFILE at 1024, soft and hard: the usual soft limit,
  // and no way for the program to raise it.
  void start(const json& config) {
    const auto file = work_.path() / "hallcast.json";
    std::ofstream(file) << config.dump(2);
    program_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"prlimit", "--nofile=1024:1024", kBinary, "run", "--config",
                                 file.string(), "--log-level", "debug"},
        Environment{{"HALLCAST_TEST_TOKEN", kToken}}, work_.path());
  }

  std::unique_ptr<WsClient> connect_operator(int port) {
    WsClient::Options options;
    options.headers = {std::string("Authorization: Bearer ") + kToken};
    return std::make_unique<WsClient>(port, options);
  }

  // Reads what the panel has been sent so far, keeping the output events.
  static void read_panel(WsClient& panel, std::vector<json>& output_events) {
    for (WsMessage m = panel.receive(0ms); m.kind == WsMessage::Kind::text;
         m = panel.receive(0ms)) {
      json message = json::parse(m.payload, nullptr, false);
      if (message.value("event", "") == "output") {
        output_events.push_back(std::move(message));
      }
    }
  }

  void stop_cleanly() {
    program_->send_signal(SIGINT);
    const auto code = program_->wait_for_exit(8s);
    ASSERT_TRUE(code.has_value()) << "still running 8 s after SIGINT";
    EXPECT_EQ(*code, 0);
  }

  TempDir work_{"hallcast-attack"};
  std::unique_ptr<ChildProcess> program_;
};

TEST_F(ControlAttackTest, AFloodOfHalfOpenConnectionsNeverStarvesTheShow) {
  constexpr int flood_size = 1100;
  ASSERT_GE(raise_open_file_limit(4096), flood_size + 200u)
      << "the test itself needs a descriptor per connection it opens";
  const int port = free_loopback_port();
  ASSERT_NO_FATAL_FAILURE(start(show_config(port, work_.path())));
  ASSERT_TRUE(wait_for_port(port, 30s)) << "the control port never opened";

  // An operator's panel, open before the flood, sees every output event.
  auto panel = connect_operator(port);
  ASSERT_TRUE(panel->upgraded()) << panel->status();
  std::map<std::string, std::string> states;
  for (const auto& output : panel->receive_json()["outputs"]) {
    states[output["id"]] = output["state"];
  }
  std::vector<json> events;
  while (states["rec"] != "live" || states["web"] != "live") {
    const json event =
        panel->wait_for([](const json& m) { return m.value("event", "") == "output"; }, 30s);
    states[event["id"]] = event["state"];
  }
  const auto hls = work_.path() / "hls";
  for (const auto deadline = Clock::now() + 20s;
       newest_segment(hls) < 1 && Clock::now() < deadline;) {
    read_panel(*panel, events);
    std::this_thread::sleep_for(100ms);
  }
  const int segment_before = newest_segment(hls);
  const auto bytes_before = recorded_bytes(work_.path() / "rec");
  ASSERT_GE(segment_before, 1);
  const std::size_t log_lines_before = lines_of(program_->output()).size();

  // The flood: connections from 50 addresses on the hall's network, each sending half
  // a request line and then nothing.
  std::vector<RawConnection> flood;
  flood.reserve(flood_size);
  for (int i = 0; i < flood_size; ++i) {
    flood.emplace_back(port, "127.0.0." + std::to_string(2 + i % 50));
    flood.back().send("GET / HT");
  }
  // hallcast lets go of every one: those over its limits at once, the others after the
  // request timeout, while the attacker still holds its end.
  std::size_t closed = 0;
  for (const auto deadline = Clock::now() + 20s;
       closed < flood.size() && Clock::now() < deadline;) {
    closed = wait_until_closed(flood, 200ms);
    read_panel(*panel, events);
  }
  EXPECT_EQ(closed, flood.size()) << "connections that never sent a request are still open";

  // The show went on: new segments and recorded bytes after the flood...
  for (const auto deadline = Clock::now() + 20s;
       newest_segment(hls) < segment_before + 3 && Clock::now() < deadline;) {
    read_panel(*panel, events);
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_GE(newest_segment(hls), segment_before + 3) << "the HLS output stopped";
  EXPECT_GT(recorded_bytes(work_.path() / "rec"), bytes_before) << "the recording stopped";
  // ...and no output ever left the air.
  read_panel(*panel, events);
  for (const auto& event : events) {
    EXPECT_EQ(event["state"], "live") << event.dump();
  }

  // The panel's port still answers, and an operator still gets in.
  EXPECT_EQ(http_get(port, "/healthz").status, 200);
  auto late = connect_operator(port);
  ASSERT_TRUE(late->upgraded()) << late->status();
  for (const auto& output : late->receive_json()["outputs"]) {
    EXPECT_EQ(output["state"], "live") << output.dump();
  }

  // The log says what happened in a few lines, not a line per refused connection.
  const std::string output = program_->output();
  const std::size_t flood_lines = lines_of(output).size() - log_lines_before;
  EXPECT_LT(flood_lines, 300u) << "log lines written during the flood";
  EXPECT_EQ(output.find("Too many open files"), std::string::npos);
  EXPECT_NE(output.find("held back"), std::string::npos) << "repeats are counted";
  ASSERT_NO_FATAL_FAILURE(stop_cleanly());
}

// A text that would end a log line and start a forged one is refused where the config
// is read, at its path, and the refusal itself forges nothing.
TEST_F(ControlAttackTest, ANewlineInAConfigTextCannotForgeALogLine) {
  const std::string forged = "\n2026-01-01 00:00:00.000 info  forged";
  const int port = free_loopback_port();
  json config = show_config(port, work_.path());
  config["event"]["title"] = "Round table" + forged;
  config["sources"][0]["label"] = "Wide" + forged;
  config["scenes"][0]["name"] = "Wide" + forged;
  ASSERT_NO_FATAL_FAILURE(start(config));
  const auto code = program_->wait_for_exit(30s);
  ASSERT_TRUE(code.has_value()) << "hallcast ran with the forged texts";
  EXPECT_EQ(*code, 2);

  const std::string output = program_->output();
  for (const auto& line : lines_of(output)) {
    EXPECT_FALSE(line.starts_with("2026-01-01 00:00:00.000")) << "a forged line: " << line;
  }
  for (const std::string path : {"event.title", "sources[0].label", "scenes[0].name"}) {
    EXPECT_NE(output.find(path + ": control character U+000A"), std::string::npos) << output;
  }
}

}  // namespace
}  // namespace hallcast::testing
