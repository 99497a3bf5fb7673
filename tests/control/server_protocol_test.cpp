// The protocol over a real socket: commands reach the engine and their events reach
// every client; bad requests are answered and change nothing; unreadable frames close
// only their own connection; a slow client is dropped without holding anyone up.
#include <gtest/gtest.h>

#include <thread>

#include "control/protocol.h"
#include "control_fixture.h"
#include "support/ports.h"

namespace hallcast::control {
namespace {

using nlohmann::json;
using testing::WsMessage;

auto is_event(std::string name) {
  return [name](const json& m) { return m.value("event", "") == name; };
}

// Events that say the show changed (output and source events also come from the
// engine's own timer, whatever the clients do).
std::vector<json> show_changes(const std::vector<json>& events) {
  std::vector<json> changes;
  for (const auto& e : events) {
    const std::string name = e["event"];
    // Counters and meters move on their own; the show itself must not.
    if (name != "output" && name != "source" && name != "meters")
      changes.push_back(e);
  }
  return changes;
}

TEST_F(ControlTest, CommandsChangeTheShowAndEveryClientSeesTheEvents) {
  start_show();
  auto a = connect_operator();
  auto b = connect_operator();
  initial_state(*a);
  initial_state(*b);

  EXPECT_EQ(a->request({{"id", 1}, {"cmd", "scene.preview"}, {"scene", "wide"}}),
            json::parse(R"({"id":1,"ok":true})"));
  for (auto* client : {a.get(), b.get()}) {
    EXPECT_EQ(client->wait_for(is_event("preview"))["scene"], "wide");
  }

  EXPECT_EQ(a->request({{"id", "cut-1"}, {"cmd", "scene.cut"}, {"scene", "close"}})["ok"], true);
  for (auto* client : {a.get(), b.get()}) {
    EXPECT_EQ(client->wait_for(is_event("program"))["scene"], "close");
  }

  // A take swaps programme and preview.
  EXPECT_EQ(a->request({{"id", 3}, {"cmd", "transition.take"}, {"type", "cut"}})["ok"], true);
  for (auto* client : {a.get(), b.get()}) {
    EXPECT_EQ(client->wait_for(is_event("program"))["scene"], "wide");
    EXPECT_EQ(client->wait_for(is_event("preview"))["scene"], "close");
  }

  EXPECT_EQ(a->request({{"id", 4},
                        {"cmd", "audio.set"},
                        {"channel", "booth-en"},
                        {"gain_db", -6.5},
                        {"muted", true}})["ok"],
            true);
  for (auto* client : {a.get(), b.get()}) {
    const json audio = client->wait_for(is_event("audio"));
    EXPECT_EQ(audio["channel"], "booth-en");
    EXPECT_EQ(audio["gain_db"], -6.5);
    EXPECT_EQ(audio["muted"], true);
  }

  // state.get: the reply, then the whole state as it now is.
  b->send_text(R"({"id": 5, "cmd": "state.get"})");
  EXPECT_EQ(b->wait_for([](const json& m) { return m.contains("ok"); }),
            json::parse(R"({"id":5,"ok":true})"));
  const json state = b->receive_json();
  EXPECT_EQ(state["event"], "state");
  EXPECT_EQ(state["program"], "wide");
  EXPECT_EQ(state["preview"], "close");
  EXPECT_EQ(state["audio"][1],
            json::parse(R"({"channel":"booth-en","gain_db":-6.5,"muted":true})"));
}

TEST_F(ControlTest, BadRequestsAreAnsweredChangeNothingAndKeepTheConnection) {
  start_show();
  auto a = connect_operator();
  auto watcher = connect_operator();
  const json before = initial_state(*a);
  initial_state(*watcher);

  struct Case {
    std::string request;
    std::string error;
  };
  const std::vector<Case> cases = {
      // protocol errors, found before the engine sees anything
      {R"({"id": 1, "cmd": "scene.explode", "scene": "close"})", "unknown_command"},
      {R"({"id": 2, "scene": "close"})", "missing_field"},
      {R"({"id": 3, "cmd": "scene.cut"})", "missing_field"},
      {R"({"id": 4, "cmd": "scene.cut", "scene": 2})", "bad_type"},
      {R"({"id": 5, "cmd": "scene.cut", "scene": "close", "when": "now"})", "unknown_field"},
      {R"({"id": 6, "cmd": "audio.set", "channel": "mic1", "gain_db": 40})", "out_of_range"},
      {R"({"id": 7, "cmd": "audio.set", "channel": "mic1", "gain_db": -6, "muted": "yes"})",
       "bad_type"},
      {R"({"id": 8, "cmd": "audio.set", "channel": "mic1"})", "missing_field"},
      {R"({"id": 9, "cmd": "transition.take", "type": "wipe"})", "bad_value"},
      {R"({"id": 10, "cmd": "transition.take", "duration_ms": 999999})", "out_of_range"},
      {R"({"id": 11, "cmd": 7})", "bad_type"},
      {R"({"id": 12, "cmd": "output.set_language", "output": "vk", "language": 3})", "bad_type"},
      // ids the show does not have: the engine's answer
      {R"({"id": 13, "cmd": "scene.cut", "scene": "nope"})", "unknown_scene"},
      {R"({"id": 14, "cmd": "scene.preview", "scene": "nope"})", "unknown_scene"},
      {R"({"id": 15, "cmd": "audio.set", "channel": "nope", "muted": true})", "unknown_channel"},
      {R"({"id": 16, "cmd": "audio.set", "channel": "cam1", "muted": true})", "unknown_channel"},
      {R"({"id": 17, "cmd": "output.start", "output": "nope"})", "unknown_output"},
      {R"({"id": 18, "cmd": "output.stop", "output": "nope"})", "unknown_output"},
      {R"({"id": 19, "cmd": "overlay.show", "overlay": "nope"})", "unknown_overlay"},
      {R"({"id": 20, "cmd": "overlay.hide", "overlay": "nope"})", "unknown_overlay"},
      // a recording keeps every track: it has no one language to switch
      {R"({"id": 22, "cmd": "output.set_language", "output": "rec", "language": "floor"})",
       "not_supported"},
      {R"({"id": 23, "cmd": "output.set_language", "output": "vk", "language": "de"})",
       "unknown_language"},
  };
  for (const auto& c : cases) {
    const json request = json::parse(c.request);
    a->send_text(c.request);
    const json reply = a->wait_for([](const json& m) { return m.contains("ok"); });
    EXPECT_EQ(reply["id"], request["id"]) << c.request;
    EXPECT_EQ(reply["ok"], false) << c.request;
    EXPECT_EQ(reply["error"], c.error) << c.request << " -> " << reply.dump();
    EXPECT_TRUE(reply["message"].is_string() && !reply["message"].get<std::string>().empty())
        << c.request;
  }
  // JSON that is not a request object: answered without an id.
  for (const char* text : {"[1,2,3]", "\"scene.cut\"", "null", "{}"}) {
    a->send_text(text);
    const json reply = a->wait_for([](const json& m) { return m.contains("ok"); });
    EXPECT_EQ(reply["ok"], false) << text;
    EXPECT_FALSE(reply.contains("id")) << text;
    EXPECT_EQ(reply["error"], std::string(text) == "{}" ? "missing_field" : "bad_request") << text;
  }

  // The connection is still there and nothing changed.
  EXPECT_EQ(a->request({{"id", 99}, {"cmd", "state.get"}})["ok"], true);
  const json after = a->wait_for(is_event("state"));
  for (const char* key : {"program", "preview", "audio", "overlays"}) {
    EXPECT_EQ(after[key], before[key]) << key;
  }
  EXPECT_EQ(after["outputs"][1]["state"], "idle");
  EXPECT_EQ(show_changes(drain_events(*watcher, 300ms)), std::vector<json>{});
}

TEST_F(ControlTest, AMessageMayArriveInFragmentsUpToTheLimit) {
  start_show();
  auto client = connect_operator();
  initial_state(*client);
  client->send_frame(0x1, R"({"id": 1, "cmd")", false);
  client->send_frame(0x0, R"(: "scene.cut", )", false);
  client->send_frame(0x0, R"("scene": "close"})", true);
  EXPECT_EQ(client->wait_for([](const json& m) { return m.contains("ok"); })["ok"], true);

  // Exactly at the limit is still read.
  std::string request = R"({"id": 2, "cmd": "state.get"})";
  request += std::string(max_frame_bytes - request.size(), ' ');
  client->send_text(request);
  EXPECT_EQ(client->wait_for([](const json& m) { return m.contains("ok"); })["id"], 2);
}

TEST_F(ControlTest, UnreadableFramesCloseOnlyTheirConnection) {
  start_show();
  auto bystander = connect_operator();
  initial_state(*bystander);

  struct Case {
    const char* what;
    std::function<void(testing::WsClient&)> send;
    int close_code;
  };
  const std::string too_big =
      R"({"cmd":"state.get","x":")" + std::string(max_frame_bytes, 'a') + "\"}";
  const std::vector<Case> cases = {
      {"not JSON", [](auto& c) { c.send_text("hello, server"); }, 1007},
      {"truncated JSON", [](auto& c) { c.send_text(R"({"id": 1, "cmd": "scene.c)"); }, 1007},
      {"invalid UTF-8", [](auto& c) { c.send_text("{\"cmd\": \"\xff\xfe\"}"); }, 1007},
      {"binary", [](auto& c) { c.send_frame(0x2, R"({"cmd":"state.get"})"); }, 1003},
      {"one frame over the limit", [&](auto& c) { c.send_text(too_big); }, 1009},
      {"fragments over the limit",
       [](auto& c) {
         const std::string part(40 * 1024, ' ');
         c.send_frame(0x1, "{" + part, false);
         c.send_frame(0x0, part, false);
         c.send_frame(0x0, "}", true);
       },
       1009},
  };
  for (const auto& c : cases) {
    auto client = connect_operator();
    initial_state(*client);
    c.send(*client);
    EXPECT_EQ(client->wait_for_close(), c.close_code) << c.what;
  }

  // The server is still up, for old and new clients alike.
  EXPECT_EQ(bystander->request({{"id", 1}, {"cmd", "scene.cut"}, {"scene", "close"}})["ok"], true);
  auto fresh = connect_operator();
  ASSERT_TRUE(fresh->upgraded());
  EXPECT_EQ(initial_state(*fresh)["program"], "close");
}

TEST_F(ControlTest, ASlowClientIsDroppedWithoutHoldingUpTheOthers) {
  Setup setup;
  // Small, to fill quickly, but well above what one fast client's burst puts in its
  // queue at once (a batch's replies and events).
  setup.max_queued_frames = 64;
  start_show(setup);
  // Connected, authenticated, and never reading: its socket buffers fill, then its queue.
  testing::WsClient::Options stuck_options;
  stuck_options.headers = {bearer(operator_token)};
  stuck_options.receive_buffer = 4096;
  testing::WsClient stuck(port(), stuck_options);
  ASSERT_TRUE(stuck.upgraded());

  auto fast = connect_operator();
  initial_state(*fast);

  // Each command flips a mute, so each is one audio event for every client. Sent in
  // batches below the in-flight limit.
  constexpr int commands = 3000;
  constexpr int batch = 10;
  int audio_events = 0;
  const auto started = std::chrono::steady_clock::now();
  for (int first = 0; first < commands; first += batch) {
    for (int i = first; i < first + batch; ++i) {
      fast->send_text(
          json({{"id", i}, {"cmd", "audio.set"}, {"channel", "mic1"}, {"muted", i % 2 == 0}})
              .dump());
    }
    for (int replies = 0; replies < batch;) {
      const json m = fast->receive_json();
      if (m.contains("ok")) {
        ASSERT_EQ(m["ok"], true) << m.dump();
        ++replies;
      } else if (m["event"] == "audio") {
        ++audio_events;
      }
    }
  }
  for (const json& e : drain_events(*fast, 300ms)) {
    audio_events += e["event"] == "audio" ? 1 : 0;
  }
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(audio_events, commands);
  EXPECT_LT(elapsed, 10s);

  const auto metrics = testing::http_get(port(), "/metrics", {bearer(operator_token)});
  EXPECT_NE(metrics.body.find("hallcast_control_clients_dropped_total 1\n"), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("hallcast_control_clients{role=\"operator\"} 1\n"), std::string::npos)
      << metrics.body;
  // What it does read now ends with the server closing it.
  EXPECT_NE(stuck.wait_for_close(10s), -1);
  EXPECT_NE(captured_log().find("dropping it"), std::string::npos);
}

TEST_F(ControlTest, StoppingTheServerClosesItsClientsAndLeavesTheShowRunning) {
  start_show();
  auto client = connect_operator();
  initial_state(*client);
  server().stop();
  EXPECT_EQ(client->wait_for_close(), 1001);
  EXPECT_FALSE(testing::can_connect(port()));

  // The engine goes on, and its events (the recording's counters) find no one.
  const auto frames = engine().snapshot()->programme.frames_encoded;
  std::this_thread::sleep_for(1200ms);
  EXPECT_GT(engine().snapshot()->programme.frames_encoded, frames);
  server().stop();  // again: nothing to do
}

}  // namespace
}  // namespace hallcast::control
