// A live show for the control tests: the real engine on a small config (320x180 test
// sources, a recording into a temp folder, one disabled RTMP destination on a closed
// loopback port: nothing touches the network) and the control server on a free
// loopback port, with every log line captured so a test can look for secrets in it.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <sstream>
#include <string>

#include <spdlog/logger.h>

#include "common/redactor.h"
#include "control/server.h"
#include "engine/engine.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"

namespace hallcast::control {

using namespace std::chrono_literals;

class ControlTest : public ::testing::Test {
 protected:
  // Distinctive, so that a search for them cannot hit anything else.
  static constexpr const char* operator_token = "op-token-7c1e9d2b4a";
  static constexpr const char* viewer_token = "view-token-3f8a6e1c0d";
  static constexpr const char* stream_key = "live-key-5b2d9f7e4c";

  void SetUp() override;
  void TearDown() override;

  // Starts the engine and the server. `tokens`: which of the tokens above are set.
  struct Setup {
    bool operator_token = true;
    bool viewer_token = true;
    std::string host = "127.0.0.1";
    int port = 0;  // 0: any free port
    std::size_t max_queued_frames = 1024;
    std::filesystem::path web_dir;              // default: the repository's web/
    std::vector<config::Output> extra_outputs;  // after the recording and "vk"
    // Runs after the engine and server are made, before the engine starts: where a test
    // adds a listener of its own (the obs-websocket server).
    std::function<void()> before_start;
    // Short, so that tests of what a silent or dribbling client costs are quick.
    std::chrono::seconds request_timeout{5};
    ConnectionLimitSettings connection_limits;  // used as given, not cut to RLIMIT_NOFILE
    LoginThrottleSettings login_throttle;
  };
  void start_show(Setup setup);
  void start_show() { start_show(Setup{}); }
  // Stops server and engine; the captured log is complete afterwards.
  void stop_show();

  int port() const { return server_->port(); }
  std::unique_ptr<testing::WsClient> connect(std::vector<std::string> headers) const;
  std::unique_ptr<testing::WsClient> connect_operator() const;
  std::unique_ptr<testing::WsClient> connect_viewer() const;
  std::string bearer(const char* token) const {
    return std::string("Authorization: Bearer ") + token;
  }

  // Thumbnail events the engine has announced since start_show, to anyone: what the
  // multiview costs, whether or not the server sends them on.
  std::uint64_t thumbnails_announced() const { return thumbnails_->load(); }

  std::string captured_log() const { return log_.str(); }
  const std::filesystem::path& temp_dir() const { return dir_->path(); }
  config::Config& config() { return config_; }
  engine::Engine& engine() { return *engine_; }
  const common::Redactor& redactor() const { return redactor_; }
  ControlServer& server() { return *server_; }

 private:
  std::unique_ptr<testing::TempDir> dir_;
  config::Config config_;
  common::Redactor redactor_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<ControlServer> server_;
  // Shared with the engine's listener, which lives as long as the engine.
  std::shared_ptr<std::atomic<std::uint64_t>> thumbnails_ =
      std::make_shared<std::atomic<std::uint64_t>>(0);
  std::ostringstream log_;
  std::shared_ptr<spdlog::logger> previous_logger_;
};

// One multiview binary frame, taken apart (docs/protocol.md): `ok` only if it has a
// 2-byte length, a JSON object header of that length and a picture after it.
struct ThumbnailFrame {
  bool ok = false;
  nlohmann::json header;
  std::string jpeg;
};
ThumbnailFrame parse_thumbnail(const std::string& payload);

// The session id a login answer's Set-Cookie holds; "" if none.
std::string session_from(const testing::HttpResponse& response);

// The first message a client gets: the full state.
nlohmann::json initial_state(testing::WsClient& client);

// Reads everything that arrives within `quiet` and returns the events among it.
std::vector<nlohmann::json> drain_events(testing::WsClient& client,
                                         std::chrono::milliseconds quiet);

}  // namespace hallcast::control
