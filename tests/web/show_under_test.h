// The hallcast the panel tests drive: the real program, run as a child process with a
// small show (320x180, two test cameras and a PiP scene, a mic, an English booth, a
// lower third and a slate, a recording, an RTMP destination publishing to a private
// nginx-rtmp and a second one left off, an event starting ten minutes after launch with
// three cues), its web files from the source tree.
//
// The tests judge the panel by what the engine does: its state is read over a WebSocket
// of its own, with the operator token as a program would send it.
#pragma once

#include <gtest/gtest.h>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "support/nginx_rtmp.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace hallcast::testing {

class ShowUnderTest {
 public:
  // Distinctive values, so finding one in a page cannot be a coincidence.
  static constexpr const char* operator_token = "panel-op-4e7b1c9a2f";
  static constexpr const char* viewer_token = "panel-view-8d3f6a0b5e";
  static constexpr const char* site_key = "panel-key-site-1a9c7e";
  static constexpr const char* spare_key = "panel-key-spare-6b2d4f";

  // Starts nginx and hallcast and waits until the control port answers with a state.
  // `adjust`, if given, changes the config first (another show for another page).
  explicit ShowUnderTest(std::function<void(nlohmann::json&)> adjust = {});
  ~ShowUnderTest();

  int port() const { return port_; }
  // The event's start: ten minutes after the show was made (its cues at -5m, +0s, +2h).
  std::chrono::system_clock::time_point event_start() const { return start_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

  // SIGKILL: hallcast vanishes as in a crash or a pulled cable.
  void kill();
  // SIGSTOP and SIGCONT: hallcast freezes with its connections open, as behind a
  // network that stopped carrying anything, then carries on.
  void freeze();
  void thaw();
  // Runs hallcast again on the same port with the same config.
  void start();

  // The engine's whole state, as a fresh WebSocket client receives it on connecting.
  nlohmann::json state() const;
  // Sends one request over a fresh WebSocket client; returns the reply.
  nlohmann::json request(nlohmann::json request) const;
  // Polls state() until `condition` holds; the failure names `what` and shows the last
  // state seen.
  ::testing::AssertionResult reaches(const std::string& what,
                                     const std::function<bool(const nlohmann::json&)>& condition,
                                     std::chrono::milliseconds timeout) const;

  // hallcast's log so far, for failure messages.
  std::string log() const;
  // hallcast's working folder: config relative paths (an HLS output's) start here.
  const std::filesystem::path& work_dir() const { return work_.path(); }

 private:
  nlohmann::json config() const;

  TempDir work_{"hallcast-panel"};
  NginxRtmp nginx_;
  int port_ = 0;
  std::chrono::system_clock::time_point start_;
  std::filesystem::path config_file_;
  std::unique_ptr<ChildProcess> program_;
  std::string earlier_logs_;  // of runs before a restart
};

// The output entry `id` of a state; null if there is none.
nlohmann::json find_by(const nlohmann::json& list, const std::string& key, const std::string& id);

}  // namespace hallcast::testing
