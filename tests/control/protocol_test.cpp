// The request parser on its own: what it accepts, what it refuses and with which code.
// Pure function, so these run without a server; the server tests send the same kinds
// of bad request over a real socket.
#include "control/protocol.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "control/metrics.h"
#include "control/wire.h"

namespace hallcast::control {
namespace {

Request parsed(std::string_view text) {
  auto result = parse_request(text);
  auto* request = std::get_if<Request>(&result);
  if (request == nullptr) {
    ADD_FAILURE() << "not accepted: " << text;
    return {};
  }
  return *request;
}

Rejected rejected(std::string_view text) {
  auto result = parse_request(text);
  auto* r = std::get_if<Rejected>(&result);
  if (r == nullptr) {
    ADD_FAILURE() << "not rejected: " << text;
    return {};
  }
  return *r;
}

TEST(Protocol, ReadsEveryCommandOfTheSpec) {
  auto preview = parsed(R"({"id": 7, "cmd": "scene.preview", "scene": "wide"})");
  EXPECT_EQ(std::get<std::int64_t>(preview.id), 7);
  EXPECT_EQ(std::get<show::ScenePreview>(preview.command).scene, "wide");

  EXPECT_TRUE(std::holds_alternative<show::StateGet>(parsed(R"({"cmd":"state.get"})").command));
  EXPECT_EQ(std::get<show::SceneCut>(parsed(R"({"cmd":"scene.cut","scene":"x"})").command).scene,
            "x");
  auto fade = std::get<show::TransitionTake>(
      parsed(R"({"cmd":"transition.take","type":"fade","duration_ms":800})").command);
  EXPECT_EQ(fade.type, show::TransitionType::fade);
  EXPECT_EQ(fade.duration_ms, 800);
  auto cut = std::get<show::TransitionTake>(parsed(R"({"cmd":"transition.take"})").command);
  EXPECT_EQ(cut.type, show::TransitionType::cut);
  EXPECT_EQ(
      std::get<show::TransitionTake>(parsed(R"({"cmd":"transition.take","type":"fade"})").command)
          .duration_ms,
      default_fade_ms);
  EXPECT_EQ(
      std::get<show::OverlayShow>(parsed(R"({"cmd":"overlay.show","overlay":"slate"})").command)
          .overlay,
      "slate");
  EXPECT_EQ(
      std::get<show::OverlayHide>(parsed(R"({"cmd":"overlay.hide","overlay":"slate"})").command)
          .overlay,
      "slate");
  auto audio = std::get<show::AudioSet>(
      parsed(R"({"cmd":"audio.set","channel":"mic1","gain_db":-6.5})").command);
  EXPECT_EQ(audio.channel, "mic1");
  EXPECT_EQ(audio.gain_db, -6.5);
  EXPECT_FALSE(audio.muted.has_value());
  auto mute =
      std::get<show::AudioSet>(parsed(R"({"cmd":"audio.set","channel":"m","muted":true})").command);
  EXPECT_EQ(mute.muted, true);
  EXPECT_FALSE(mute.gain_db.has_value());
  EXPECT_EQ(
      std::get<show::OutputStart>(parsed(R"({"cmd":"output.start","output":"vk"})").command).output,
      "vk");
  EXPECT_EQ(
      std::get<show::OutputStop>(parsed(R"({"cmd":"output.stop","output":"vk"})").command).output,
      "vk");
  auto language = std::get<show::OutputSetLanguage>(
      parsed(R"({"cmd":"output.set_language","output":"vk","language":"ru"})").command);
  EXPECT_EQ(language.output, "vk");
  EXPECT_EQ(language.language, "ru");
}

TEST(Protocol, EchoesStringAndMissingIds) {
  EXPECT_EQ(std::get<std::string>(parsed(R"({"id":"a-1","cmd":"state.get"})").id), "a-1");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(parsed(R"({"cmd":"state.get"})").id));
  EXPECT_TRUE(
      std::holds_alternative<std::monostate>(parsed(R"({"id":null,"cmd":"state.get"})").id));
}

TEST(Protocol, RefusesBadRequestsWithStableCodes) {
  struct Case {
    const char* text;
    ErrorCode code;
  };
  const Case cases[] = {
      {R"([1, 2])", ErrorCode::bad_request},
      {R"("state.get")", ErrorCode::bad_request},
      {R"(42)", ErrorCode::bad_request},
      {R"({"id": 1})", ErrorCode::missing_field},
      {R"({"id": 1, "cmd": 5})", ErrorCode::bad_type},
      {R"({"id": 1, "cmd": "scene.explode"})", ErrorCode::unknown_command},
      {R"({"id": 1, "cmd": "STATE.GET"})", ErrorCode::unknown_command},
      {R"({"id": 1, "cmd": "scene.cut"})", ErrorCode::missing_field},
      {R"({"id": 1, "cmd": "scene.cut", "scene": 3})", ErrorCode::bad_type},
      {R"({"id": 1, "cmd": "scene.cut", "scene": null})", ErrorCode::bad_type},
      {R"({"id": 1, "cmd": "scene.cut", "scene": "a", "fade": true})", ErrorCode::unknown_field},
      {R"({"id": 1, "cmd": "state.get", "scene": "a"})", ErrorCode::unknown_field},
      {R"({"id": 1, "cmd": "transition.take", "type": "wipe"})", ErrorCode::bad_value},
      {R"({"id": 1, "cmd": "transition.take", "type": 1})", ErrorCode::bad_type},
      {R"({"id": 1, "cmd": "transition.take", "duration_ms": -1})", ErrorCode::out_of_range},
      {R"({"id": 1, "cmd": "transition.take", "duration_ms": 10001})", ErrorCode::out_of_range},
      {R"({"id": 1, "cmd": "transition.take", "duration_ms": 18446744073709551615})",
       ErrorCode::out_of_range},
      {R"({"id": 1, "cmd": "transition.take", "duration_ms": 2.5})", ErrorCode::bad_type},
      {R"({"id": 1, "cmd": "audio.set", "channel": "mic1"})", ErrorCode::missing_field},
      {R"({"id": 1, "cmd": "audio.set", "gain_db": 0})", ErrorCode::missing_field},
      {R"({"id": 1, "cmd": "audio.set", "channel": "mic1", "gain_db": 12.5})",
       ErrorCode::out_of_range},
      {R"({"id": 1, "cmd": "audio.set", "channel": "mic1", "gain_db": -61})",
       ErrorCode::out_of_range},
      {R"({"id": 1, "cmd": "audio.set", "channel": "mic1", "gain_db": "-6"})", ErrorCode::bad_type},
      {R"({"id": 1, "cmd": "audio.set", "channel": "mic1", "muted": "yes"})", ErrorCode::bad_type},
      {R"({"id": 1, "cmd": "audio.set", "channel": "mic1", "muted": 1})", ErrorCode::bad_type},
      {R"({"id": 1, "cmd": "output.set_language", "output": "vk"})", ErrorCode::missing_field},
      {R"({"id": [1], "cmd": "state.get"})", ErrorCode::bad_type},
      {R"({"id": 1.5, "cmd": "state.get"})", ErrorCode::bad_type},
      {R"({"id": 18446744073709551615, "cmd": "state.get"})", ErrorCode::out_of_range},
  };
  for (const auto& c : cases) {
    const Rejected r = rejected(c.text);
    EXPECT_EQ(to_string(r.error.code), to_string(c.code)) << c.text;
    EXPECT_FALSE(r.error.message.empty()) << c.text;
  }
  // The id is echoed whenever it could be read, so the client can match the refusal.
  EXPECT_EQ(std::get<std::int64_t>(rejected(R"({"id": 9, "cmd": "nope"})").id), 9);
}

TEST(Protocol, NonJsonAndOversizedFramesAreUnreadable) {
  for (const char* text : {"", "hello", "{\"cmd\": ", "{'cmd': 'state.get'}", "\xff\xfe",
                           "{\"cmd\":\"state.get\"} trailing",
                           // valid grammar, but beyond what a double holds: not readable
                           R"({"cmd":"audio.set","channel":"m","gain_db":1e400})"}) {
    auto result = parse_request(text);
    ASSERT_TRUE(std::holds_alternative<Unreadable>(result)) << text;
    EXPECT_EQ(std::get<Unreadable>(result).reason, Unreadable::Reason::not_json);
  }
  const std::string big =
      R"({"cmd":"state.get","pad":")" + std::string(max_frame_bytes, 'x') + "\"}";
  auto result = parse_request(big);
  ASSERT_TRUE(std::holds_alternative<Unreadable>(result));
  EXPECT_EQ(std::get<Unreadable>(result).reason, Unreadable::Reason::too_large);
}

TEST(Protocol, DeepNestingWithinTheLimitIsJustABadRequest) {
  const std::string deep = R"({"id":1,"cmd":"scene.cut","scene":)" + std::string(30000, '[') +
                           std::string(30000, ']') + "}";
  ASSERT_LE(deep.size(), max_frame_bytes);
  EXPECT_EQ(rejected(deep).error.code, ErrorCode::bad_type);
}

TEST(Protocol, LongClientTextIsNotEchoedWhole) {
  const std::string name(5000, 'a');
  const Rejected r = rejected(R"({"cmd":")" + name + "\"}");
  EXPECT_EQ(r.error.code, ErrorCode::unknown_command);
  EXPECT_LT(r.error.message.size(), 200u);
}

TEST(Protocol, FormattedRequestsReadBackAsTheSameCommand) {
  const show::Command commands[] = {
      show::StateGet{},
      show::ScenePreview{"wide"},
      show::SceneCut{"close"},
      show::TransitionTake{show::TransitionType::fade, 750},
      show::OverlayShow{"slate"},
      show::OverlayHide{"slate"},
      show::AudioSet{"mic1", -3.25, true},
      show::OutputStart{"vk"},
      show::OutputStop{"vk"},
      show::OutputSetLanguage{"vk", "ru"},
  };
  std::int64_t id = 0;
  for (const auto& command : commands) {
    const std::string text = format_request(++id, command);
    auto request = parsed(text);
    EXPECT_EQ(request.command.index(), command.index()) << text;
    EXPECT_EQ(format_request(request.id, request.command), text);
  }
}

TEST(Protocol, ReadsTheConnectionCommands) {
  struct Case {
    const char* text;
    ConnectionCommand command;
  };
  for (const auto& [text, command] :
       {Case{R"({"id": 4, "cmd": "multiview.subscribe"})", ConnectionCommand::multiview_subscribe},
        Case{R"({"id": 4, "cmd": "multiview.unsubscribe"})",
             ConnectionCommand::multiview_unsubscribe}}) {
    auto result = parse_request(text);
    auto* request = std::get_if<ConnectionRequest>(&result);
    ASSERT_NE(request, nullptr) << text;
    EXPECT_EQ(request->command, command) << text;
    EXPECT_EQ(std::get<std::int64_t>(request->id), 4);
    // And back.
    const std::string formatted = format_request(request->id, request->command);
    EXPECT_EQ(nlohmann::json::parse(formatted), nlohmann::json::parse(text));
  }
  EXPECT_EQ(command_name(ConnectionCommand::multiview_subscribe), "multiview.subscribe");
  EXPECT_EQ(command_name(ConnectionCommand::multiview_unsubscribe), "multiview.unsubscribe");

  const Rejected extra = rejected(R"({"id": 5, "cmd": "multiview.subscribe", "feed": "program"})");
  EXPECT_EQ(extra.error.code, ErrorCode::unknown_field);
  EXPECT_EQ(std::get<std::int64_t>(extra.id), 5);
  EXPECT_EQ(rejected(R"({"cmd": "multiview.watch"})").error.code, ErrorCode::unknown_command);
}

TEST(Protocol, ViewersMayOnlyAskForTheState) {
  EXPECT_TRUE(is_read_only(show::StateGet{}));
  EXPECT_FALSE(is_read_only(show::SceneCut{"wide"}));
  EXPECT_FALSE(is_read_only(show::AudioSet{"mic1", 0.0, std::nullopt}));
}

TEST(Wire, RepliesCarryIdOkAndErrorCode) {
  EXPECT_EQ(encode_reply(std::int64_t{7}, std::nullopt), R"({"id":7,"ok":true})");
  EXPECT_EQ(encode_reply(std::string("x"), Error{ErrorCode::unknown_scene, "no scene \"x\""}),
            R"({"error":"unknown_scene","id":"x","message":"no scene \"x\"","ok":false})");
  EXPECT_EQ(encode_reply(std::monostate{}, std::nullopt), R"({"ok":true})");
}

TEST(Wire, EventsAreNamedAsInTheProtocol) {
  EXPECT_EQ(encode_event(show::ProgramChanged{"wide"}), R"({"event":"program","scene":"wide"})");
  EXPECT_EQ(encode_event(show::PreviewChanged{"close"}), R"({"event":"preview","scene":"close"})");
  EXPECT_EQ(encode_event(show::AudioChanged{{"mic1", -6.0, true}}),
            R"({"channel":"mic1","event":"audio","gain_db":-6.0,"muted":true})");
  show::OutputStatus vk;
  vk.id = "vk";
  vk.state = show::OutputState::live;
  auto output = nlohmann::json::parse(encode_event(show::OutputChanged{vk}));
  EXPECT_EQ(output["event"], "output");
  EXPECT_EQ(output["id"], "vk");
  EXPECT_EQ(output["state"], "live");
  show::SourceStatus cam;
  cam.id = "cam1";
  cam.health = show::Health::lost;
  auto source = nlohmann::json::parse(encode_event(show::SourceChanged{cam}));
  EXPECT_EQ(source["event"], "source");
  EXPECT_EQ(source["health"], "lost");
  show::OverlayStatus slate;
  slate.id = "slate";
  slate.visible = true;
  auto overlay = nlohmann::json::parse(encode_event(show::OverlayChanged{slate}));
  EXPECT_EQ(overlay["event"], "overlay");
  EXPECT_EQ(overlay["visible"], true);
}

TEST(Wire, AThumbnailIsALengthAJsonHeaderAndTheJpeg) {
  const std::vector<std::uint8_t> jpeg = {0xFF, 0xD8, 0x00, 0x01, 0xFF, 0xD9};
  const show::Thumbnail thumbnail{"source:cam1",
                                  std::make_shared<const std::vector<std::uint8_t>>(jpeg)};
  const std::string frame = encode_thumbnail(thumbnail);
  const std::string header = R"({"feed":"source:cam1","type":"image/jpeg"})";
  ASSERT_EQ(frame.size(), 2 + header.size() + jpeg.size());
  EXPECT_EQ(static_cast<unsigned char>(frame[0]), 0);
  EXPECT_EQ(static_cast<unsigned char>(frame[1]), header.size());
  EXPECT_EQ(frame.substr(2, header.size()), header);
  EXPECT_EQ(frame.substr(2 + header.size()),
            std::string(reinterpret_cast<const char*>(jpeg.data()), jpeg.size()));
  // A long header's length takes both bytes, high byte first.
  const std::string feed(300, 'x');
  const std::string long_frame = encode_thumbnail({feed, thumbnail.jpeg});
  const std::size_t length =
      (static_cast<unsigned char>(long_frame[0]) << 8) | static_cast<unsigned char>(long_frame[1]);
  EXPECT_EQ(length, feed.size() + header.size() - std::string("source:cam1").size());
  EXPECT_EQ(nlohmann::json::parse(long_frame.substr(2, length))["feed"], feed);

  // No picture, no frame; and a thumbnail never passes for a text event.
  EXPECT_EQ(encode_thumbnail({"program", nullptr}), "");
  EXPECT_EQ(encode_event(thumbnail), "");
}

TEST(Wire, TheStateCarriesTheSwitchLatency) {
  show::Snapshot snapshot;
  snapshot.programme.switch_latency = {12, 41.5, 40.0, 80.25, 95.0};
  const auto state = nlohmann::json::parse(encode_state(snapshot));
  EXPECT_EQ(state["programme"]["switch_latency"],
            nlohmann::json::parse(
                R"({"count":12,"last_ms":41.5,"p50_ms":40.0,"p99_ms":80.25,"max_ms":95.0})"));
}

TEST(Metrics, TheSwitchLatencyIsASummaryWithMaxAndLast) {
  show::Snapshot snapshot;
  snapshot.programme.switch_latency = {12, 41.5, 40.0, 80.25, 95.0};
  ClientCounts clients;
  clients.multiview = 2;
  clients.thumbnails_skipped = 7;
  const std::string text = format_metrics(snapshot, clients);
  for (const char* lines : {
           "# TYPE hallcast_switch_latency_seconds summary\n"
           "hallcast_switch_latency_seconds{quantile=\"0.5\"} 0.04\n"
           "hallcast_switch_latency_seconds{quantile=\"0.99\"} 0.08025\n"
           "hallcast_switch_latency_seconds_count 12\n",
           "# TYPE hallcast_switch_latency_seconds_max gauge\n"
           "hallcast_switch_latency_seconds_max 0.095\n",
           "# TYPE hallcast_switch_latency_seconds_last gauge\n"
           "hallcast_switch_latency_seconds_last 0.0415\n",
           "\nhallcast_control_multiview_clients 2\n",
           "\nhallcast_control_thumbnails_skipped_total 7\n",
       }) {
    EXPECT_NE(text.find(lines), std::string::npos) << lines << "in:\n" << text;
  }
}

TEST(Metrics, EveryTrackHasItsLoudnessAndEveryBoothWhetherItSpeaks) {
  show::Snapshot snapshot;
  snapshot.tracks = {{"floor", -23.5, -24.0, false}, {"en", -18.0, -20.25, true}};
  const std::string text = format_metrics(snapshot, ClientCounts{});
  for (const char* line : {
           "hallcast_track_loudness_lufs{language=\"floor\",window=\"momentary\"} -23.5\n",
           "hallcast_track_loudness_lufs{language=\"en\",window=\"short_term\"} -20.25\n",
           "hallcast_booth_speaking{language=\"en\"} 1\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "in:\n" << text;
  }
  EXPECT_EQ(text.find("hallcast_booth_speaking{language=\"floor\"}"), std::string::npos);
}

TEST(Wire, TheStateCarriesEveryTracksLoudness) {
  show::Snapshot snapshot;
  snapshot.tracks = {{"floor", -23.5, -24.0, false}};
  const auto state = nlohmann::json::parse(encode_state(snapshot));
  ASSERT_EQ(state["tracks"].size(), 1u);
  EXPECT_EQ(state["tracks"][0]["language"], "floor");
  EXPECT_EQ(state["tracks"][0]["momentary_lufs"], -23.5);
  EXPECT_EQ(state["tracks"][0]["booth_speaking"], false);
}

TEST(Wire, TheStateAndAHealthEventSayWhatFailedAndWhatBecameOfIt) {
  show::Snapshot snapshot;
  EXPECT_EQ(nlohmann::json::parse(encode_state(snapshot))["health"], nlohmann::json::array());
  const show::PartHealth multiview{"multiview", show::PartState::restarting, 2,
                                   "program: the branch returned error"};
  snapshot.health = {multiview};
  const auto expected =
      nlohmann::json::parse(R"({"part":"multiview","state":"restarting","failures":2,)"
                            R"("last_error":"program: the branch returned error"})");
  EXPECT_EQ(nlohmann::json::parse(encode_state(snapshot))["health"][0], expected);
  auto event = nlohmann::json::parse(encode_event(show::HealthChanged{multiview}));
  EXPECT_EQ(event["event"], "health");
  event.erase("event");
  EXPECT_EQ(event, expected);
}

TEST(Wire, InvalidUtf8FromTheEngineDoesNotBreakAFrame) {
  show::OutputStatus status;
  status.id = "vk";
  status.last_error = "bad \xff byte";
  auto text = encode_event(show::OutputChanged{status});
  EXPECT_TRUE(nlohmann::json::accept(text));
}

}  // namespace
}  // namespace hallcast::control
