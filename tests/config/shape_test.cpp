// Reading: unknown keys at every level, duplicate keys, wrong types, missing required
// keys, empty strings and unknown enum names, each reported at its JSON path.
#include <gtest/gtest.h>

#include "config_test_support.h"

namespace hallcast::config::test {
namespace {

struct UnknownKeyCase {
  const char* object;  // JSON pointer to the object that gets the stray key
  const char* path;    // expected path of the stray key
};

class UnknownKey : public ::testing::TestWithParam<UnknownKeyCase> {};

TEST_P(UnknownKey, IsAnErrorAtItsPath) {
  Json document = valid_document();
  document[Json::json_pointer(GetParam().object)]["colour"] = "red";
  EXPECT_TRUE(only_problem(problems_of(document), GetParam().path, "unknown key"));
}

INSTANTIATE_TEST_SUITE_P(
    EveryLevel, UnknownKey,
    ::testing::Values(UnknownKeyCase{"", "colour"}, UnknownKeyCase{"/event", "event.colour"},
                      UnknownKeyCase{"/event/speakers/1", "event.speakers[1].colour"},
                      UnknownKeyCase{"/video", "video.colour"},
                      UnknownKeyCase{"/audio", "audio.colour"},
                      UnknownKeyCase{"/sources/2", "sources[2].colour"},
                      UnknownKeyCase{"/scenes/1", "scenes[1].colour"},
                      UnknownKeyCase{"/scenes/1/layers/0", "scenes[1].layers[0].colour"},
                      UnknownKeyCase{"/overlays/0", "overlays[0].colour"},
                      UnknownKeyCase{"/outputs/1", "outputs[1].colour"},
                      UnknownKeyCase{"/control", "control.colour"}));

TEST(Shape, UnknownKeyNamesTheLikelyIntendedKey) {
  Json document = valid_document();
  document["outputs"][0].erase("enabled");
  document["outputs"][0]["enabeld"] = false;
  document["vidoe"] = Json::object();
  const auto problems = problems_of(document);
  ASSERT_EQ(problems.size(), 2u) << listing(problems);
  EXPECT_EQ(problems[0].to_string(), "outputs[0].enabeld: unknown key; did you mean \"enabled\"?");
  EXPECT_EQ(problems[1].to_string(), "vidoe: unknown key; did you mean \"video\"?");
}

TEST(Shape, UnknownKeyWithoutAnyCloseKeyHasNoGuess) {
  Json document = valid_document();
  document["scenes"][0]["layers"][0]["z"] = 1;
  EXPECT_TRUE(only_problem(problems_of(document), "scenes[0].layers[0].z", "unknown key"));
  EXPECT_EQ(problems_of(document)[0].message, "unknown key");
}

TEST(Shape, OddKeyNamesAreQuotedInThePath) {
  Json document = valid_document();
  document["video"]["frame rate"] = 25;
  EXPECT_TRUE(only_problem(problems_of(document), "video[\"frame rate\"]", "unknown key"));
}

TEST(Shape, DuplicateKeyIsAnError) {
  const std::string text = R"({
    "video": { "fps": 30, "fps": 25 },
    "sources": [ { "id": "cam1", "kind": "video", "uri": "test:video" } ],
    "scenes": [ { "id": "wide", "layers": [ { "source": "cam1", "x": 0, "x": 0 } ] } ] })";
  const auto problems = problems_of_text(text);
  ASSERT_EQ(problems.size(), 2u) << listing(problems);
  EXPECT_EQ(problems[0].to_string(), "video.fps: duplicate key");
  EXPECT_EQ(problems[1].to_string(), "scenes[0].layers[0].x: duplicate key");
}

struct WrongTypeCase {
  const char* pointer;
  const char* value;  // JSON
  const char* path;
  const char* message;
};

class WrongType : public ::testing::TestWithParam<WrongTypeCase> {};

TEST_P(WrongType, IsAnErrorNamingWhatWasExpected) {
  Json document = valid_document();
  document[Json::json_pointer(GetParam().pointer)] = Json::parse(GetParam().value);
  const auto problems = problems_of(document);
  EXPECT_TRUE(only_problem(problems, GetParam().path, GetParam().message));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Values, WrongType,
    ::testing::Values(
        WrongTypeCase{"/video/fps", R"("30")", "video.fps", R"(expected a whole number, got "30")"},
        WrongTypeCase{"/video/fps", "29.97", "video.fps", "expected a whole number, got 29.97"},
        WrongTypeCase{"/video/width", "1e10", "video.width", "out of range, got 10000000000.0"},
        WrongTypeCase{"/video/keyframe_interval_s", R"("2")", "video.keyframe_interval_s",
                      R"(expected a number, got "2")"},
        WrongTypeCase{"/audio/sample_rate", "null", "audio.sample_rate",
                      "expected a whole number, got null"},
        WrongTypeCase{"/outputs/0/enabled", R"("yes")", "outputs[0].enabled",
                      R"(expected true or false, got "yes")"},
        WrongTypeCase{"/sources", "{}", "sources", "expected an array, got an object"},
        WrongTypeCase{"/sources/1", "5", "sources[1]", "expected an object, got 5"},
        WrongTypeCase{"/video", "[]", "video", "expected an object, got an array"},
        WrongTypeCase{"/event/speakers", R"("abiru")", "event.speakers",
                      R"(expected an array, got "abiru")"},
        WrongTypeCase{"/scenes/0/name", "7", "scenes[0].name", "expected a string, got 7"},
        WrongTypeCase{"/scenes/1/layers/1/x", R"("0.7")", "scenes[1].layers[1].x",
                      R"(expected a number, got "0.7")"},
        WrongTypeCase{"/overlays/1/text", "true", "overlays[1].text",
                      "expected a string, got true"},
        WrongTypeCase{"/control/listen", "8080", "control.listen", "expected a string, got 8080"}));

struct MissingCase {
  const char* parent;  // JSON pointer
  const char* key;
  const char* path;
};

class MissingKey : public ::testing::TestWithParam<MissingCase> {};

TEST_P(MissingKey, IsAnErrorAtTheKeysPath) {
  Json document = valid_document();
  document[Json::json_pointer(GetParam().parent)].erase(GetParam().key);
  EXPECT_TRUE(only_problem(problems_of(document), GetParam().path, "missing required key"));
}

// Each missing key gives one line only: the scene naming a source without an id, for
// instance, does not add "unknown source".
INSTANTIATE_TEST_SUITE_P(
    Required, MissingKey,
    ::testing::Values(MissingCase{"", "sources", "sources"}, MissingCase{"", "scenes", "scenes"},
                      MissingCase{"/event/speakers/0", "id", "event.speakers[0].id"},
                      MissingCase{"/event/speakers/1", "name", "event.speakers[1].name"},
                      MissingCase{"/sources/0", "id", "sources[0].id"},
                      MissingCase{"/sources/0", "kind", "sources[0].kind"},
                      MissingCase{"/sources/3", "uri", "sources[3].uri"},
                      MissingCase{"/scenes/0", "id", "scenes[0].id"},
                      MissingCase{"/scenes/0", "layers", "scenes[0].layers"},
                      MissingCase{"/scenes/1/layers/1", "source", "scenes[1].layers[1].source"},
                      MissingCase{"/overlays/0", "id", "overlays[0].id"},
                      MissingCase{"/overlays/0", "type", "overlays[0].type"},
                      MissingCase{"/outputs/0", "id", "outputs[0].id"},
                      MissingCase{"/outputs/0", "type", "outputs[0].type"}));

TEST(Shape, PresentStringsMustNotBeEmpty) {
  Json document = valid_document();
  document["sources"][0]["label"] = "";
  EXPECT_TRUE(only_problem(problems_of(document), "sources[0].label", "must not be empty"));
}

TEST(Shape, FreeTextMayBeEmpty) {
  Json document = valid_document();
  document["event"]["title"] = "";
  document["event"]["speakers"][0]["role"] = "";
  EXPECT_TRUE(problems_of(document).empty()) << listing(problems_of(document));
}

TEST(Shape, UnknownSourceKind) {
  Json document = valid_document();
  document["sources"][1]["kind"] = "camera";
  EXPECT_TRUE(only_problem(problems_of(document), "sources[1].kind",
                           R"(unknown kind "camera"; expected video, audio or interpretation)"));
}

TEST(Shape, UnknownOverlayType) {
  Json document = valid_document();
  document["overlays"][1]["type"] = "banner";
  EXPECT_TRUE(only_problem(problems_of(document), "overlays[1].type",
                           R"(unknown type "banner"; expected lower_third, title or countdown)"));
}

TEST(Shape, UnknownOutputType) {
  Json document = valid_document();
  document["outputs"][0]["type"] = "youtube";
  EXPECT_TRUE(only_problem(problems_of(document), "outputs[0].type",
                           R"(unknown type "youtube"; expected rtmp, srt, record or hls)"));
}

}  // namespace
}  // namespace hallcast::config::test
