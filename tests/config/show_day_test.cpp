// The config of a show's day: the event's start and venue, times and offsets, a
// speaker's name and role in other languages, countdowns, the opening look, the cue
// list (its times; its commands are the control protocol's, tested in the app tests),
// clips that loop, and the no-signal slate's text.
#include <gtest/gtest.h>

#include "config/wall_time.h"
#include "config_test_support.h"

namespace hallcast::config::test {
namespace {

using namespace std::chrono_literals;

Json with_start(Json document, const char* start = "2026-07-03T11:00:00+03:00") {
  document["event"]["start"] = start;
  return document;
}

TEST(WallTime, ReadsAnIsoTimeAndKeepsItsOffset) {
  const auto moscow = parse_zoned_time("2026-07-03T11:00:00+03:00");
  ASSERT_TRUE(moscow);
  EXPECT_EQ(moscow->utc_offset_min, 180);
  const auto utc = parse_zoned_time("2026-07-03T08:00:00Z");
  ASSERT_TRUE(utc);
  EXPECT_EQ(moscow->time, utc->time) << "11:00 in Moscow is 08:00 UTC";
  EXPECT_EQ(parse_zoned_time("2026-07-03T08:00:00.250Z")->time - utc->time, 250ms);
  EXPECT_EQ(parse_zoned_time("2026-07-03T03:30:00-04:30")->time, utc->time);
}

TEST(WallTime, RefusesTimesWithoutAnOffsetOrThatDoNotExist) {
  for (const char* text : {"2026-07-03T11:00:00", "2026-07-03 11:00:00+03:00",
                           "2026-06-31T11:00:00Z", "2026-07-03T25:00:00Z", "2026-07-03T11:00Z",
                           "11:00", "", "2026-07-03T11:00:00+3:00", "2026-07-03T11:00:00+03:00 "}) {
    EXPECT_FALSE(parse_zoned_time(text)) << text;
  }
}

TEST(WallTime, FormatsBackInTheOffsetItWasWrittenIn) {
  const auto moscow = *parse_zoned_time("2026-07-03T11:00:00+03:00");
  EXPECT_EQ(format_iso_time(moscow), "2026-07-03T11:00:00+03:00");
  EXPECT_EQ(format_iso_time(moscow.time, 0), "2026-07-03T08:00:00Z");
  EXPECT_EQ(format_iso_time(moscow.time - 5min + 120ms, 180), "2026-07-03T10:55:00.120+03:00");
  // Across midnight and a date line.
  EXPECT_EQ(format_iso_time(parse_zoned_time("2026-07-03T23:30:00Z")->time, 180),
            "2026-07-04T02:30:00+03:00");
  EXPECT_EQ(format_iso_time(moscow.time, -300), "2026-07-03T03:00:00-05:00");
}

TEST(WallTime, ReadsSignedOffsets) {
  EXPECT_EQ(parse_offset("-5m"), -5min);
  EXPECT_EQ(parse_offset("+0s"), 0ms);
  EXPECT_EQ(parse_offset("+1h30m"), 90min);
  EXPECT_EQ(parse_offset("+90s"), 90s);
  EXPECT_EQ(parse_offset("+1.5s"), 1500ms);
  EXPECT_EQ(parse_offset("-1h2m3s"), -(1h + 2min + 3s));
  for (const char* text : {"5m", "-5", "-m", "+5m5h", "+5x", "+1h1h", "", "+", "--5m", "+5 m"}) {
    EXPECT_FALSE(parse_offset(text)) << text;
  }
  for (const std::chrono::milliseconds ms :
       {std::chrono::milliseconds(-5min), std::chrono::milliseconds(0),
        std::chrono::milliseconds(90min), std::chrono::milliseconds(1h + 2min + 3s),
        std::chrono::milliseconds(-95min)}) {
    EXPECT_EQ(parse_offset(format_offset(ms)), ms) << format_offset(ms);
  }
  EXPECT_EQ(format_offset(-5min), "-5m");
  EXPECT_EQ(format_offset(0ms), "+0s");
}

TEST(Event, StartAndVenue) {
  Json document = with_start(valid_document());
  document["event"]["venue"] = "Valdai Club Conference Hall, Tsvetnoy Boulevard 16/1, Moscow";
  const Config config = parse(document.dump());
  const auto start = config.event_start();
  ASSERT_TRUE(start);
  EXPECT_EQ(start->utc_offset_min, 180);
  EXPECT_EQ(format_iso_time(*start), "2026-07-03T11:00:00+03:00");
  EXPECT_EQ(config.event.venue, "Valdai Club Conference Hall, Tsvetnoy Boulevard 16/1, Moscow");

  EXPECT_TRUE(only_problem(problems_of(with_start(valid_document(), "3 July, 11:00")),
                           "event.start", "ISO 8601"));
}

TEST(Speakers, NameAndRoleInOtherLanguages) {
  Json document = valid_document();
  auto& abiru = document["event"]["speakers"][0];
  abiru["name_ru"] = "Тайсукэ Абиру";
  abiru["role_ru"] = "Старший научный сотрудник";
  abiru["role_ja"] = "上席研究員";
  const Config config = parse(document.dump());
  const Speaker* speaker = config.find_speaker("abiru");
  ASSERT_NE(speaker, nullptr);
  ASSERT_EQ(speaker->forms.size(), 2u);
  EXPECT_EQ(speaker->forms[0], (SpeakerForm{"ru", "Тайсукэ Абиру", "Старший научный сотрудник"}));
  EXPECT_EQ(speaker->forms[1], (SpeakerForm{"ja", "", "上席研究員"})) << "a name may read the same";

  document["event"]["speakers"][1]["nmae_ru"] = "Василий Кашин";
  document["event"]["speakers"][1]["name_RU"] = "Василий Кашин";
  document["event"]["speakers"][1]["name_ru"] = "";
  const auto problems = problems_of(document);
  ASSERT_EQ(problems.size(), 3u) << listing(problems);
  EXPECT_EQ(problems[0].path, "event.speakers[1].name_ru");
  EXPECT_EQ(problems[1].path, "event.speakers[1].nmae_ru");
  EXPECT_EQ(problems[2].path, "event.speakers[1].name_RU");
}

TEST(Overlays, ACountdownNeedsTheStartAndAText) {
  Json document = valid_document();
  document["overlays"].push_back(
      {{"id", "countdown"}, {"type", "countdown"}, {"text", "Starts in {remaining}"}});
  EXPECT_TRUE(only_problem(problems_of(document), "overlays[2].type", "event.start"));
  document = with_start(document);
  const Config config = parse(document.dump());
  EXPECT_EQ(config.overlays[2].type, OverlayType::countdown);
  EXPECT_EQ(config.overlays[2].text, "Starts in {remaining}");

  document["overlays"][2].erase("text");
  EXPECT_TRUE(only_problem(problems_of(document), "overlays[2].text", "need a text"));
}

TEST(Opening, SceneOverlaysAndPreviewAtLaunch) {
  Json document = valid_document();
  EXPECT_EQ(parse(document.dump()).opening_scene(), "wide") << "the first scene by default";
  EXPECT_EQ(parse(document.dump()).opening_preview(), "pip");
  document["opening"] = {{"scene", "pip"}, {"preview", "wide"}, {"overlays", {"slate"}}};
  const Config config = parse(document.dump());
  EXPECT_EQ(config.opening_scene(), "pip");
  EXPECT_EQ(config.opening_preview(), "wide");
  EXPECT_EQ(config.opening.overlays, std::vector<std::string>{"slate"});

  document["opening"] = {{"scene", "drone"}, {"overlays", {"slate", "ghost", "slate", 3}}};
  const auto problems = problems_of(document);
  ASSERT_EQ(problems.size(), 4u) << listing(problems);
  EXPECT_EQ(problems[0].to_string(), "opening.overlays[3]: expected an overlay id, got 3");
  EXPECT_EQ(problems[1].to_string(), "opening.scene: unknown scene \"drone\"");
  EXPECT_EQ(problems[2].to_string(), "opening.overlays[1]: unknown overlay \"ghost\"");
  EXPECT_EQ(problems[3].path, "opening.overlays[2]");
}

TEST(Schedule, CuesAreTimesAndCommands) {
  Json document = with_start(valid_document());
  document["schedule"] = Json::parse(R"([
    {"at": "-5m", "cmd": "output.start", "output": "vk"},
    {"at": "2026-07-03T12:30:00+03:00", "cmd": "overlay.show", "overlay": "slate"},
    {"at": "+0s", "cmd": "scene.cut", "scene": "wide"}
  ])");
  const Config config = parse(document.dump());
  ASSERT_EQ(config.schedule.size(), 3u);
  EXPECT_EQ(config.schedule[0].at_text, "-5m");
  EXPECT_EQ(format_iso_time(*config.cue_time(config.schedule[0]), 180),
            "2026-07-03T10:55:00+03:00");
  EXPECT_EQ(format_iso_time(*config.cue_time(config.schedule[1]), 180),
            "2026-07-03T12:30:00+03:00");
  EXPECT_EQ(*config.cue_time(config.schedule[2]), config.event_start()->time);
  // The command is the control protocol's to read: every member but "at".
  EXPECT_EQ(Json::parse(config.schedule[0].request),
            Json::parse(R"({"cmd": "output.start", "output": "vk"})"));

  // A rehearsal moves the start and every cue together.
  Config moved = config;
  moved.shift_times(-24h);
  EXPECT_EQ(moved.event.start, "2026-07-02T11:00:00+03:00");
  EXPECT_EQ(format_iso_time(*moved.cue_time(moved.schedule[0]), 180), "2026-07-02T10:55:00+03:00");
  EXPECT_EQ(format_iso_time(*moved.cue_time(moved.schedule[1]), 180), "2026-07-02T12:30:00+03:00");
}

TEST(Schedule, TimesAreCheckedHere) {
  Json document = valid_document();
  document["schedule"] = Json::parse(R"([
    {"at": "-5m", "cmd": "output.start", "output": "vk"},
    {"at": "five to eleven", "cmd": "state.get"},
    {"cmd": "state.get"},
    "state.get"
  ])");
  const auto problems = problems_of(document);
  ASSERT_EQ(problems.size(), 4u) << listing(problems);
  EXPECT_EQ(problems[0].path, "schedule[1].at");
  EXPECT_NE(problems[0].message.find("\"-5m\""), std::string::npos) << problems[0].message;
  EXPECT_EQ(problems[1].to_string(), "schedule[2].at: missing required key");
  EXPECT_EQ(problems[2].path, "schedule[3]");
  EXPECT_EQ(problems[3].to_string(),
            "schedule[0].at: an offset counts from event.start, which is not set");
}

TEST(Sources, OnlyAClipLoops) {
  Json document = valid_document();
  document["sources"].push_back(
      {{"id", "intro"}, {"kind", "video"}, {"uri", "file:///srv/clips/intro.mp4"}, {"loop", true}});
  const Config config = parse(document.dump());
  EXPECT_TRUE(is_clip(*config.find_source("intro")));
  EXPECT_TRUE(config.find_source("intro")->loop);
  EXPECT_TRUE(has_sound(*config.find_source("intro"))) << "a clip's sound goes to the floor";
  EXPECT_FALSE(is_clip(*config.find_source("cam1")));

  document["sources"][0]["loop"] = true;
  EXPECT_TRUE(only_problem(problems_of(document), "sources[0].loop", "clips"));
}

TEST(Captions, NoSignalText) {
  Json document = valid_document();
  EXPECT_EQ(parse(document.dump()).captions.no_signal_text, "NO SIGNAL");
  document["captions"] = {{"no_signal_text", "НЕТ СИГНАЛА · NO SIGNAL"}};
  EXPECT_EQ(parse(document.dump()).captions.no_signal_text, "НЕТ СИГНАЛА · NO SIGNAL");
  document["captions"] = {{"no_signal", "x"}};
  EXPECT_TRUE(only_problem(problems_of(document), "captions.no_signal", "unknown key"));
}

}  // namespace
}  // namespace hallcast::config::test
