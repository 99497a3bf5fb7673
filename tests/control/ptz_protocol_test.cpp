// The PTZ and auto director commands on the control protocol, and their state, events
// and metrics on the wire.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "control/metrics.h"
#include "control/protocol.h"
#include "control/wire.h"

namespace hallcast::control {
namespace {

using nlohmann::json;

template <typename T>
T command_of(std::string_view text) {
  auto result = parse_request(text);
  auto* request = std::get_if<Request>(&result);
  if (request == nullptr || !std::holds_alternative<T>(request->command)) {
    ADD_FAILURE() << "not read: " << text;
    return {};
  }
  return std::get<T>(request->command);
}

Error refusal(std::string_view text) {
  auto result = parse_request(text);
  auto* rejected = std::get_if<Rejected>(&result);
  if (rejected == nullptr) {
    ADD_FAILURE() << "not refused: " << text;
    return {};
  }
  return rejected->error;
}

TEST(PtzProtocol, ReadsThePtzAndAutoCommands) {
  auto recall = command_of<show::PtzRecall>(R"({"cmd":"ptz.recall","source":"cam2","preset":3})");
  EXPECT_EQ(recall.source, "cam2");
  EXPECT_EQ(recall.preset, 3);
  auto store = command_of<show::PtzStore>(R"({"cmd":"ptz.store","source":"cam2","preset":127})");
  EXPECT_EQ(store.preset, 127);
  auto move = command_of<show::PtzMove>(
      R"({"cmd":"ptz.move","source":"cam1","pan":-0.5,"tilt":1,"zoom":0.25})");
  EXPECT_EQ(move.pan, -0.5);
  EXPECT_EQ(move.tilt, 1.0);
  EXPECT_EQ(move.zoom, 0.25);
  auto stop = command_of<show::PtzMove>(R"({"cmd":"ptz.move","source":"cam1"})");
  EXPECT_EQ(stop.pan, 0.0);
  EXPECT_EQ(stop.zoom, 0.0);
  EXPECT_TRUE(command_of<show::AutoSet>(R"({"cmd":"auto.set","enabled":true})").enabled);
  EXPECT_FALSE(command_of<show::AutoSet>(R"({"cmd":"auto.set","enabled":false})").enabled);
  // And what format_request writes reads back the same.
  const auto text = format_request(std::int64_t{4}, show::PtzMove{"cam1", 0.5, -0.5, 1});
  const auto back = command_of<show::PtzMove>(text);
  EXPECT_EQ(back.source, "cam1");
  EXPECT_EQ(back.tilt, -0.5);
}

TEST(PtzProtocol, RefusesBadPtzRequests) {
  EXPECT_EQ(refusal(R"({"cmd":"ptz.recall","source":"cam2","preset":128})").code,
            ErrorCode::out_of_range);
  EXPECT_EQ(refusal(R"({"cmd":"ptz.recall","source":"cam2","preset":-1})").code,
            ErrorCode::out_of_range);
  EXPECT_EQ(refusal(R"({"cmd":"ptz.recall","source":"cam2"})").code, ErrorCode::missing_field);
  EXPECT_EQ(refusal(R"({"cmd":"ptz.store","source":"cam2","preset":1.5})").code,
            ErrorCode::bad_type);
  EXPECT_EQ(refusal(R"({"cmd":"ptz.move","source":"cam1","pan":2})").code, ErrorCode::out_of_range);
  EXPECT_EQ(refusal(R"({"cmd":"ptz.move","pan":0.5})").code, ErrorCode::missing_field);
  EXPECT_EQ(refusal(R"({"cmd":"ptz.move","source":"cam1","focus":1})").code,
            ErrorCode::unknown_field);
  EXPECT_EQ(refusal(R"({"cmd":"auto.set"})").code, ErrorCode::missing_field);
  EXPECT_EQ(refusal(R"({"cmd":"auto.set","enabled":"yes"})").code, ErrorCode::bad_type);
  EXPECT_FALSE(is_read_only(show::PtzMove{"cam1"}));
  EXPECT_EQ(to_string(from_domain(show::ErrorCode::unknown_source)), "unknown_source");
}

show::Snapshot hall_snapshot() {
  show::Snapshot s;
  s.program = "wide";
  s.preview = "close";
  s.scenes = {{"wide", "Wide", {"cam1"}, {}}, {"close", "Close", {"cam2"}, {{"cam2", 3}}}};
  show::PtzStatus cam1;
  cam1.source = "cam1";
  cam1.link = show::PtzLink::ok;
  cam1.tally = true;
  cam1.held = 5;
  show::PtzStatus cam2;
  cam2.source = "cam2";
  cam2.protocol = config::PtzProtocol::visca_tcp;
  cam2.preset = 3;
  s.ptz = {cam1, cam2};
  s.auto_director = {true, true, "mic1"};
  return s;
}

TEST(PtzProtocol, StateEventsAndMetricsCarryPtzAndAuto) {
  const auto state = json::parse(encode_state(hall_snapshot()));
  EXPECT_EQ(state["scenes"][1]["presets"], json::parse(R"([{"source":"cam2","preset":3}])"));
  EXPECT_FALSE(state["scenes"][0].contains("presets"));
  EXPECT_EQ(state["ptz"], json::parse(R"([
      {"source":"cam1","protocol":"visca-udp","link":"ok","tally":true,"preset":null,"held":5},
      {"source":"cam2","protocol":"visca-tcp","link":"no_reply","tally":false,"preset":3,
       "held":null}])"));
  EXPECT_EQ(state["auto"], json::parse(R"({"available":true,"enabled":true,"speaker":"mic1"})"));

  const auto ptz = json::parse(encode_event(show::PtzChanged{hall_snapshot().ptz[1]}));
  EXPECT_EQ(ptz["event"], "ptz");
  EXPECT_EQ(ptz["link"], "no_reply");
  const auto off = json::parse(encode_event(show::AutoChanged{{true, false, ""}, "manual"}));
  EXPECT_EQ(
      off,
      json::parse(
          R"({"event":"auto","available":true,"enabled":false,"speaker":"","reason":"manual"})"));

  const std::string metrics = format_metrics(hall_snapshot(), {});
  EXPECT_NE(metrics.find("hallcast_ptz_link_up{source=\"cam1\"} 1\n"), std::string::npos);
  EXPECT_NE(metrics.find("hallcast_ptz_link_up{source=\"cam2\"} 0\n"), std::string::npos);
  EXPECT_NE(metrics.find("hallcast_ptz_tally{source=\"cam1\"} 1\n"), std::string::npos);
  EXPECT_NE(metrics.find("hallcast_auto_director_enabled 1\n"), std::string::npos);
}

}  // namespace
}  // namespace hallcast::control
