// A destination whose server takes the connection and hangs up — at once, or once the
// RTMP handshake is done — has failed: it says why, and it tries again after a growing
// wait instead of knocking again and again. The "server" is a few lines of loopback
// TCP in the test that notes when each connection came.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "engine_show.h"
#include "support/nginx_rtmp.h"

namespace hallcast::engine {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using show::OutputState;

enum class HangUp { at_once, after_handshake };

// Accepts every connection on a loopback port and closes it: at once, or after reading
// the client's C0+C1, answering S0+S1+S2 and reading C2 (RTMP's handshake).
class HangUpServer {
 public:
  explicit HangUpServer(HangUp when) : when_(when) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    EXPECT_EQ(bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(listen(listener_, 8), 0);
    EXPECT_EQ(getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length), 0);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~HangUpServer() {
    done_ = true;
    thread_.join();
    close(listener_);
  }

  int port() const { return port_; }
  std::vector<Clock::time_point> connections() const {
    std::lock_guard lock(mutex_);
    return connections_;
  }

 private:
  void serve() {
    while (!done_) {
      pollfd ready{listener_, POLLIN, 0};
      if (poll(&ready, 1, 50) <= 0) {
        continue;
      }
      const int client = accept(listener_, nullptr, nullptr);
      if (client < 0) {
        continue;
      }
      {
        std::lock_guard lock(mutex_);
        connections_.push_back(Clock::now());
      }
      if (when_ == HangUp::after_handshake) {
        handshake(client);
      }
      close(client);
    }
  }

  // Best effort: a client that gives up half-way is closed all the same.
  static void handshake(int client) {
    std::vector<char> c0c1(1 + 1536);
    if (!read_all(client, c0c1.data(), c0c1.size())) {
      return;
    }
    std::vector<char> answer(1 + 1536 + 1536, 0);
    answer[0] = 3;
    std::copy(c0c1.begin() + 1, c0c1.end(), answer.begin() + 1 + 1536);  // S2 echoes C1
    if (send(client, answer.data(), answer.size(), MSG_NOSIGNAL) < 0) {
      return;
    }
    std::vector<char> c2(1536);
    read_all(client, c2.data(), c2.size());
  }

  static bool read_all(int fd, char* data, std::size_t size) {
    std::size_t got = 0;
    while (got < size) {
      pollfd ready{fd, POLLIN, 0};
      if (poll(&ready, 1, 2000) <= 0) {
        return false;
      }
      const ssize_t n = recv(fd, data + got, size - got, 0);
      if (n <= 0) {
        return false;
      }
      got += static_cast<std::size_t>(n);
    }
    return true;
  }

  const HangUp when_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> done_{false};
  mutable std::mutex mutex_;  // guards connections_
  std::vector<Clock::time_point> connections_;
  std::thread thread_;
};

config::Config hang_up_show(int port) {
  config::Config c;
  c.event.title = "hang-ups";
  c.video.width = 320;
  c.video.height = 180;
  c.video.bitrate_kbps = 300;
  c.video.keyframe_interval_s = 1;
  c.sources = {
      {"cam", config::SourceKind::video, "", config::TestVideoUri{"ball"}, "Cam", ""},
      {"mic", config::SourceKind::audio, "", config::TestAudioUri{440, 0.3, 0, 0}, "Mic", ""},
  };
  c.scenes = {{"wide", "Wide", {{"cam", 0, 0, 1, 1}}}};
  config::Output out;
  out.id = "web";
  out.name = "web";
  out.type = config::OutputType::rtmp;
  out.url = "rtmp://127.0.0.1:" + std::to_string(port) + "/live";
  out.key = config::Secret("key-web-hangup");
  c.outputs = {out};
  return c;
}

// When each connection the server took came (or, where the server cannot tell, just
// how many there were).
using Connections = std::function<std::vector<Clock::time_point>()>;

void expect_a_failure_that_backs_off(int port, const Connections& connections_so_far,
                                     bool timed = true) {
  testing::EngineShow show(hang_up_show(port));
  const auto started = Clock::now();
  show.start();
  // Waits of 0.5–1 s, 1–2 s, 2–4 s, 4–8 s…: three or four attempts in 6 s.
  std::this_thread::sleep_until(started + 6s);
  const auto status = show.output("web");
  const auto connections = connections_so_far();
  show.stop();

  std::cerr << "[          ] " << connections.size() << " connections in 6 s; last error \""
            << status.last_error << "\"\n";
  for (const auto& change : show.changes_of("web")) {
    EXPECT_NE(change.state, OutputState::live) << show.history();
  }
  EXPECT_EQ(status.state, OutputState::reconnecting) << show.history();
  EXPECT_FALSE(status.last_error.empty());
  EXPECT_EQ(status.last_error.find("key-web-hangup"), std::string::npos);
  EXPECT_GE(status.reconnects, 2);
  ASSERT_GE(connections.size(), 3u) << show.history();
  EXPECT_LE(connections.size(), 5u) << "knocking again and again\n" << show.history();
  if (!timed) {
    return;
  }
  std::vector<double> gaps;
  for (std::size_t i = 1; i < connections.size(); ++i) {
    gaps.push_back(testing::seconds_of(connections[i] - connections[i - 1]));
    std::cerr << "[          ] then " << gaps.back() << " s\n";
  }
  // Each wait is drawn from the upper half of a range that doubles every time: the
  // third is at least twice the longest the first could be.
  EXPECT_GE(gaps.front(), 0.45);
  if (gaps.size() >= 3) {
    EXPECT_GT(gaps[2], gaps[0]);
  }
}

TEST(HangUps, AServerThatHangsUpAtOnceIsAFailureThatBacksOff) {
  HangUpServer server(HangUp::at_once);
  expect_a_failure_that_backs_off(server.port(), [&] { return server.connections(); });
}

TEST(HangUps, AServerThatHangsUpAfterTheHandshakeIsAFailureThatBacksOff) {
  HangUpServer server(HangUp::after_handshake);
  expect_a_failure_that_backs_off(server.port(), [&] { return server.connections(); });
}

// nginx-rtmp that takes the connection and the RTMP session, then closes it when asked
// to publish: rtmp2sink has already reported the stream as published by then.
TEST(HangUps, AServerThatHangsUpWhenAskedToPublishIsAFailureThatBacksOff) {
  testing::NginxRtmpOptions options;
  options.application_directives = "deny publish all;";
  testing::NginxRtmp nginx(options);
  const auto connections = [&] {
    // One line per session nginx refused.
    std::vector<Clock::time_point> found;
    const std::string log = nginx.log();
    for (auto at = log.find("access forbidden"); at != std::string::npos;
         at = log.find("access forbidden", at + 1)) {
      found.push_back(Clock::now());
    }
    return found;
  };
  expect_a_failure_that_backs_off(nginx.port(), connections, false);
}

}  // namespace
}  // namespace hallcast::engine
