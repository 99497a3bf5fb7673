// The control protocol's commands for the show's day — captions made and edited live,
// cues run now or skipped — and the schedule, the event and the armed outputs in the
// state: parsed, refused with the right code (and, for a cue, the field at fault), and
// written back.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "control/protocol.h"
#include "control/wire.h"
#include "show/events.h"

namespace hallcast::control {
namespace {

using nlohmann::json;

show::Command command_of(std::string_view text) {
  auto result = parse_request(text);
  auto* request = std::get_if<Request>(&result);
  if (request == nullptr) {
    const auto* r = std::get_if<Rejected>(&result);
    ADD_FAILURE() << "not accepted: " << text << (r ? ": " + r->error.message : "");
    return show::StateGet{};
  }
  return request->command;
}

Error refusal(std::string_view text) {
  auto result = parse_request(text);
  auto* r = std::get_if<Rejected>(&result);
  if (r == nullptr) {
    ADD_FAILURE() << "not refused: " << text;
    return {};
  }
  return r->error;
}

TEST(ShowDayProtocol, CreatesALowerThirdInTwoScripts) {
  const auto command = command_of(
      R"({"cmd": "overlay.create", "overlay": "q1", "type": "lower_third",
          "name": "Мария Иванова", "role": "МГИМО", "name_en": "Maria Ivanova",
          "role_en": "MGIMO"})");
  const auto& create = std::get<show::OverlayCreate>(command);
  EXPECT_EQ(create.overlay, "q1");
  EXPECT_EQ(create.type, config::OverlayType::lower_third);
  EXPECT_EQ(create.content.name, "Мария Иванова");
  EXPECT_EQ(create.content.role, "МГИМО");
  ASSERT_EQ(create.content.forms.size(), 1u);
  EXPECT_EQ(create.content.forms[0], (config::SpeakerForm{"en", "Maria Ivanova", "MGIMO"}));

  const auto title = std::get<show::OverlayCreate>(command_of(
      R"({"cmd": "overlay.create", "overlay": "t", "type": "title", "text": "Перерыв"})"));
  EXPECT_EQ(title.content.text, "Перерыв");
}

TEST(ShowDayProtocol, RefusesCaptionsThatDoNotFitTheirType) {
  struct Case {
    const char* text;
    ErrorCode code;
  };
  for (
      const auto& [text, code] : {
          Case{R"({"cmd": "overlay.create", "overlay": "q1", "type": "lower_third"})",
               ErrorCode::missing_field},
          Case{
              R"({"cmd": "overlay.create", "overlay": "q1", "type": "title", "name": "x", "text": "y"})",
              ErrorCode::unknown_field},
          Case{
              R"({"cmd": "overlay.create", "overlay": "q1", "type": "lower_third", "name": "x", "text": "y"})",
              ErrorCode::unknown_field},
          Case{R"({"cmd": "overlay.create", "overlay": "q 1", "type": "title", "text": "y"})",
               ErrorCode::bad_value},
          Case{R"({"cmd": "overlay.create", "overlay": "q1", "type": "ticker", "text": "y"})",
               ErrorCode::bad_value},
          Case{R"({"cmd": "overlay.create", "overlay": "q1", "type": "title", "text": 5})",
               ErrorCode::bad_type},
          Case{
              R"({"cmd": "overlay.create", "overlay": "q1", "type": "lower_third", "name": "x", "nmae_ru": "y"})",
              ErrorCode::unknown_field},
          Case{R"({"cmd": "overlay.update", "overlay": "q1"})", ErrorCode::missing_field},
          Case{R"({"cmd": "overlay.delete"})", ErrorCode::missing_field},
          Case{R"({"cmd": "cue.run", "cue": -1})", ErrorCode::out_of_range},
          Case{R"({"cmd": "cue.skip", "cue": "3"})", ErrorCode::bad_type},
          Case{R"({"cmd": "cue.skip"})", ErrorCode::missing_field},
      }) {
    EXPECT_EQ(refusal(text).code, code) << text << ": " << refusal(text).message;
  }
  const std::string long_name(201, 'x');
  const auto too_long =
      refusal(R"({"cmd": "overlay.create", "overlay": "q1", "type": "lower_third", "name": ")" +
              long_name + "\"}");
  EXPECT_EQ(too_long.code, ErrorCode::bad_value);
  // 200 Cyrillic letters are 400 bytes and still fit: the limit is in characters.
  std::string cyrillic;
  for (int i = 0; i < 200; ++i) {
    cyrillic += "ж";
  }
  command_of(R"({"cmd": "overlay.create", "overlay": "q1", "type": "lower_third", "name": ")" +
             cyrillic + "\"}");
}

TEST(ShowDayProtocol, UpdatesAnyWordsAndRunsOrSkipsCues) {
  const auto update = std::get<show::OverlayUpdate>(command_of(
      R"({"cmd": "overlay.update", "overlay": "lt-abiru", "role": "Professor", "name_ru": ""})"));
  EXPECT_FALSE(update.name);
  EXPECT_EQ(update.role, "Professor");
  ASSERT_EQ(update.forms.size(), 1u);
  EXPECT_EQ(update.forms[0].name, "") << "an empty form field clears it";
  EXPECT_EQ(std::get<show::CueRun>(command_of(R"({"cmd": "cue.run", "cue": 3})")).cue, 3u);
  EXPECT_EQ(std::get<show::CueSkip>(command_of(R"({"cmd": "cue.skip", "cue": 0})")).cue, 0u);
  EXPECT_EQ(
      std::get<show::OverlayDelete>(command_of(R"({"cmd": "overlay.delete", "overlay": "q1"})"))
          .overlay,
      "q1");
}

TEST(ShowDayProtocol, FormattedRequestsReadBackAsTheSameCommand) {
  show::OverlayUpdate update;
  update.overlay = "slate";
  update.text = "Начало в 11:05";
  const show::Command commands[] = {
      show::OverlayCreate{
          "q1", config::OverlayType::lower_third, {"Мария", "МГИМО", {{"en", "Maria", ""}}, ""}},
      show::OverlayCreate{"t1", config::OverlayType::title, {"", "", {}, "Перерыв"}},
      update,
      show::OverlayUpdate{"lt",
                          std::nullopt,
                          std::nullopt,
                          std::string("Доцент"),
                          std::nullopt,
                          {{"en", std::nullopt, std::string("Associate professor")}}},
      show::OverlayDelete{"q1"},
      show::CueRun{4},
      show::CueSkip{7},
  };
  std::int64_t id = 0;
  for (const auto& command : commands) {
    const std::string text = format_request(++id, command);
    const show::Command read = command_of(text);
    EXPECT_EQ(read, command) << text;
    EXPECT_EQ(format_request(id, read), text);
  }
}

TEST(ShowDayProtocol, ACueIsACommandWithoutAnIdAndItsFieldIsNamed) {
  const auto ok = parse_command(R"({"cmd": "scene.cut", "scene": "wide"})");
  ASSERT_TRUE(std::holds_alternative<show::Command>(ok));
  EXPECT_EQ(std::get<show::SceneCut>(std::get<show::Command>(ok)).scene, "wide");

  struct Case {
    const char* text;
    const char* field;
    ErrorCode code;
  };
  for (const auto& [text, field, code] : {
           Case{R"({"cmd": "scene.cutt", "scene": "wide"})", "cmd", ErrorCode::unknown_command},
           Case{R"({"scene": "wide"})", "cmd", ErrorCode::missing_field},
           Case{R"({"cmd": "scene.cut"})", "scene", ErrorCode::missing_field},
           Case{R"({"cmd": "scene.cut", "scene": 2})", "scene", ErrorCode::bad_type},
           Case{R"({"cmd": "scene.cut", "scene": "wide", "fade": 1})", "fade",
                ErrorCode::unknown_field},
           Case{R"({"cmd": "audio.set", "channel": "mic1", "gain_db": 40})", "gain_db",
                ErrorCode::out_of_range},
           Case{R"({"cmd": "scene.cut", "scene": "wide", "id": 3})", "id",
                ErrorCode::unknown_field},
           Case{R"({"cmd": "multiview.subscribe"})", "cmd", ErrorCode::bad_value},
       }) {
    const auto result = parse_command(text);
    ASSERT_TRUE(std::holds_alternative<Error>(result)) << text;
    EXPECT_EQ(std::get<Error>(result).field, field) << text;
    EXPECT_EQ(std::get<Error>(result).code, code) << text;
  }
}

show::Snapshot show_day_snapshot() {
  show::Snapshot s;
  s.event = {"Valdai", "Tsvetnoy Boulevard 16/1",
             config::parse_zoned_time("2026-07-03T11:00:00+03:00")};
  show::OverlayStatus lower_third;
  lower_third.id = "lt";
  lower_third.type = config::OverlayType::lower_third;
  lower_third.label = "Taisuke Abiru";
  lower_third.content = {"Taisuke Abiru", "Fellow", {{"ru", "Тайсукэ Абиру", "Сотрудник"}}, ""};
  lower_third.speaker = "abiru";
  lower_third.number = 1;
  show::OverlayStatus created;
  created.id = "q1";
  created.type = config::OverlayType::title;
  created.label = "Вопрос";
  created.content.text = "Вопрос";
  created.number = 7;
  created.created = true;
  s.overlays = {lower_third, created};
  show::OutputStatus armed;
  armed.id = "vk";
  armed.ready = true;
  s.outputs = {armed};
  show::CueStatus cue;
  cue.index = 0;
  cue.at = *config::parse_zoned_time("2026-07-03T10:55:00+03:00");
  cue.at_text = "-5m";
  cue.command = show::OutputStart{"vk"};
  show::CueStatus failed = cue;
  failed.index = 1;
  failed.state = show::CueState::failed;
  failed.ran_at = cue.at.time + std::chrono::milliseconds(12);
  failed.error = show::ErrorCode::unavailable;
  failed.message = "no stream key";
  s.schedule = {cue, failed};
  return s;
}

TEST(ShowDayWire, TheStateCarriesTheEventTheScheduleTextsAndReadiness) {
  const json state = json::parse(encode_state(show_day_snapshot()));
  EXPECT_EQ(state["event_info"],
            json::parse(R"({"title": "Valdai", "venue": "Tsvetnoy Boulevard 16/1",
                            "start": "2026-07-03T11:00:00+03:00"})"));
  EXPECT_EQ(state["overlays"][0]["name"], "Taisuke Abiru");
  EXPECT_EQ(state["overlays"][0]["forms"][0],
            json::parse(R"({"language": "ru", "name": "Тайсукэ Абиру", "role": "Сотрудник"})"));
  EXPECT_EQ(state["overlays"][0]["speaker"], "abiru");
  EXPECT_EQ(state["overlays"][1]["text"], "Вопрос");
  EXPECT_EQ(state["overlays"][1]["number"], 7);
  EXPECT_EQ(state["overlays"][1]["created"], true);
  EXPECT_EQ(state["outputs"][0]["ready"], true);
  ASSERT_EQ(state["schedule"].size(), 2u);
  EXPECT_EQ(state["schedule"][0],
            json::parse(R"({"index": 0, "at": "2026-07-03T10:55:00+03:00", "at_written": "-5m",
                            "cmd": "output.start", "command": {"cmd": "output.start", "output": "vk"},
                            "status": "pending", "done": false, "ran_at": null})"));
  EXPECT_EQ(state["schedule"][1]["status"], "failed");
  EXPECT_EQ(state["schedule"][1]["done"], true);
  EXPECT_EQ(state["schedule"][1]["ran_at"], "2026-07-03T10:55:00.012+03:00");
  EXPECT_EQ(state["schedule"][1]["error"], "unavailable");
  EXPECT_EQ(state["schedule"][1]["message"], "no stream key");
}

TEST(ShowDayWire, CueAndDeletedOverlayEvents) {
  const auto snapshot = show_day_snapshot();
  const json cue = json::parse(encode_event(show::CueChanged{snapshot.schedule[1]}));
  EXPECT_EQ(cue["event"], "cue");
  EXPECT_EQ(cue["index"], 1);
  EXPECT_EQ(cue["status"], "failed");
  EXPECT_EQ(json::parse(encode_event(show::OverlayDeleted{"q1"})),
            json::parse(R"({"event": "overlay_deleted", "id": "q1"})"));
}

}  // namespace
}  // namespace hallcast::control
