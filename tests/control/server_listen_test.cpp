// Listening over a real socket against the real engine: listen.start sends the asking
// client alone its signal's Opus packets as binary frames; listen.stop, a new
// listen.start or leaving ends them, and the engine encodes nothing nobody listens to.
// A bad request gets a clear error and changes nothing: a client listening goes on
// hearing what it heard.
#include <gtest/gtest.h>

#include <thread>

#include "control_fixture.h"

namespace hallcast::control {
namespace {

using nlohmann::json;

json ok(int id) {
  return {{"id", id}, {"ok", true}};
}

// The listening frames among `payloads` (thumbnails have a "feed" instead), by tap.
std::map<std::string, int> taps_in(const std::vector<std::string>& payloads) {
  std::map<std::string, int> taps;
  for (const std::string& payload : payloads) {
    const ThumbnailFrame frame = parse_thumbnail(payload);  // the same envelope
    EXPECT_TRUE(frame.ok) << "a malformed frame of " << payload.size() << " bytes";
    if (!frame.ok || !frame.header.contains("listen")) {
      continue;
    }
    EXPECT_EQ(frame.header.value("type", ""), "audio/opus") << frame.header.dump();
    EXPECT_EQ(frame.header.value("rate", 0), 48000);
    EXPECT_EQ(frame.header.value("channels", 0), 2);
    EXPECT_TRUE(frame.header["captured_ms"].is_number());
    // An Opus packet of 20 ms: a few dozen to a few hundred bytes.
    EXPECT_GT(frame.jpeg.size(), 2u);
    EXPECT_LT(frame.jpeg.size(), 1500u);
    ++taps[frame.header.value("listen", "")];
  }
  return taps;
}

// Reads `client`'s binary frames for `wait`.
std::map<std::string, int> listen_for(testing::WsClient& client, std::chrono::milliseconds wait) {
  return taps_in(client.take_binary(wait));
}

std::string metrics(int port, const char* token) {
  return testing::http_get(port, "/metrics", {std::string("Authorization: Bearer ") + token}).body;
}

TEST_F(ControlTest, ListeningGoesOnlyToTheClientThatAsked) {
  start_show();
  auto listener = connect_operator();
  auto bystander = connect_operator();
  initial_state(*listener);
  initial_state(*bystander);

  EXPECT_EQ(listener->request({{"id", 1}, {"cmd", "listen.start"}, {"source", "mic1"}}), ok(1));
  const auto heard = listen_for(*listener, 1500ms);
  // 50 packets a second; a loaded machine may deliver fewer in time, never none.
  EXPECT_GT(heard.count("source:mic1") ? heard.at("source:mic1") : 0, 20);
  EXPECT_EQ(heard.size(), 1u);
  EXPECT_TRUE(bystander->take_binary(0ms).empty());
  EXPECT_NE(metrics(port(), operator_token).find("\nhallcast_control_listen_clients 1\n"),
            std::string::npos);

  // One signal at a time: the English track replaces the microphone.
  EXPECT_EQ(listener->request({{"id", 2}, {"cmd", "listen.start"}, {"track", "en"}}), ok(2));
  listener->take_binary(300ms);  // the microphone's last, in flight
  const auto track = listen_for(*listener, 1000ms);
  EXPECT_EQ(track.count("source:mic1"), 0u);
  EXPECT_GT(track.count("track:en") ? track.at("track:en") : 0, 10);

  EXPECT_EQ(listener->request({{"id", 3}, {"cmd", "listen.stop"}}), ok(3));
  listener->take_binary(500ms);
  EXPECT_TRUE(listen_for(*listener, 1000ms).empty()) << "packets a second after listen.stop";
  EXPECT_NE(metrics(port(), operator_token).find("\nhallcast_control_listen_clients 0\n"),
            std::string::npos);
  // Stopping twice is harmless.
  EXPECT_EQ(listener->request({{"id", 4}, {"cmd", "listen.stop"}}), ok(4));
}

TEST_F(ControlTest, AViewerMayListen) {
  start_show();
  auto viewer = connect_viewer();
  initial_state(*viewer);
  EXPECT_EQ(viewer->request({{"id", 1}, {"cmd", "listen.start"}, {"source", "booth-en"}}), ok(1));
  const auto heard = listen_for(*viewer, 1500ms);
  EXPECT_GT(heard.count("source:booth-en") ? heard.at("source:booth-en") : 0, 20);
  // Closing the connection is a stop: the count goes back to 0.
  viewer.reset();
  for (int i = 0; i < 50; ++i) {
    if (metrics(port(), operator_token).find("\nhallcast_control_listen_clients 0\n") !=
        std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_NE(metrics(port(), operator_token).find("\nhallcast_control_listen_clients 0\n"),
            std::string::npos);
}

TEST_F(ControlTest, ABadListenRequestIsRefusedAndChangesNothing) {
  start_show();
  auto client = connect_operator();
  initial_state(*client);
  EXPECT_EQ(client->request({{"id", 1}, {"cmd", "listen.start"}, {"source", "mic1"}}), ok(1));

  const std::vector<std::pair<json, std::string>> bad = {
      {{{"cmd", "listen.start"}}, "missing_field"},
      {{{"cmd", "listen.start"}, {"source", "mic1"}, {"track", "en"}}, "bad_request"},
      {{{"cmd", "listen.start"}, {"source", 5}}, "bad_type"},
      {{{"cmd", "listen.start"}, {"source", ""}}, "bad_value"},
      {{{"cmd", "listen.start"}, {"source", "nope"}}, "unknown_channel"},
      {{{"cmd", "listen.start"}, {"source", "cam1"}}, "unknown_channel"},
      {{{"cmd", "listen.start"}, {"track", "fr"}}, "unknown_language"},
      {{{"cmd", "listen.start"}, {"source", "mic1"}, {"volume", 1}}, "unknown_field"},
      {{{"cmd", "listen.stop"}, {"source", "mic1"}}, "unknown_field"},
  };
  int id = 10;
  for (auto [request, code] : bad) {
    request["id"] = ++id;
    const json reply = client->request(request);
    EXPECT_EQ(reply["ok"], false) << request.dump();
    EXPECT_EQ(reply["error"], code) << request.dump();
    EXPECT_FALSE(reply.value("message", "").empty()) << request.dump();
  }
  // Still the microphone, and only it.
  client->take_binary(0ms);
  const auto heard = listen_for(*client, 1000ms);
  EXPECT_EQ(heard.size(), 1u);
  EXPECT_GT(heard.count("source:mic1") ? heard.at("source:mic1") : 0, 10);
  EXPECT_NE(metrics(port(), operator_token).find("\nhallcast_control_listen_clients 1\n"),
            std::string::npos);
}

}  // namespace
}  // namespace hallcast::control
