// parse()/load_file(): typed values, defaults, malformed JSON, files, ConfigError.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/config.h"
#include "config_test_support.h"

namespace hallcast::config::test {
namespace {

TEST(Load, ReadsEveryValueIntoTypedStructs) {
  const Config config = parse(valid_document().dump());
  EXPECT_EQ(config.event.title, "Round-table");
  ASSERT_EQ(config.event.speakers.size(), 2u);
  EXPECT_EQ(config.event.speakers[0].role, "Senior Research Fellow");
  EXPECT_EQ(config.event.speakers[1].role, "");
  ASSERT_EQ(config.sources.size(), 5u);
  EXPECT_EQ(config.sources[0].label, "Wide");
  EXPECT_EQ(config.sources[1].label, "cam2");  // defaults to the id
  EXPECT_EQ(config.sources[2].kind, SourceKind::audio);
  EXPECT_EQ(config.sources[3].kind, SourceKind::interpretation);
  EXPECT_EQ(config.sources[3].language, "en");
  EXPECT_EQ(config.sources[0].uri_text, "test:video?pattern=ball");
  ASSERT_TRUE(std::holds_alternative<TestVideoUri>(config.sources[0].uri));
  EXPECT_EQ(std::get<TestVideoUri>(config.sources[0].uri).pattern, "ball");
  ASSERT_TRUE(std::holds_alternative<TestAudioUri>(config.sources[3].uri));
  EXPECT_DOUBLE_EQ(std::get<TestAudioUri>(config.sources[3].uri).on_s, 2.0);

  ASSERT_EQ(config.scenes.size(), 2u);
  EXPECT_EQ(config.scenes[0].name, "Wide");
  EXPECT_EQ(config.scenes[1].name, "pip");  // defaults to the id
  const Layer& full = config.scenes[1].layers[0];
  EXPECT_EQ(full.x, 0.0);
  EXPECT_EQ(full.w, 1.0);  // geometry defaults to the whole frame
  EXPECT_EQ(config.scenes[1].layers[1].x, 0.7);

  ASSERT_EQ(config.overlays.size(), 2u);
  EXPECT_EQ(config.overlays[0].type, OverlayType::lower_third);
  EXPECT_EQ(config.overlays[0].speaker, "abiru");
  EXPECT_EQ(config.overlays[1].text, "Starting soon");

  ASSERT_EQ(config.outputs.size(), 2u);
  EXPECT_EQ(config.outputs[0].type, OutputType::rtmp);
  EXPECT_EQ(config.outputs[0].name, "vk");
  EXPECT_EQ(config.outputs[0].key_env, "HALLCAST_KEY_VK");
  EXPECT_TRUE(config.outputs[0].key.empty());
  EXPECT_EQ(config.outputs[0].language, "ru");
  EXPECT_EQ(config.outputs[1].type, OutputType::record);
  EXPECT_EQ(config.outputs[1].path, "recordings");
  EXPECT_EQ(config.outputs[1].language, "floor");
  EXPECT_TRUE(config.outputs[1].enabled);

  EXPECT_EQ(config.control.host, "127.0.0.1");
  EXPECT_EQ(config.control.port, 8080);
}

TEST(Load, AbsentSectionsTakeDefaults) {
  const Config config = parse(R"({
    "sources": [ { "id": "cam1", "kind": "video", "uri": "test:video" } ],
    "scenes": [ { "id": "wide", "layers": [ { "source": "cam1" } ] } ] })");
  EXPECT_EQ(config.event.title, "");
  EXPECT_TRUE(config.event.speakers.empty());
  EXPECT_EQ(config.video.width, 1280);
  EXPECT_EQ(config.video.height, 720);
  EXPECT_EQ(config.video.fps, 30);
  EXPECT_EQ(config.video.bitrate_kbps, 3000);
  EXPECT_EQ(config.video.keyframe_interval_s, 2.0);
  EXPECT_EQ(config.audio.sample_rate, 48000);
  EXPECT_EQ(config.audio.bitrate_kbps, 128);
  EXPECT_TRUE(config.overlays.empty());
  EXPECT_TRUE(config.outputs.empty());
  EXPECT_EQ(config.control.host, "127.0.0.1");
  EXPECT_EQ(config.control.port, 8080);
  EXPECT_EQ(config.control.token_env, "HALLCAST_TOKEN");
  EXPECT_EQ(std::get<TestVideoUri>(config.sources[0].uri).pattern, "smpte");
}

TEST(Load, AbsentKeysInAPresentSectionTakeDefaults) {
  Json document = valid_document();
  document["video"] = Json::parse(R"({ "fps": 25 })");
  document["control"] = Json::parse(R"({ "listen": "0.0.0.0:9000" })");
  const Config config = parse(document.dump(), environment({{"HALLCAST_TOKEN", "tok-8c2e1f"}}));
  EXPECT_EQ(config.video.fps, 25);
  EXPECT_EQ(config.video.width, 1280);
  EXPECT_EQ(config.control.host, "0.0.0.0");
  EXPECT_EQ(config.control.port, 9000);
  EXPECT_EQ(config.control.token_env, "HALLCAST_TOKEN");
}

TEST(Load, WholeNumberWrittenWithFractionIsAccepted) {
  Json document = valid_document();
  document["video"]["fps"] = 25.0;
  EXPECT_EQ(parse(document.dump()).video.fps, 25);
}

TEST(Load, MalformedJsonGivesLineAndColumn) {
  const auto problems = problems_of_text("{\n  \"video\": {\n    \"fps\" 30\n  }\n}");
  EXPECT_TRUE(only_problem(problems, "$", "malformed JSON at line 3, column 11: "));
  EXPECT_TRUE(only_problem(problems, "$", "expected ':'"));
}

TEST(Load, MalformedJsonPointsAtTheStartOfTheUnexpectedToken) {
  EXPECT_TRUE(only_problem(problems_of_text(R"({"a": 1 "b\"c": 2})"), "$",
                           "malformed JSON at line 1, column 9: "));
  EXPECT_TRUE(only_problem(problems_of_text(R"({"a": true false})"), "$",
                           "malformed JSON at line 1, column 12: "));
}

TEST(Load, MalformedJsonColumnCountsCharactersNotBytes) {
  // "Москва" is 6 characters and 12 bytes; the stray x is character 20 of line 1.
  const auto problems = problems_of_text("{\"title\": \"Москва\" x}");
  EXPECT_TRUE(only_problem(problems, "$", "malformed JSON at line 1, column 20"));
}

TEST(Load, EmptyTextIsMalformedAtTheStart) {
  EXPECT_TRUE(only_problem(problems_of_text(""), "$", "malformed JSON at line 1, column 1"));
}

TEST(Load, TrailingTextIsMalformed) {
  const std::string text = valid_document().dump() + "\n}";
  EXPECT_TRUE(only_problem(problems_of_text(text), "$", "malformed JSON at line 2, column 1"));
}

TEST(Load, DocumentMustBeAnObject) {
  EXPECT_TRUE(only_problem(problems_of_text("[1, 2]"), "$", "expected an object, got an array"));
}

TEST(Load, MissingFileIsAProblemAtTheRoot) {
  try {
    load_file("/nonexistent/hallcast.json");
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_TRUE(only_problem(error.problems(), "$", "cannot read \"/nonexistent/hallcast.json\""));
  }
}

TEST(Load, LoadsAFile) {
  const auto file = std::filesystem::temp_directory_path() / "hallcast_config_load_test.json";
  std::ofstream(file) << valid_document().dump(2);
  const Config config = load_file(file);
  std::filesystem::remove(file);
  EXPECT_EQ(config.sources.size(), 5u);
}

TEST(Load, ErrorTextIsOneLinePerProblem) {
  const ConfigError error({Problem{"video.fps", "must be 1..120, got 0"},
                           Problem{"scenes", "need at least one scene"}});
  EXPECT_STREQ(error.what(), "video.fps: must be 1..120, got 0\nscenes: need at least one scene");
  EXPECT_EQ(error.problems().size(), 2u);
}

TEST(Config, KeyframeIntervalInFrames) {
  Video video;
  EXPECT_EQ(video.keyframe_interval_frames(), 60);
  video.fps = 25;
  video.keyframe_interval_s = 0.5;
  EXPECT_EQ(video.keyframe_interval_frames(), 13);  // 12.5 rounds up
  video.fps = 1;
  video.keyframe_interval_s = 0.1;
  EXPECT_EQ(video.keyframe_interval_frames(), 1);  // never 0
}

TEST(Config, LanguagesAreFloorThenBoothsInSourceOrder) {
  Json document = valid_document();
  std::swap(document["sources"][3], document["sources"][4]);
  const Config config = parse(document.dump());
  EXPECT_EQ(config.languages(), (std::vector<std::string>{"floor", "ru", "en"}));
}

TEST(Config, FindsSourcesAndSpeakers) {
  const Config config = parse(valid_document().dump());
  ASSERT_NE(config.find_source("mic1"), nullptr);
  EXPECT_EQ(config.find_source("mic1")->kind, SourceKind::audio);
  EXPECT_EQ(config.find_source("cam9"), nullptr);
  ASSERT_NE(config.find_speaker("kashin"), nullptr);
  EXPECT_EQ(config.find_speaker("kashin")->name, "Vasily Kashin");
  EXPECT_EQ(config.find_speaker("nobody"), nullptr);
}

TEST(Config, EnumNames) {
  EXPECT_EQ(to_string(SourceKind::video), "video");
  EXPECT_EQ(to_string(SourceKind::audio), "audio");
  EXPECT_EQ(to_string(SourceKind::interpretation), "interpretation");
  EXPECT_EQ(to_string(OverlayType::lower_third), "lower_third");
  EXPECT_EQ(to_string(OverlayType::title), "title");
  EXPECT_EQ(to_string(OutputType::rtmp), "rtmp");
  EXPECT_EQ(to_string(OutputType::srt), "srt");
  EXPECT_EQ(to_string(OutputType::record), "record");
  EXPECT_EQ(to_string(OutputType::hls), "hls");
}

}  // namespace
}  // namespace hallcast::config::test
