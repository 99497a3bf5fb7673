// The validator: ids, references, geometry, encoder settings, languages, overlays,
// outputs and control, each problem at its JSON path.
#include <gtest/gtest.h>

#include "config_test_support.h"

namespace hallcast::config::test {
namespace {

// Sets `pointer` to `value` (JSON text) in the valid document and returns the problems.
std::vector<Problem> with(const char* pointer, const char* value) {
  Json document = valid_document();
  document[Json::json_pointer(pointer)] = Json::parse(value);
  return problems_of(document);
}

TEST(Validate, TheBaseDocumentIsValid) {
  EXPECT_TRUE(problems_of(valid_document()).empty()) << listing(problems_of(valid_document()));
}

TEST(Ids, MustBeShortWordsStartingWithALetterOrDigit) {
  EXPECT_TRUE(
      only_problem(with("/sources/2/id", R"("mic 1")"), "sources[2].id", R"(invalid id "mic 1")"));
  EXPECT_TRUE(only_problem(with("/overlays/1/id", R"("-slate")"), "overlays[1].id",
                           R"(invalid id "-slate")"));
  EXPECT_TRUE(
      only_problem(with("/outputs/1/id", R"("rec.1")"), "outputs[1].id", R"(invalid id "rec.1")"));
  const std::string longest(64, 'a');
  EXPECT_TRUE(with("/outputs/1/id", ("\"" + longest + "\"").c_str()).empty());
  EXPECT_TRUE(only_problem(with("/outputs/1/id", ("\"" + longest + "a\"").c_str()), "outputs[1].id",
                           "invalid id"));
  EXPECT_TRUE(with("/outputs/1/id", R"("9_x-Y")").empty());
}

TEST(Ids, DuplicateIsReportedOnTheLaterOne) {
  EXPECT_TRUE(
      only_problem(with("/sources/2/id", R"("cam1")"), "sources[2].id", R"(duplicate id "cam1")"));
  EXPECT_TRUE(
      only_problem(with("/scenes/1/id", R"("wide")"), "scenes[1].id", R"(duplicate id "wide")"));
  EXPECT_TRUE(only_problem(with("/overlays/1/id", R"("lt-abiru")"), "overlays[1].id",
                           R"(duplicate id "lt-abiru")"));
  EXPECT_TRUE(
      only_problem(with("/outputs/1/id", R"("vk")"), "outputs[1].id", R"(duplicate id "vk")"));
  EXPECT_TRUE(only_problem(with("/event/speakers/1/id", R"("abiru")"), "event.speakers[1].id",
                           R"(duplicate id "abiru")"));
}

TEST(Ids, MayRepeatAcrossKinds) {
  // The demo has a speaker and a scene both called "abiru".
  EXPECT_TRUE(with("/scenes/1/id", R"("abiru")").empty());
}

TEST(Scenes, LayerNamingAnUnknownSource) {
  EXPECT_TRUE(only_problem(with("/scenes/1/layers/0/source", R"("cam9")"),
                           "scenes[1].layers[0].source", R"(unknown source "cam9")"));
}

TEST(Scenes, LayerNamingANonVideoSource) {
  EXPECT_TRUE(only_problem(with("/scenes/1/layers/1/source", R"("mic1")"),
                           "scenes[1].layers[1].source", R"(source "mic1" is audio, not video)"));
  EXPECT_TRUE(only_problem(with("/scenes/0/layers/0/source", R"("booth-en")"),
                           "scenes[0].layers[0].source", "is interpretation, not video"));
}

TEST(Scenes, AtLeastOneScene) {
  EXPECT_TRUE(only_problem(with("/scenes", "[]"), "scenes", "need at least one scene"));
}

TEST(Scenes, AtLeastOneLayer) {
  EXPECT_TRUE(only_problem(with("/scenes/0/layers", "[]"), "scenes[0].layers",
                           "a scene needs at least one layer"));
}

TEST(Geometry, PositionWithinTheFrame) {
  EXPECT_TRUE(only_problem(with("/scenes/1/layers/1/x", "-0.1"), "scenes[1].layers[1].x",
                           "must be 0..1, got -0.1"));
  EXPECT_TRUE(only_problem(with("/scenes/1/layers/1/y", "1.5"), "scenes[1].layers[1].y",
                           "must be 0..1, got 1.5"));
}

TEST(Geometry, SizeAboveZeroAndAtMostOne) {
  EXPECT_TRUE(only_problem(with("/scenes/1/layers/1/w", "0"), "scenes[1].layers[1].w",
                           "must be more than 0 and at most 1, got 0"));
  EXPECT_TRUE(only_problem(with("/scenes/0/layers/0/h", "1.2"), "scenes[0].layers[0].h",
                           "must be more than 0 and at most 1, got 1.2"));
}

TEST(Geometry, LayerMustEndInsideTheFrame) {
  EXPECT_TRUE(only_problem(with("/scenes/1/layers/1/w", "0.5"), "scenes[1].layers[1].w",
                           "x + w is 1.2; the layer must end inside the frame"));
  EXPECT_TRUE(only_problem(with("/scenes/1/layers/1/y", "0.8"), "scenes[1].layers[1].h",
                           "y + h is 1.05; the layer must end inside the frame"));
}

TEST(Geometry, FractionsThatSumToOneWithRoundingAreAccepted) {
  Json document = valid_document();
  Json& layer = document["scenes"][1]["layers"][1];
  layer["x"] = 0.1 + 0.2;  // 0.30000000000000004
  layer["w"] = 0.7;        // sum 1.0000000000000002
  layer["y"] = 1.0 / 3.0;
  layer["h"] = 2.0 / 3.0;
  EXPECT_TRUE(problems_of(document).empty()) << listing(problems_of(document));
}

TEST(VideoSettings, SizesAreEvenAndInRange) {
  EXPECT_TRUE(only_problem(with("/video/width", "1281"), "video.width",
                           "must be an even number 16..7680, got 1281"));
  EXPECT_TRUE(only_problem(with("/video/width", "8"), "video.width", "got 8"));
  EXPECT_TRUE(only_problem(with("/video/width", "7682"), "video.width", "got 7682"));
  EXPECT_TRUE(only_problem(with("/video/height", "4322"), "video.height",
                           "must be an even number 16..4320, got 4322"));
  EXPECT_TRUE(only_problem(with("/video/height", "-720"), "video.height", "got -720"));
  EXPECT_TRUE(with("/video/width", "7680").empty());
  EXPECT_TRUE(with("/video/height", "16").empty());
}

TEST(VideoSettings, RatesInRange) {
  EXPECT_TRUE(only_problem(with("/video/fps", "0"), "video.fps", "must be 1..120, got 0"));
  EXPECT_TRUE(only_problem(with("/video/fps", "121"), "video.fps", "must be 1..120, got 121"));
  EXPECT_TRUE(only_problem(with("/video/bitrate_kbps", "99"), "video.bitrate_kbps",
                           "must be 100..100000, got 99"));
  EXPECT_TRUE(
      only_problem(with("/video/bitrate_kbps", "100001"), "video.bitrate_kbps", "got 100001"));
  EXPECT_TRUE(only_problem(with("/video/keyframe_interval_s", "0.05"), "video.keyframe_interval_s",
                           "must be 0.1..20, got 0.05"));
  EXPECT_TRUE(only_problem(with("/video/keyframe_interval_s", "20.5"), "video.keyframe_interval_s",
                           "got 20.5"));
  EXPECT_TRUE(with("/video/keyframe_interval_s", "0.5").empty());
}

TEST(AudioSettings, SampleRateAndBitrate) {
  EXPECT_TRUE(only_problem(with("/audio/sample_rate", "22050"), "audio.sample_rate",
                           "must be 32000, 44100 or 48000, got 22050"));
  EXPECT_TRUE(with("/audio/sample_rate", "44100").empty());
  EXPECT_TRUE(only_problem(with("/audio/bitrate_kbps", "16"), "audio.bitrate_kbps",
                           "must be 32..512, got 16"));
  EXPECT_TRUE(only_problem(with("/audio/bitrate_kbps", "640"), "audio.bitrate_kbps",
                           "must be 32..512, got 640"));
}

TEST(Sources, UriThatDoesNotParse) {
  EXPECT_TRUE(only_problem(with("/sources/0/uri", R"("http://cam.local/feed")"), "sources[0].uri",
                           R"(unknown scheme "http")"));
  EXPECT_TRUE(only_problem(with("/sources/1/uri", R"("test:video?pattern=balls")"),
                           "sources[1].uri", R"(unknown pattern "balls")"));
}

TEST(Sources, UriThatDoesNotFitTheKind) {
  EXPECT_TRUE(only_problem(with("/sources/0/uri", R"("test:audio?freq=440")"), "sources[0].uri",
                           "test:audio suits audio and interpretation sources, not video"));
  EXPECT_TRUE(only_problem(with("/sources/2/uri", R"("v4l2:///dev/video0")"), "sources[2].uri",
                           "v4l2:// suits video sources, not audio"));
}

TEST(Sources, AtLeastOneVideoSource) {
  EXPECT_TRUE(only_problem(with("/sources", "[]"), "sources", "need at least one video source"));
  Json document = valid_document();
  document["sources"] = Json::parse(R"([{ "id": "mic1", "kind": "audio", "uri": "pulse://" }])");
  document["scenes"] = Json::parse(R"([{ "id": "s", "layers": [{ "source": "mic1" }] }])");
  document.erase("overlays");
  document.erase("outputs");
  const auto problems = problems_of(document);
  EXPECT_TRUE(has_problem(problems, "sources", "need at least one video source"));
  EXPECT_TRUE(has_problem(problems, "scenes[0].layers[0].source", "is audio, not video"));
  EXPECT_EQ(problems.size(), 2u) << listing(problems);
}

TEST(Languages, InterpretationNeedsALanguage) {
  Json document = valid_document();
  document["sources"][3].erase("language");
  const auto problems = problems_of(document);
  EXPECT_TRUE(
      only_problem(problems, "sources[3].language", "interpretation sources need a language"));
}

TEST(Languages, OnlyInterpretationHasALanguage) {
  EXPECT_TRUE(only_problem(with("/sources/2/language", R"("en")"), "sources[2].language",
                           "only interpretation sources have a language"));
}

TEST(Languages, CodeIsTwoOrThreeLowercaseLetters) {
  // The output asking for "ru" adds no second line about the unclear track list.
  EXPECT_TRUE(only_problem(with("/sources/4/language", R"("RU")"), "sources[4].language",
                           R"(expected an ISO 639 code of 2 or 3 lowercase letters, got "RU")"));
  EXPECT_TRUE(only_problem(with("/sources/4/language", R"("russian")"), "sources[4].language",
                           "expected an ISO 639 code"));
  EXPECT_TRUE(only_problem(with("/sources/4/language", R"("floor")"), "sources[4].language",
                           "\"floor\" is the hall's own sound"));
  Json document = valid_document();
  document["sources"][4]["language"] = "jpn";
  document["outputs"][0]["language"] = "jpn";
  EXPECT_TRUE(problems_of(document).empty()) << listing(problems_of(document));
}

TEST(Languages, TwoBoothsCannotShareALanguage) {
  EXPECT_TRUE(only_problem(with("/sources/4/language", R"("en")"), "sources[4].language",
                           R"(language "en" already comes from "booth-en")"));
}

TEST(Languages, OutputLanguageIsFloorOrABoothLanguage) {
  EXPECT_TRUE(only_problem(with("/outputs/0/language", R"("de")"), "outputs[0].language",
                           R"(unknown language "de"; expected floor, en or ru)"));
  EXPECT_TRUE(with("/outputs/0/language", R"("floor")").empty());
  EXPECT_TRUE(with("/outputs/0/language", R"("en")").empty());
}

TEST(Overlays, LowerThirdNamesAKnownSpeaker) {
  EXPECT_TRUE(only_problem(with("/overlays/0/speaker", R"("putin")"), "overlays[0].speaker",
                           R"(unknown speaker "putin")"));
  Json document = valid_document();
  document["overlays"][0].erase("speaker");
  EXPECT_TRUE(only_problem(problems_of(document), "overlays[0].speaker",
                           "lower_third overlays need a speaker"));
}

TEST(Overlays, LowerThirdTakesNoText) {
  EXPECT_TRUE(only_problem(with("/overlays/0/text", R"("Abiru")"), "overlays[0].text",
                           "lower_third overlays show the speaker's name and role"));
}

TEST(Overlays, TitleNeedsTextAndNoSpeaker) {
  Json document = valid_document();
  document["overlays"][1].erase("text");
  EXPECT_TRUE(
      only_problem(problems_of(document), "overlays[1].text", "title overlays need a text"));
  EXPECT_TRUE(only_problem(with("/overlays/1/speaker", R"("abiru")"), "overlays[1].speaker",
                           "title overlays take no speaker"));
}

TEST(Outputs, RtmpNeedsAnRtmpUrlWithAHost) {
  Json document = valid_document();
  document["outputs"][0].erase("url");
  EXPECT_TRUE(only_problem(problems_of(document), "outputs[0].url", "rtmp outputs need a url"));
  const char* expected = "expected rtmp://HOST/… or rtmps://HOST/…";
  EXPECT_TRUE(only_problem(with("/outputs/0/url", R"("http://ingest.example/live")"),
                           "outputs[0].url", expected));
  EXPECT_TRUE(
      only_problem(with("/outputs/0/url", R"("rtmp:///live")"), "outputs[0].url", expected));
  EXPECT_TRUE(
      only_problem(with("/outputs/0/url", R"("ingest.example/live")"), "outputs[0].url", expected));
  EXPECT_TRUE(with("/outputs/0/url", R"("rtmps://va.pscp.tv:443/x")").empty());
}

TEST(Outputs, UrlMustBeSafeInAPipeline) {
  EXPECT_TRUE(only_problem(with("/outputs/0/url", R"("rtmp://ingest.example/li ve")"),
                           "outputs[0].url", "spaces are not allowed"));
  EXPECT_TRUE(only_problem(with("/outputs/0/url", R"("rtmp://ingest.example/a!b")"),
                           "outputs[0].url", R"("!" is not allowed)"));
  EXPECT_TRUE(only_problem(with("/outputs/0/url", R"("rtmp://ingest.example:99999/live")"),
                           "outputs[0].url", "port must be 1..65535"));
}

TEST(Outputs, SrtNeedsAnSrtUrl) {
  Json document = valid_document();
  document["outputs"][0] = Json::parse(R"({ "id": "srt", "type": "srt" })");
  EXPECT_TRUE(only_problem(problems_of(document), "outputs[0].url", "srt outputs need a url"));
  document["outputs"][0]["url"] = "rtmp://ingest.example:9000";
  EXPECT_TRUE(only_problem(problems_of(document), "outputs[0].url", "expected srt://HOST:PORT"));
  document["outputs"][0]["url"] = "srt://ingest.example";
  EXPECT_TRUE(only_problem(problems_of(document), "outputs[0].url", "expected srt://HOST:PORT"));
  document["outputs"][0]["url"] = "srt://ingest.example:9000?streamid=hall&latency=200";
  EXPECT_TRUE(problems_of(document).empty()) << listing(problems_of(document));
}

TEST(Outputs, RecordAndHlsNeedAPath) {
  Json document = valid_document();
  document["outputs"][1].erase("path");
  EXPECT_TRUE(only_problem(problems_of(document), "outputs[1].path", "record outputs need a path"));
  document["outputs"][1]["type"] = "hls";
  EXPECT_TRUE(only_problem(problems_of(document), "outputs[1].path", "hls outputs need a path"));
  document["outputs"][1]["path"] = "hls/hall 1";
  EXPECT_TRUE(only_problem(problems_of(document), "outputs[1].path", "spaces are not allowed"));
}

TEST(Outputs, EachTypeTakesOnlyItsOwnFields) {
  EXPECT_TRUE(only_problem(with("/outputs/1/url", R"("rtmp://ingest.example/live")"),
                           "outputs[1].url", "record outputs take a path, not a url"));
  EXPECT_TRUE(only_problem(with("/outputs/0/path", R"("recordings")"), "outputs[0].path",
                           "rtmp outputs take a url, not a path"));
  EXPECT_TRUE(only_problem(with("/outputs/1/key_env", R"("HALLCAST_KEY")"), "outputs[1].key_env",
                           "record outputs take no key"));
}

TEST(Outputs, SegmentLengthForRecordingsAndHlsOnly) {
  // outputs[1] is a recording; the valid document has keyframes every 2 s.
  EXPECT_TRUE(with("/outputs/1/segment_s", "600").empty());
  EXPECT_TRUE(only_problem(with("/outputs/1/segment_s", "1"), "outputs[1].segment_s",
                           "must be 2..86400, got 1"));
  EXPECT_TRUE(only_problem(with("/outputs/0/segment_s", "10"), "outputs[0].segment_s",
                           "rtmp outputs take no segment_s"));
  EXPECT_TRUE(
      only_problem(with("/outputs/1/segment_s", R"("10")"), "outputs[1].segment_s", "number"));
  Json document = valid_document();
  document["outputs"][1]["type"] = "hls";
  document["outputs"][1]["segment_s"] = 1;
  EXPECT_TRUE(only_problem(problems_of(document), "outputs[1].segment_s",
                           "must be at least video.keyframe_interval_s (2)"));
  document["outputs"][1]["segment_s"] = 90;
  EXPECT_TRUE(only_problem(problems_of(document), "outputs[1].segment_s", "must be 1..60, got 90"));
  document["outputs"][1]["segment_s"] = 6;
  EXPECT_TRUE(problems_of(document).empty()) << listing(problems_of(document));
}

TEST(Outputs, SegmentLengthDefaultsByType) {
  Video video;
  video.keyframe_interval_s = 2;
  Output output;
  output.type = OutputType::record;
  EXPECT_EQ(segment_seconds(output, video), 900.0);
  output.type = OutputType::hls;
  EXPECT_EQ(segment_seconds(output, video), 4.0);
  video.keyframe_interval_s = 3;
  EXPECT_EQ(segment_seconds(output, video), 6.0);
  output.segment_s = 9;
  EXPECT_EQ(segment_seconds(output, video), 9.0);
}

TEST(Outputs, KeyEnvIsAnEnvironmentVariableName) {
  EXPECT_TRUE(only_problem(with("/outputs/0/key_env", R"("HALLCAST-KEY-VK")"), "outputs[0].key_env",
                           R"(not an environment variable name: "HALLCAST-KEY-VK")"));
  EXPECT_TRUE(only_problem(with("/outputs/0/key_env", R"("1KEY")"), "outputs[0].key_env",
                           "not an environment variable name"));
  EXPECT_TRUE(with("/outputs/0/key_env", R"("_key9")").empty());
}

TEST(Outputs, KeyOrKeyEnvNotBoth) {
  EXPECT_TRUE(only_problem(with("/outputs/0/key", R"("abcd-1234")"), "outputs[0].key",
                           "give key_env or key, not both"));
  Json document = valid_document();
  document["outputs"][0].erase("key_env");
  document["outputs"][0]["key"] = "abcd-1234";
  const Config config = parse(document.dump());
  EXPECT_EQ(config.outputs[0].key.reveal(), "abcd-1234");
  EXPECT_EQ(config.outputs[0].key_env, "");
}

TEST(Outputs, NameDefaultsToIdAndEnabledToTrue) {
  Json document = valid_document();
  document["outputs"][0]["name"] = "VK Video";
  document["outputs"][0]["enabled"] = false;
  const Config config = parse(document.dump());
  EXPECT_EQ(config.outputs[0].name, "VK Video");
  EXPECT_FALSE(config.outputs[0].enabled);
  EXPECT_EQ(config.outputs[1].name, "rec");
  EXPECT_TRUE(config.outputs[1].enabled);
}

TEST(Control, ListenIsHostAndPort) {
  EXPECT_TRUE(only_problem(with("/control/listen", R"("localhost")"), "control.listen",
                           R"(expected HOST:PORT or [IPV6]:PORT, got "localhost")"));
  EXPECT_TRUE(
      only_problem(with("/control/listen", R"(":8080")"), "control.listen", "expected HOST:PORT"));
  EXPECT_TRUE(only_problem(with("/control/listen", R"("127.0.0.1:0")"), "control.listen",
                           R"(port must be 1..65535, got "0")"));
  EXPECT_TRUE(only_problem(with("/control/listen", R"("127.0.0.1:65536")"), "control.listen",
                           "port must be 1..65535"));
  EXPECT_TRUE(only_problem(with("/control/listen", R"("::1:8080")"), "control.listen",
                           "an IPv6 address must be written in brackets"));
  EXPECT_TRUE(only_problem(with("/control/listen", R"("hall pc:8080")"), "control.listen",
                           R"(not a host name: "hall pc")"));
}

TEST(Control, ListenAcceptsNamesAndIpv6) {
  Json document = valid_document();
  document["control"]["listen"] = "[::1]:9090";
  Config config = parse(document.dump());
  EXPECT_EQ(config.control.host, "::1");
  EXPECT_EQ(config.control.port, 9090);
  document["control"]["listen"] = "studio-pc.local:65535";
  config = parse(document.dump(), environment({{"HALLCAST_TOKEN", "tok-8c2e1f"}}));
  EXPECT_EQ(config.control.host, "studio-pc.local");
  EXPECT_EQ(config.control.port, 65535);
}

TEST(Control, TokenEnvIsAnEnvironmentVariableName) {
  EXPECT_TRUE(only_problem(with("/control/token_env", R"("HALLCAST TOKEN")"), "control.token_env",
                           R"(not an environment variable name: "HALLCAST TOKEN")"));
}

TEST(Control, ViewerTokenEnvIsOptional) {
  EXPECT_EQ(parse(valid_document().dump()).control.viewer_token_env, "");
  Json document = valid_document();
  document["control"]["viewer_token_env"] = "HALLCAST_VIEWER_TOKEN";
  EXPECT_EQ(parse(document.dump()).control.viewer_token_env, "HALLCAST_VIEWER_TOKEN");
  EXPECT_TRUE(only_problem(with("/control/viewer_token_env", R"("viewer token")"),
                           "control.viewer_token_env",
                           R"(not an environment variable name: "viewer token")"));
  EXPECT_TRUE(only_problem(with("/control/viewer_token_env", R"("HALLCAST_TOKEN")"),
                           "control.viewer_token_env", "must differ from token_env"));
}

TEST(AllAtOnce, ThreeMistakesGiveThreeProblems) {
  Json document = valid_document();
  document["video"]["fps"] = "30";
  document["scenes"][1]["layers"][0]["source"] = "cam9";
  document["outputs"][0]["kye_env"] = "HALLCAST_KEY_VK";
  const auto problems = problems_of(document);
  const std::vector<Problem> expected = {
      {"video.fps", R"(expected a whole number, got "30")"},
      {"outputs[0].kye_env", R"(unknown key; did you mean "key_env"?)"},
      {"scenes[1].layers[0].source", R"(unknown source "cam9")"},
  };
  EXPECT_EQ(problems, expected) << listing(problems);
  try {
    parse(document.dump());
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_STREQ(error.what(),
                 "video.fps: expected a whole number, got \"30\"\n"
                 "outputs[0].kye_env: unknown key; did you mean \"key_env\"?\n"
                 "scenes[1].layers[0].source: unknown source \"cam9\"");
  }
}

TEST(AllAtOnce, OneMistakeGivesOneLineNotACascade) {
  // cam1 is named by two scenes; its broken id or kind must not make them "unknown".
  EXPECT_TRUE(
      only_problem(with("/sources/0/id", "1"), "sources[0].id", "expected a string, got 1"));
  EXPECT_TRUE(only_problem(with("/sources/0/kind", R"("vidoe")"), "sources[0].kind",
                           R"(unknown kind "vidoe")"));
  // The booth with an unreadable kind may be the "en" track the output asks for.
  EXPECT_TRUE(only_problem(with("/sources/3/kind", R"("booth")"), "sources[3].kind",
                           R"(unknown kind "booth")"));
  // The overlays' speakers are unknown because the speaker list is unreadable.
  EXPECT_TRUE(only_problem(with("/event/speakers", "{}"), "event.speakers",
                           "expected an array, got an object"));
  EXPECT_TRUE(only_problem(with("/outputs/0/type", R"("rtmps")"), "outputs[0].type",
                           R"(unknown type "rtmps")"));
}

TEST(AllAtOnce, ManyMistakesAcrossTheFile) {
  Json document = valid_document();
  document["video"]["width"] = 1281;
  document["audio"]["sample_rate"] = 22050;
  document["sources"][2]["id"] = "cam1";
  document["scenes"][0]["layers"][0]["x"] = 2;
  document["overlays"][0]["speaker"] = "nobody";
  document["outputs"][1]["type"] = "ftp";
  document["control"]["listen"] = "8080";
  const auto problems = problems_of(document);
  EXPECT_EQ(problems.size(), 7u) << listing(problems);
  EXPECT_TRUE(has_problem(problems, "video.width", "got 1281"));
  EXPECT_TRUE(has_problem(problems, "audio.sample_rate", "got 22050"));
  EXPECT_TRUE(has_problem(problems, "sources[2].id", R"(duplicate id "cam1")"));
  EXPECT_TRUE(has_problem(problems, "scenes[0].layers[0].x", "must be 0..1, got 2"));
  EXPECT_TRUE(has_problem(problems, "overlays[0].speaker", R"(unknown speaker "nobody")"));
  EXPECT_TRUE(has_problem(problems, "outputs[1].type", R"(unknown type "ftp")"));
  EXPECT_TRUE(has_problem(problems, "control.listen", "expected HOST:PORT"));
}

}  // namespace
}  // namespace hallcast::config::test
