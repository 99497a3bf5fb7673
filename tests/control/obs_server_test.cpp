// The obs-websocket listener in-process, over real sockets: the real engine, the control
// server and the obs-websocket server side by side, and a raw WebSocket client that can
// send what no obs-websocket library would (tests/support/ws_client.h). Close codes
// arrive on the wire; commands change the engine's state.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "control/obs/auth.h"
#include "control/obs/obs_server.h"
#include "control/server.h"
#include "control_fixture.h"

namespace hallcast::control {
namespace {

using nlohmann::json;

constexpr const char* obs_password = "obs-pw-6a1f3c9e";

class ObsServerTest : public ControlTest {
 protected:
  void start(bool with_password = true, std::string host = "127.0.0.1") {
    Setup setup;
    setup.before_start = [this, with_password, host] {
      config().control.obs_websocket = config::ObsWebsocket{host, 0, "UNUSED", {}};
      obs::ObsOptions options;
      options.password = config::Secret(with_password ? obs_password : "");
      options.version = "test";
      obs_ = std::make_unique<obs::ObsServer>(config(), options, engine(), redactor());
    };
    start_show(setup);
    obs_->start();
  }
  void TearDown() override {
    if (obs_) {
      obs_->stop();
    }
    obs_.reset();
    ControlTest::TearDown();
  }

  std::unique_ptr<testing::WsClient> open(std::string subprotocol = "obswebsocket.json",
                                          std::vector<std::string> headers = {}) {
    testing::WsClient::Options options;
    options.path = "/";
    options.headers = std::move(headers);
    if (!subprotocol.empty()) {
      options.headers.push_back("Sec-WebSocket-Protocol: " + subprotocol);
    }
    return std::make_unique<testing::WsClient>(obs_->port(), options);
  }

  // Connects and identifies with the password; returns the client.
  std::unique_ptr<testing::WsClient> identified(std::uint32_t subscriptions = 0x7ff) {
    auto client = open();
    EXPECT_TRUE(client->upgraded()) << client->status();
    const json hello = client->receive_json();
    json data = {{"rpcVersion", 1}, {"eventSubscriptions", subscriptions}};
    if (hello.at("d").contains("authentication")) {
      const auto& auth = hello.at("d").at("authentication");
      data["authentication"] =
          obs::authentication_string(obs_password, auth.at("salt").get<std::string>(),
                                     auth.at("challenge").get<std::string>());
    }
    client->send_text(json{{"op", 1}, {"d", data}}.dump());
    EXPECT_EQ(client->receive_json().at("op"), 2);
    return client;
  }

  json call(testing::WsClient& client, const std::string& type, json data = nullptr) {
    const std::string id = "r" + std::to_string(++next_id_);
    json d = {{"requestType", type}, {"requestId", id}};
    if (!data.is_null()) {
      d["requestData"] = std::move(data);
    }
    client.send_text(json{{"op", 6}, {"d", d}}.dump());
    return client.wait_for([&](const json& m) {
      return m.value("op", -1) == 7 && m.at("d").value("requestId", "") == id;
    });
  }

  std::unique_ptr<obs::ObsServer> obs_;
  int next_id_ = 0;
};

TEST_F(ObsServerTest, ClosesWithTheProtocolsCodes) {
  start();
  // Each case on a fresh connection: what it sends, the close code it gets.
  const auto close_after = [&](const std::function<void(testing::WsClient&)>& send,
                               bool identify_first = false) {
    auto client = identify_first ? identified() : open();
    if (!identify_first) {
      client->receive_json();  // Hello
    }
    send(*client);
    return client->wait_for_close();
  };
  const auto text = [](std::string body) {
    return [body](testing::WsClient& c) { c.send_text(body); };
  };
  EXPECT_EQ(close_after(text("this is not json")), 4002);
  EXPECT_EQ(close_after([](auto& c) { c.send_frame(0x2, R"({"op":1,"d":{"rpcVersion":1}})"); }),
            4002);  // binary in a JSON session
  EXPECT_EQ(close_after(text("[1,2,3]")), 4002);
  EXPECT_EQ(close_after(text(R"({"d":{}})")), 4006);
  EXPECT_EQ(close_after(text(R"({"op":1})")), 4003);
  EXPECT_EQ(close_after(text(R"({"op":1,"d":"x"})")), 4004);
  EXPECT_EQ(close_after(text(R"({"op":6,"d":{"requestType":"GetVersion","requestId":"1"}})")),
            4007);
  EXPECT_EQ(close_after(text(R"({"op":1,"d":{"rpcVersion":1,"authentication":"wrong"}})")), 4009);
  EXPECT_EQ(close_after(text(R"({"op":1,"d":{"rpcVersion":1}})")), 4009);  // no answer
  EXPECT_EQ(close_after(text(R"({"op":1,"d":{"rpcVersion":9}})")), 4009);  // auth comes first
  EXPECT_EQ(close_after(text(R"({"op":1,"d":{"rpcVersion":1}})"), true), 4008);
  EXPECT_EQ(close_after(text(R"({"op":4,"d":{}})"), true), 4006);
  EXPECT_EQ(close_after(text(R"({"op":6,"d":{"requestType":"GetVersion"}})"), true), 4003);
  EXPECT_EQ(close_after(text(R"({"op":6,"d":{"requestId":1,"requestType":[]}})"), true), 4004);
  EXPECT_EQ(
      close_after(text(R"({"op":8,"d":{"requestId":1,"requests":[],"executionType":7}})"), true),
      4005);
  EXPECT_EQ(close_after(text(R"({"op":3,"d":{"eventSubscriptions":"all"}})"), true), 4004);
  EXPECT_EQ(close_after(text(std::string(300 * 1024, ' ')), true), 1009);  // huge
  EXPECT_EQ(close_after(text(std::string(5000, '[')), true), 4002);        // deep
  // Each of those closed one connection only: the show is still there for the next.
  auto client = identified();
  EXPECT_EQ(
      call(*client, "GetStudioModeEnabled").at("d").at("responseData").at("studioModeEnabled"),
      true);
}

TEST_F(ObsServerTest, WithoutPasswordRefusesAnotherSitesPage) {
  start(false);
  auto local = open();
  ASSERT_TRUE(local->upgraded());
  EXPECT_FALSE(local->receive_json().at("d").contains("authentication"));
  auto page = open("obswebsocket.json", {"Origin: http://evil.example"});
  EXPECT_FALSE(page->upgraded());
  auto rebound = open("obswebsocket.json", {"Host: evil.example:4455"});
  EXPECT_FALSE(rebound->upgraded());
}

TEST(ObsServerConfigTest, RefusesAReachableListenerWithoutPassword) {
  config::Control control;
  control.obs_websocket = config::ObsWebsocket{"0.0.0.0", 4455, "HALLCAST_OBS_PASSWORD", {}};
  const auto problems = obs::check_listener(control, config::Secret());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "control.obs_websocket.listen");
  EXPECT_TRUE(obs::check_listener(control, config::Secret("pw")).empty());
  control.obs_websocket->host = "127.0.0.1";
  EXPECT_TRUE(obs::check_listener(control, config::Secret()).empty());
}

TEST_F(ObsServerTest, RequestsChangeTheShowAndEveryClientHearsIt) {
  start();
  auto client = identified();
  auto deaf = identified(0);  // no events at all
  auto panel = connect_operator();
  initial_state(*panel);

  const json unknown = call(*client, "MakeCoffee");
  EXPECT_EQ(unknown.at("d").at("requestStatus").at("code"), 204);
  EXPECT_EQ(unknown.at("d").at("requestStatus").at("result"), false);

  const json cut = call(*client, "SetCurrentProgramScene", {{"sceneName", "Close-up"}});
  EXPECT_EQ(cut.at("d").at("requestStatus").at("code"), 100);
  EXPECT_EQ(engine().snapshot()->program, "close");
  const json event = client->wait_for([](const json& m) {
    return m.value("op", -1) == 5 && m.at("d").at("eventType") == "CurrentProgramSceneChanged";
  });
  EXPECT_EQ(event.at("d").at("eventIntent"), 4);
  EXPECT_EQ(event.at("d").at("eventData").at("sceneUuid"), "close");
  panel->wait_for([](const json& m) { return m.value("event", "") == "program"; });

  // From the panel to the obs-websocket client.
  panel->request({{"id", 1}, {"cmd", "audio.set"}, {"channel", "mic1"}, {"muted", true}});
  const json muted = client->wait_for([](const json& m) {
    return m.value("op", -1) == 5 && m.at("d").at("eventType") == "InputMuteStateChanged";
  });
  EXPECT_EQ(muted.at("d").at("eventData").at("inputUuid"), "mic1");
  EXPECT_EQ(muted.at("d").at("eventData").at("inputMuted"), true);

  const auto heard = deaf->take_all(300ms);
  EXPECT_TRUE(heard.empty()) << heard.front().dump();
}

TEST_F(ObsServerTest, CreatedAndDeletedCaptionsAreSceneItemsWithIdsOfTheirOwn) {
  start();
  auto client = identified();
  const json before = call(*client, "GetSceneItemList", {{"sceneName", "Close-up"}});
  const auto first_items = before.at("d").at("responseData").at("sceneItems");
  ASSERT_FALSE(first_items.empty());
  const int first_id = first_items[0].at("sceneItemId");

  // A caption made on the panel appears in every scene, with a new id…
  ASSERT_TRUE(
      engine()
          .run(show::OverlayCreate{"q1", config::OverlayType::title, {"", "", {}, "Вопрос"}})
          .ok());
  const json created = client->wait_for([](const json& m) {
    return m.value("op", -1) == 5 && m.at("d").at("eventType") == "SceneItemCreated";
  });
  EXPECT_EQ(created.at("d").at("eventData").at("sourceName"), "q1");
  const int q1 = created.at("d").at("eventData").at("sceneItemId");
  const json found =
      call(*client, "GetSceneItemId", {{"sceneName", "Close-up"}, {"sourceName", "q1"}});
  EXPECT_EQ(found.at("d").at("responseData").at("sceneItemId"), q1);
  // …that Companion can switch on.
  const json on =
      call(*client, "SetSceneItemEnabled",
           {{"sceneName", "Close-up"}, {"sceneItemId", q1}, {"sceneItemEnabled", true}});
  EXPECT_EQ(on.at("d").at("requestStatus").at("code"), 100);
  EXPECT_TRUE(engine().snapshot()->find_overlay("q1")->visible);

  // Deleted, it is gone from every scene; the ids of the others do not move.
  ASSERT_TRUE(engine().run(show::OverlayDelete{"q1"}).ok());
  const json removed = client->wait_for([](const json& m) {
    return m.value("op", -1) == 5 && m.at("d").at("eventType") == "SceneItemRemoved";
  });
  EXPECT_EQ(removed.at("d").at("eventData").at("sceneItemId"), q1);
  const json gone =
      call(*client, "SetSceneItemEnabled",
           {{"sceneName", "Close-up"}, {"sceneItemId", q1}, {"sceneItemEnabled", true}});
  EXPECT_EQ(gone.at("d").at("requestStatus").at("code"), 600);
  const json after = call(*client, "GetSceneItemList", {{"sceneName", "Close-up"}});
  EXPECT_EQ(after.at("d").at("responseData").at("sceneItems")[0].at("sceneItemId"), first_id);
  EXPECT_EQ(after.at("d").at("responseData").at("sceneItems").size(), first_items.size());
}

TEST_F(ObsServerTest, MsgpackSessionsSpeakBinary) {
  start(false);
  auto client = open("obswebsocket.msgpack");
  ASSERT_TRUE(client->upgraded());
  EXPECT_NE(client->handshake().header("sec-websocket-protocol").find("obswebsocket.msgpack"),
            std::string::npos);
  const auto hello = client->receive();
  ASSERT_EQ(hello.kind, testing::WsMessage::Kind::binary);
  EXPECT_EQ(json::from_msgpack(hello.payload).at("op"), 0);
  std::string packed;
  json::to_msgpack(json{{"op", 1}, {"d", {{"rpcVersion", 1}}}}, packed);
  client->send_frame(0x2, packed);
  const auto identified_message = client->receive();
  ASSERT_EQ(identified_message.kind, testing::WsMessage::Kind::binary);
  EXPECT_EQ(json::from_msgpack(identified_message.payload).at("op"), 2);
  packed.clear();
  json::to_msgpack(json{{"op", 6}, {"d", {{"requestType", "GetInputList"}, {"requestId", 5}}}},
                   packed);
  client->send_frame(0x2, packed);
  const json answer = json::from_msgpack(client->receive().payload);
  EXPECT_EQ(answer.at("op"), 7);
  EXPECT_EQ(answer.at("d").at("requestId"), 5);
  EXPECT_EQ(answer.at("d").at("responseData").at("inputs").size(), 2u);

  client->send_frame(0x2, "\x81\xa2op");  // a map whose value is missing
  EXPECT_EQ(client->wait_for_close(), 4002);

  auto texting = open("obswebsocket.msgpack");
  texting->receive();
  texting->send_text(R"({"op":1,"d":{"rpcVersion":1}})");
  EXPECT_EQ(texting->wait_for_close(), 4002);
}

TEST_F(ObsServerTest, VolumeMetersOnlyForClientsThatAskForThem) {
  start();
  auto meters = identified(1u << 16);
  auto others = identified(0x7ff);
  const json reading = meters->wait_for([](const json& m) {
    if (m.value("op", -1) != 5 || m.at("d").at("eventType") != "InputVolumeMeters") {
      return false;
    }
    for (const auto& input : m.at("d").at("eventData").at("inputs")) {
      if (input.at("inputUuid") == "mic1" &&
          input.at("inputLevelsMul")[0][2].get<double>() > 0.01) {
        return true;
      }
    }
    return false;
  });
  EXPECT_EQ(reading.at("d").at("eventIntent"), 1 << 16);
  // Every 50 ms: ten more arrive well within two seconds.
  int count = 0;
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (count < 10 && std::chrono::steady_clock::now() < deadline) {
    const auto m = meters->receive_json(2s);
    count += m.at("d").value("eventType", "") == "InputVolumeMeters";
  }
  EXPECT_EQ(count, 10);
  for (const auto& m : others->take_all(200ms)) {
    EXPECT_NE(m.at("d").value("eventType", ""), "InputVolumeMeters");
  }
}

TEST_F(ObsServerTest, StopSaysExitStartedThenGoingAway) {
  start();
  auto client = identified(1);  // General
  obs_->stop();
  const json exit = client->receive_json();
  EXPECT_EQ(exit.at("d").at("eventType"), "ExitStarted");
  EXPECT_EQ(client->wait_for_close(), 1001);
}

}  // namespace
}  // namespace hallcast::control
