// The obs-websocket protocol without sockets: identification and every close code the
// session decides, the two encodings and what they refuse, authentication, and requests
// mapped onto the show's commands (src/control/obs).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "control/obs/auth.h"
#include "control/obs/codec.h"
#include "control/obs/requests.h"
#include "control/obs/session.h"
#include "show/state.h"

namespace hallcast::control::obs {
namespace {

using nlohmann::json;

int close_code(const Outcome& outcome) {
  const auto* close = std::get_if<CloseWith>(&outcome);
  return close ? static_cast<int>(close->code) : 0;
}

json identify(json data = {{"rpcVersion", 1}}) {
  return {{"op", 1}, {"d", std::move(data)}};
}

class ObsSessionTest : public ::testing::Test {
 protected:
  Authentication open_{config::Secret()};
  Authentication locked_{config::Secret("s3cret")};
};

TEST(ObsAuthTest, AnswersAsTheProtocolDocumentsIt) {
  // base64(sha256(base64(sha256(password + salt)) + challenge)), computed independently.
  EXPECT_EQ(
      authentication_string("supersecretpassword", "lM1GncleQOaCu9lT1yeUZhFYnqhsLLP1G5lAGo3ixaI=",
                            "+IxH4CnCiqpX1rM9scsNynZzbOe4KhDeYcTNS3PDaeY="),
      "1Ct943GAT+6YQUUX47Ia/ncufilbe6+oD6lY+5kaCu4=");
  Authentication auth(config::Secret("pw"));
  ASSERT_TRUE(auth.required());
  const std::string challenge = auth.new_challenge();
  EXPECT_NE(challenge, auth.new_challenge());
  EXPECT_TRUE(auth.check(challenge, authentication_string("pw", auth.salt(), challenge)));
  EXPECT_FALSE(auth.check(challenge, authentication_string("pw2", auth.salt(), challenge)));
  EXPECT_FALSE(auth.check(challenge, ""));
}

TEST_F(ObsSessionTest, HelloAnnouncesAuthenticationOnlyWithAPassword) {
  EXPECT_FALSE(hello(open_, "").at("d").contains("authentication"));
  const json locked = hello(locked_, "abc");
  EXPECT_EQ(locked.at("op"), 0);
  EXPECT_EQ(locked.at("d").at("rpcVersion"), 1);
  EXPECT_EQ(locked.at("d").at("authentication").at("challenge"), "abc");
  EXPECT_EQ(locked.at("d").at("authentication").at("salt"), locked_.salt());
}

TEST_F(ObsSessionTest, IdentifiesWithTheRightAnswerOnly) {
  Session right(locked_, "chal");
  const auto ok = right.handle(
      identify({{"rpcVersion", 1},
                {"authentication", authentication_string("s3cret", locked_.salt(), "chal")}}));
  ASSERT_TRUE(std::holds_alternative<Send>(ok));
  EXPECT_EQ(std::get<Send>(ok).message.at("op"), 2);
  EXPECT_EQ(std::get<Send>(ok).message.at("d").at("negotiatedRpcVersion"), 1);
  EXPECT_TRUE(right.identified());

  Session wrong(locked_, "chal");
  EXPECT_EQ(close_code(wrong.handle(identify({{"rpcVersion", 1}, {"authentication", "nope"}}))),
            4009);
  Session missing(locked_, "chal");
  EXPECT_EQ(close_code(missing.handle(identify())), 4009);
  Session not_string(locked_, "chal");
  EXPECT_EQ(close_code(not_string.handle(identify({{"rpcVersion", 1}, {"authentication", 5}}))),
            4009);
  EXPECT_FALSE(wrong.identified());
}

TEST_F(ObsSessionTest, EveryCloseCodeTheSessionDecides) {
  const auto fresh = [&](const json& message) {
    return close_code(Session(open_, "").handle(message));
  };
  EXPECT_EQ(fresh(json::array({1, 2})), 4002);                   // not an object
  EXPECT_EQ(fresh({{"d", json::object()}}), 4006);               // no op
  EXPECT_EQ(fresh({{"op", "1"}, {"d", json::object()}}), 4006);  // op not a number
  EXPECT_EQ(fresh({{"op", 1}}), 4003);                           // no d
  EXPECT_EQ(fresh({{"op", 1}, {"d", 5}}), 4004);                 // d not an object
  EXPECT_EQ(fresh({{"op", 6}, {"d", {{"requestType", "GetVersion"}, {"requestId", "1"}}}}),
            4007);                                                                // not identified
  EXPECT_EQ(fresh(identify(json::object())), 4003);                               // no rpcVersion
  EXPECT_EQ(fresh(identify({{"rpcVersion", "1"}})), 4004);                        // not a number
  EXPECT_EQ(fresh(identify({{"rpcVersion", 2}})), 4010);                          // unsupported
  EXPECT_EQ(fresh({{"request-type", "GetVersion"}, {"message-id", "1"}}), 4010);  // 4.x client
  EXPECT_EQ(fresh(identify({{"rpcVersion", 1}, {"eventSubscriptions", -1}})), 4004);

  Session session(open_, "");
  ASSERT_EQ(close_code(session.handle(identify())), 0);
  EXPECT_EQ(close_code(session.handle(identify())), 4008);  // already identified

  const auto identified = [&](const json& message) {
    Session s(open_, "");
    s.handle(identify());
    return close_code(s.handle(message));
  };
  EXPECT_EQ(identified({{"op", 7}, {"d", json::object()}}), 4006);  // a server's op code
  EXPECT_EQ(identified({{"op", 42}, {"d", json::object()}}), 4006);
  EXPECT_EQ(identified({{"op", 6.5}, {"d", json::object()}}), 4006);
  EXPECT_EQ(identified({{"op", 6}, {"d", {{"requestType", "GetVersion"}}}}), 4003);
  EXPECT_EQ(identified({{"op", 6}, {"d", {{"requestId", "1"}}}}), 4003);
  EXPECT_EQ(identified({{"op", 6}, {"d", {{"requestId", "1"}, {"requestType", 5}}}}), 4004);
  const json batch = {{"requestId", "b"}, {"requests", json::array()}};
  EXPECT_EQ(identified({{"op", 8}, {"d", {{"requests", json::array()}}}}), 4003);
  EXPECT_EQ(identified({{"op", 8}, {"d", {{"requestId", "b"}}}}), 4003);
  EXPECT_EQ(identified({{"op", 8}, {"d", {{"requestId", "b"}, {"requests", 3}}}}), 4004);
  auto with = [&](const char* key, json value) {
    json d = batch;
    d[key] = std::move(value);
    return identified({{"op", 8}, {"d", d}});
  };
  EXPECT_EQ(with("executionType", "fast"), 4004);
  EXPECT_EQ(with("executionType", -1), 4004);
  EXPECT_EQ(with("executionType", 3), 4005);
  EXPECT_EQ(with("haltOnFailure", 1), 4004);
  EXPECT_EQ(with("variables", 1), 4004);
  json parallel = batch;
  parallel["executionType"] = 2;
  parallel["variables"] = json::object();
  EXPECT_EQ(identified({{"op", 8}, {"d", parallel}}), 4012);  // variables in Parallel
}

TEST_F(ObsSessionTest, ReadsRequestsBatchesAndSubscriptions) {
  Session session(open_, "");
  session.handle(identify({{"rpcVersion", 1}, {"eventSubscriptions", 4 | (1 << 16)}}));
  EXPECT_TRUE(session.wants(subscription::scenes));
  EXPECT_TRUE(session.wants(subscription::input_volume_meters));
  EXPECT_FALSE(session.wants(subscription::inputs));
  const auto again = session.handle({{"op", 3}, {"d", {{"eventSubscriptions", 8}}}});
  EXPECT_EQ(std::get<Send>(again).message.at("op"), 2);
  EXPECT_TRUE(session.wants(subscription::inputs));
  EXPECT_FALSE(session.wants(subscription::scenes));

  const auto single = session.handle(
      {{"op", 6}, {"d", {{"requestType", "GetVersion"}, {"requestId", {{"any", "json"}}}}}});
  const Job& job = std::get<Job>(single);
  ASSERT_EQ(job.requests.size(), 1u);
  EXPECT_FALSE(job.batch);
  EXPECT_EQ(job.requests[0].request_id, json({{"any", "json"}}));

  const auto batch = session.handle(
      {{"op", 8},
       {"d",
        {{"requestId", 7},
         {"haltOnFailure", true},
         {"executionType", 1},
         {"requests",
          json::array({{{"requestType", "Sleep"}, {"requestData", {{"sleepFrames", 1}}}},
                       5,
                       {{"requestType", 9}}})}}}});
  const Job& many = std::get<Job>(batch);
  EXPECT_TRUE(many.batch && many.halt_on_failure);
  EXPECT_EQ(many.execution, Execution::serial_frame);
  ASSERT_EQ(many.requests.size(), 3u);
  EXPECT_TRUE(many.requests[0].has_data);
  EXPECT_EQ(many.requests[1].type, "");
  EXPECT_EQ(many.requests[2].type, "");

  const json response =
      batch_response(many, {Result::success(), Result::error(Status::missing_request_type)});
  EXPECT_EQ(response.at("op"), 9);
  EXPECT_EQ(response.at("d").at("requestId"), 7);
  EXPECT_EQ(response.at("d").at("results").size(), 2u);
  EXPECT_EQ(response.at("d").at("results")[1].at("requestStatus").at("code"), 203);
  EXPECT_EQ(response.at("d").at("results")[1].at("requestStatus").at("result"), false);
}

TEST(ObsCodecTest, RefusesWhatItCannotRead) {
  const auto code = [](Encoding encoding, bool binary, std::string_view payload) {
    auto decoded = decode(encoding, binary, payload);
    const auto* close = std::get_if<CloseWith>(&decoded);
    return close ? static_cast<int>(close->code) : 0;
  };
  EXPECT_EQ(code(Encoding::json, false, R"({"op":1,"d":{}})"), 0);
  EXPECT_EQ(code(Encoding::json, false, "not json"), 4002);
  EXPECT_EQ(code(Encoding::json, false, R"({"op":1,)"), 4002);
  EXPECT_EQ(code(Encoding::json, true, R"({"op":1,"d":{}})"), 4002);  // binary in a JSON session
  EXPECT_EQ(code(Encoding::json, false, std::string(100000, '[') + std::string(100000, ']')),
            4002);  // nested beyond reason
  EXPECT_EQ(
      code(Encoding::json, false,
           R"({"s":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})"),
      0);  // brackets in a string are text

  std::string packed;
  nlohmann::json::to_msgpack(json{{"op", 1}, {"d", {{"rpcVersion", 1}}}}, packed);
  EXPECT_EQ(code(Encoding::msgpack, true, packed), 0);
  EXPECT_EQ(code(Encoding::msgpack, false, packed), 4002);  // text in a MsgPack session
  EXPECT_EQ(code(Encoding::msgpack, true, packed.substr(0, packed.size() - 1)), 4002);  // cut
  EXPECT_EQ(code(Encoding::msgpack, true, "\xc1"), 4002);        // a byte MessagePack never uses
  EXPECT_EQ(code(Encoding::msgpack, true, packed + "x"), 4002);  // trailing bytes
  EXPECT_EQ(code(Encoding::msgpack, true, std::string(200000, '\x91') + '\x01'), 4002);  // deep
  EXPECT_EQ(code(Encoding::msgpack, true, "\xdd\xff\xff\xff\xff"), 4002);  // 4 billion elements

  const json message = {{"op", 5}, {"d", {{"eventType", "ExitStarted"}, {"eventIntent", 1}}}};
  EXPECT_EQ(std::get<json>(decode(Encoding::msgpack, true, encode(Encoding::msgpack, message))),
            message);
  EXPECT_EQ(std::get<json>(decode(Encoding::json, false, encode(Encoding::json, message))),
            message);
}

// Requests against a show's first state.
class ObsRequestTest : public ::testing::Test {
 protected:
  ObsRequestTest()
      : config_(config::parse(R"({
          "sources": [
            {"id": "cam1", "kind": "video", "uri": "test:video?pattern=ball", "label": "Wide cam"},
            {"id": "mic1", "kind": "audio", "uri": "test:audio?freq=440", "label": "Floor"},
            {"id": "booth-en", "kind": "interpretation", "language": "en", "uri": "test:audio?freq=1000"}
          ],
          "scenes": [
            {"id": "wide", "name": "Wide", "layers": [{"source": "cam1"}]},
            {"id": "two", "name": "Two-shot", "layers": [{"source": "cam1"}]}
          ],
          "overlays": [{"id": "slate", "type": "title", "text": "Soon"}],
          "outputs": [{"id": "rec", "type": "record", "path": "rec"}]
        })")),
        snapshot_(show::initial_snapshot(config_)) {}

  Step plan(const std::string& type, json data = nullptr, Execution execution = Execution::none) {
    RequestSpec request;
    request.type = type;
    request.has_data = data.is_object();
    request.data = std::move(data);
    Context context{snapshot_, studio_, execution, config_, "test"};
    return plan_request(request, context);
  }
  int status(const std::string& type, json data = nullptr, Execution execution = Execution::none) {
    const Step step = plan(type, std::move(data), execution);
    if (const auto* result = std::get_if<Result>(&step)) {
      return static_cast<int>(result->status);
    }
    return 0;  // goes to the engine
  }
  // The single command a request asks of the engine.
  show::Command command(const std::string& type, json data) {
    const Step step = plan(type, std::move(data));
    const auto* work = std::get_if<EngineWork>(&step);
    EXPECT_NE(work, nullptr) << type;
    return work ? work->commands.at(0) : show::Command{};
  }

  config::Config config_;
  show::Snapshot snapshot_;
  Studio studio_;
};

TEST_F(ObsRequestTest, AnswersFromTheShowsState) {
  const Result list = std::get<Result>(plan("GetSceneList"));
  EXPECT_EQ(list.data.at("currentProgramSceneName"), "Wide");
  EXPECT_EQ(list.data.at("currentPreviewSceneUuid"), "two");
  // OBS's order: the top of the list (the config's first scene) comes last.
  EXPECT_EQ(list.data.at("scenes")[0].at("sceneName"), "Two-shot");
  EXPECT_EQ(list.data.at("scenes")[1].at("sceneIndex"), 1);

  const Result inputs = std::get<Result>(plan("GetInputList"));
  ASSERT_EQ(inputs.data.at("inputs").size(), 2u);
  EXPECT_EQ(inputs.data.at("inputs")[0].at("inputName"), "Floor");
  EXPECT_EQ(inputs.data.at("inputs")[1].at("inputName"), "booth-en");  // no label: its id

  EXPECT_EQ(std::get<Result>(plan("GetStudioModeEnabled")).data.at("studioModeEnabled"), true);
  EXPECT_EQ(std::get<Result>(plan("GetHotkeyList")).data.at("hotkeys"), json::array());
  EXPECT_EQ(std::get<Result>(plan("GetRecordStatus")).data.at("outputActive"), false);
}

TEST_F(ObsRequestTest, RefusesWithOBSsStatusCodes) {
  EXPECT_EQ(status("NoSuchRequest"), 204);
  EXPECT_EQ(status(""), 203);
  EXPECT_EQ(status("SetCurrentProgramScene"), 301);                            // no data
  EXPECT_EQ(status("SetCurrentProgramScene", json::object()), 300);            // no field
  EXPECT_EQ(status("SetCurrentProgramScene", {{"sceneName", 4}}), 401);        // wrong type
  EXPECT_EQ(status("SetCurrentProgramScene", {{"sceneName", ""}}), 403);       // empty
  EXPECT_EQ(status("SetCurrentProgramScene", {{"sceneName", "Drone"}}), 600);  // unknown
  EXPECT_EQ(status("SetInputVolume", {{"inputName", "Floor"}}), 300);
  EXPECT_EQ(status("SetInputVolume",
                   {{"inputName", "Floor"}, {"inputVolumeDb", -3}, {"inputVolumeMul", 1}}),
            404);
  EXPECT_EQ(status("SetInputVolume", {{"inputName", "Floor"}, {"inputVolumeDb", 30}}), 402);
  EXPECT_EQ(status("GetInputMute", {{"inputName", "Wide cam"}}), 604);  // a camera has no sound
  EXPECT_EQ(status("SetStudioModeEnabled", {{"studioModeEnabled", false}}), 703);
  EXPECT_EQ(status("SetStudioModeEnabled", {{"studioModeEnabled", true}}), 100);
  EXPECT_EQ(status("SetCurrentSceneTransitionDuration", {{"transitionDuration", 10}}), 402);
  EXPECT_EQ(status("SetSceneItemEnabled",
                   {{"sceneName", "Wide"}, {"sceneItemId", 9}, {"sceneItemEnabled", true}}),
            600);
  EXPECT_EQ(status("StopRecord"), 501);
  EXPECT_EQ(status("StartStream"), 604);  // no streaming destination in this show
  EXPECT_EQ(status("GetOutputStatus", {{"outputName", "nowhere"}}), 600);
  EXPECT_EQ(status("Sleep", {{"sleepMillis", 5}}), 206);  // batches only
  EXPECT_EQ(status("Sleep", {{"sleepMillis", 5}}, Execution::parallel), 206);
  EXPECT_EQ(status("CallVendorRequest", {{"vendorName", "other"}, {"requestType", "x"}}), 600);
  EXPECT_EQ(status("CallVendorRequest", {{"vendorName", "hallcast"}, {"requestType", "nope"}}),
            600);
  EXPECT_EQ(status("CallVendorRequest", {{"vendorName", "hallcast"},
                                         {"requestType", "scene.cut"},
                                         {"requestData", {{"scene", "wide"}, {"fade", true}}}}),
            400);
  EXPECT_EQ(status("CallVendorRequest",
                   {{"vendorName", "hallcast"}, {"requestType", "multiview.subscribe"}}),
            703);
}

TEST_F(ObsRequestTest, MapsOntoTheShowsCommands) {
  const auto cut =
      std::get<show::SceneCut>(command("SetCurrentProgramScene", {{"sceneUuid", "two"}}));
  EXPECT_EQ(cut.scene, "two");
  const auto preview =
      std::get<show::ScenePreview>(command("SetCurrentPreviewScene", {{"sceneName", "Wide"}}));
  EXPECT_EQ(preview.scene, "wide");
  // OBS's range is accepted and held to the fader's: silence is its bottom.
  const auto quiet = std::get<show::AudioSet>(
      command("SetInputVolume", {{"inputName", "Floor"}, {"inputVolumeMul", 0}}));
  EXPECT_EQ(quiet.channel, "mic1");
  EXPECT_EQ(*quiet.gain_db, -60.0);
  const auto half = std::get<show::AudioSet>(
      command("SetInputVolume", {{"inputUuid", "booth-en"}, {"inputVolumeMul", 0.5}}));
  EXPECT_NEAR(*half.gain_db, -6.0206, 1e-3);
  const auto toggled =
      std::get<show::AudioSet>(command("ToggleInputMute", {{"inputName", "Floor"}}));
  EXPECT_EQ(toggled.muted, true);
  const auto shown = std::get<show::OverlayShow>(
      command("SetSceneItemEnabled",
              {{"sceneName", "Two-shot"}, {"sceneItemId", 1}, {"sceneItemEnabled", true}}));
  EXPECT_EQ(shown.overlay, "slate");
  const auto start = std::get<show::OutputStart>(command("StartRecord", nullptr));
  EXPECT_EQ(start.output, "rec");
  const auto vendor = std::get<show::AudioSet>(
      command("CallVendorRequest", {{"vendorName", "hallcast"},
                                    {"requestType", "audio.set"},
                                    {"requestData", {{"channel", "mic1"}, {"muted", true}}}}));
  EXPECT_EQ(vendor.muted, true);

  studio_.transition = show::TransitionType::fade;
  studio_.duration_ms = 750;
  const auto take = std::get<show::TransitionTake>(command("TriggerStudioModeTransition", nullptr));
  EXPECT_EQ(take.type, show::TransitionType::fade);
  EXPECT_EQ(take.duration_ms, 750);
  ASSERT_TRUE(studio_.pending_take.has_value());

  const Step sleep = plan("Sleep", {{"sleepFrames", 60}}, Execution::serial_frame);
  EXPECT_EQ(std::get<Pause>(sleep).duration.count(), 60 * 1000 / config_.video.fps);
}

}  // namespace
}  // namespace hallcast::control::obs
