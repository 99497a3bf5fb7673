// Mistakes a careless operator makes that a lenient loader would let through: control
// characters and invisible direction overrides in names, absurdly long strings, ids
// and names that differ only in case or Unicode normalisation, and record/HLS folders
// that land somewhere nobody reading the config expects.
#include <gtest/gtest.h>

#include "config_test_support.h"

namespace hallcast::config::test {
namespace {

std::vector<Problem> with_value(const std::string& pointer, const Json& value) {
  Json document = valid_document();
  document[Json::json_pointer(pointer)] = value;
  return problems_of(document);
}

TEST(Careless, ControlCharactersInNamesAreRefused) {
  const std::string nul("Wi\0de", 5);
  EXPECT_TRUE(only_problem(with_value("/scenes/0/name", nul), "scenes[0].name",
                           "control character U+0000 at character 3 is not allowed"));
  EXPECT_TRUE(only_problem(with_value("/sources/0/label", "Wide\n"), "sources[0].label",
                           "control character U+000A at character 5"));
  EXPECT_TRUE(only_problem(with_value("/event/speakers/0/name", "Taisuke\tAbiru"),
                           "event.speakers[0].name", "U+0009"));
  EXPECT_TRUE(only_problem(with_value("/event/speakers/0/role", "Fellow\x1b[31m"),
                           "event.speakers[0].role", "U+001B"));
  EXPECT_TRUE(only_problem(with_value("/outputs/0/name", "VK\u0085"), "outputs[0].name", "U+0085"));
  EXPECT_TRUE(
      only_problem(with_value("/event/title", "Round\u2028table"), "event.title", "U+2028"));
}

TEST(Careless, ControlCharactersInIdsUrisAndVariablesAreRefused) {
  EXPECT_TRUE(only_problem(with_value("/sources/0/id", std::string("cam1\0x", 6)), "sources[0].id",
                           "control character U+0000"));
  EXPECT_TRUE(only_problem(with_value("/outputs/0/key_env", std::string("HALLCAST_KEY\0", 13)),
                           "outputs[0].key_env", "control character U+0000"));
  EXPECT_TRUE(only_problem(with_value("/outputs/1/path", "recordings\r"), "outputs[1].path",
                           "control character U+000D"));
}

TEST(Careless, ATitleSlateMayBreakLinesButNothingElse) {
  Json document = valid_document();
  document["overlays"][1]["text"] = "Starting soon\nНачинаем скоро";
  EXPECT_TRUE(problems_of(document).empty()) << listing(problems_of(document));
  EXPECT_TRUE(only_problem(with_value("/overlays/1/text", "Starting\r\nsoon"), "overlays[1].text",
                           "U+000D"));
}

TEST(Careless, InvisibleDirectionOverridesAreRefused) {
  // U+202E shows "Wide" followed by reversed text: a name that reads as another.
  EXPECT_TRUE(only_problem(with_value("/scenes/1/name", "Wide \u202Epi\u202C"), "scenes[1].name",
                           "invisible direction control U+202E"));
  EXPECT_TRUE(only_problem(with_value("/sources/1/label", "\u2066Close\u2069"), "sources[1].label",
                           "U+2066"));
  // Right-to-left text itself is fine.
  Json document = valid_document();
  document["event"]["speakers"][1]["name"] = "שלום";
  EXPECT_TRUE(problems_of(document).empty()) << listing(problems_of(document));
}

TEST(Careless, AbsurdlyLongStringsAreRefused) {
  EXPECT_TRUE(only_problem(with_value("/scenes/0/name", std::string(201, 'W')), "scenes[0].name",
                           "too long: 201 characters, at most 200"));
  // Characters, not bytes: 200 Cyrillic letters are 400 bytes and fine.
  std::string cyrillic;
  for (int i = 0; i < 200; ++i) {
    cyrillic += "Ж";
  }
  EXPECT_TRUE(with_value("/scenes/0/name", cyrillic).empty());
  EXPECT_TRUE(only_problem(with_value("/event/title", std::string(100000, 'x')), "event.title",
                           "too long: 100000 characters"));
  EXPECT_TRUE(only_problem(with_value("/overlays/1/text", std::string(401, 'x')),
                           "overlays[1].text", "at most 400"));
  EXPECT_TRUE(only_problem(with_value("/outputs/1/path", std::string(5000, 'a')), "outputs[1].path",
                           "too long: 5000 bytes, at most 4096"));
  EXPECT_TRUE(
      only_problem(with_value("/sources/0/uri", "test:video?pattern=" + std::string(5000, 'b')),
                   "sources[0].uri", "too long"));
  Json key = valid_document();
  key["outputs"][0].erase("key_env");
  key["outputs"][0]["key"] = std::string(5000, 'k');
  const auto problems = problems_of(key);
  EXPECT_TRUE(only_problem(problems, "outputs[0].key", "too long: at most 4096 bytes"));
  EXPECT_EQ(problems[0].message.find("kkk"), std::string::npos);
}

TEST(Careless, IdsDifferingOnlyInCaseAreDuplicates) {
  EXPECT_TRUE(
      has_problem(with_value("/sources/1/id", "CAM1"), "sources[1].id",
                  "duplicate id \"CAM1\": differs from sources[0]'s \"cam1\" only in case"));
  EXPECT_TRUE(only_problem(with_value("/outputs/1/id", "VK"), "outputs[1].id", "only in case"));
  // The same id in two lists is still fine.
  EXPECT_TRUE(with_value("/scenes/0/id", "CAM1").empty());
}

TEST(Careless, NamesThatReadTheSameAreDuplicates) {
  // "Café" with a precomposed é, and with e + a combining acute accent.
  Json document = valid_document();
  document["scenes"][0]["name"] = "Caf\u00e9";
  document["scenes"][1]["name"] = "Cafe\u0301";
  EXPECT_TRUE(only_problem(problems_of(document), "scenes[1].name", "same name as scenes[0]"));
  document["scenes"][1]["name"] = "Caf\u00e9";
  EXPECT_TRUE(only_problem(problems_of(document), "scenes[1].name", "same name as scenes[0]"));
  EXPECT_TRUE(only_problem(with_value("/sources/1/label", "Wide"), "sources[1].label",
                           "same label as sources[0]"));
  EXPECT_TRUE(only_problem(with_value("/outputs/1/name", "vk"), "outputs[1].name",
                           "same name as outputs[0]"));
  // Names differing in case are told apart on the panel and by obs-websocket clients.
  EXPECT_TRUE(with_value("/scenes/1/name", "wide").empty());
}

TEST(Careless, RecordAndHlsPathsMayNotClimbOut) {
  for (const std::string path : {"../recordings", "recordings/../../etc", "/srv/show/../x", ".."}) {
    SCOPED_TRACE(path);
    EXPECT_TRUE(only_problem(with_value("/outputs/1/path", path), "outputs[1].path",
                             "\"..\" is not allowed"));
  }
  EXPECT_TRUE(with_value("/outputs/1/path", "/srv/show/recordings").empty());
  EXPECT_TRUE(with_value("/outputs/1/path", "./recordings/").empty());
  EXPECT_TRUE(with_value("/outputs/1/path", "recordings..old").empty());
}

Json with_hls(const std::string& path) {
  Json document = valid_document();
  document["outputs"].push_back({{"id", "hls"}, {"type", "hls"}, {"path", path}});
  return document;
}

TEST(Careless, AnHlsFolderIsItsOwn) {
  for (const std::string path : {".", "./", "/"}) {
    SCOPED_TRACE(path);
    EXPECT_TRUE(only_problem(problems_of(with_hls(path)), "outputs[2].path",
                             "an HLS output needs a folder of its own"));
  }
  // The recordings in the served folder would be served to anyone.
  EXPECT_TRUE(only_problem(problems_of(with_hls("recordings/")), "outputs[2].path",
                           "holds the folder of outputs[1]"));
  EXPECT_TRUE(only_problem(problems_of(with_hls(".")), "outputs[2].path", "of its own"));
  Json nested = with_hls("media");
  nested["outputs"][1]["path"] = "media/recordings";
  EXPECT_TRUE(
      only_problem(problems_of(nested), "outputs[2].path", "holds the folder of outputs[1]"));
  Json two = with_hls("hls");
  two["outputs"].push_back({{"id", "hls2"}, {"type", "hls"}, {"path", "./hls"}});
  EXPECT_TRUE(has_problem(problems_of(two), "outputs[3].path", "holds the folder of outputs[2]"));
  // Beside the recordings, or holding nothing else, is fine.
  EXPECT_TRUE(problems_of(with_hls("hls")).empty());
  Json beside = with_hls("media/hls");
  beside["outputs"][1]["path"] = "media";
  EXPECT_TRUE(problems_of(beside).empty()) << listing(problems_of(beside));
}

}  // namespace
}  // namespace hallcast::config::test
