// The hall's cameras and their direction in the config: a camera's `ptz`, a scene's
// `presets`, the `auto_director`; read into their structs, and every mistake reported
// at its path.
#include "config_test_support.h"

namespace hallcast::config::test {
namespace {

Json hall_document() {
  Json doc = valid_document();
  doc["sources"][1]["ptz"] = {{"protocol", "visca-udp"}, {"address", "10.0.0.12:52381"}};
  doc["sources"][0]["ptz"] = {{"protocol", "visca-tcp"}, {"address", "cam1.hall:5678"}};
  doc["scenes"][1]["presets"] = Json::array({{{"source", "cam2"}, {"preset", 3}}});
  doc["auto_director"] = Json::parse(R"({"enabled": false,
      "follow": [{"mic": "mic1", "scene": "pip"}], "fallback_scene": "wide",
      "threshold_db": -40, "attack_ms": 700, "min_shot_s": 4})");
  return doc;
}

TEST(HallConfig, ReadsPtzPresetsAndTheAutoDirector) {
  const Config config = parse(hall_document().dump());
  ASSERT_TRUE(config.sources[1].ptz);
  EXPECT_EQ(config.sources[1].ptz->protocol, PtzProtocol::visca_udp);
  EXPECT_EQ(config.sources[1].ptz->host, "10.0.0.12");
  EXPECT_EQ(config.sources[1].ptz->port, 52381);
  EXPECT_EQ(config.sources[0].ptz->protocol, PtzProtocol::visca_tcp);
  EXPECT_FALSE(config.sources[2].ptz);
  ASSERT_EQ(config.scenes[1].presets.size(), 1u);
  EXPECT_EQ(config.scenes[1].presets[0], (ScenePreset{"cam2", 3}));
  ASSERT_TRUE(config.auto_director);
  EXPECT_FALSE(config.auto_director->enabled);
  EXPECT_EQ(config.auto_director->follow[0].mic, "mic1");
  EXPECT_EQ(config.auto_director->fallback_scene, "wide");
  EXPECT_EQ(config.auto_director->attack_ms, 700);
  EXPECT_EQ(config.auto_director->min_shot_s, 4);
}

TEST(HallConfig, PtzMistakes) {
  Json doc = hall_document();
  doc["sources"][1]["ptz"]["protocol"] = "pelco-d";
  EXPECT_TRUE(only_problem(problems_of(doc), "sources[1].ptz.protocol", "unknown protocol"));
  doc = hall_document();
  doc["sources"][1]["ptz"]["address"] = "10.0.0.12";
  EXPECT_TRUE(only_problem(problems_of(doc), "sources[1].ptz.address", ""));
  doc = hall_document();
  doc["sources"][1]["ptz"]["speed"] = 3;
  EXPECT_TRUE(only_problem(problems_of(doc), "sources[1].ptz.speed", ""));
  doc = hall_document();
  doc["sources"][2]["ptz"] = {{"protocol", "visca-udp"}, {"address", "10.0.0.12:52381"}};
  EXPECT_TRUE(only_problem(problems_of(doc), "sources[2].ptz", "only video sources"));
}

TEST(HallConfig, PresetMistakes) {
  Json doc = hall_document();
  doc["scenes"][1]["presets"][0]["preset"] = 128;
  EXPECT_TRUE(only_problem(problems_of(doc), "scenes[1].presets[0].preset", "0..127"));
  doc = hall_document();
  doc["scenes"][1]["presets"][0]["source"] = "cam9";
  EXPECT_TRUE(only_problem(problems_of(doc), "scenes[1].presets[0].source", "unknown source"));
  doc = hall_document();
  doc["sources"][1].erase("ptz");
  EXPECT_TRUE(only_problem(problems_of(doc), "scenes[1].presets[0].source", "has no ptz"));
  doc = hall_document();
  doc["scenes"][1]["presets"].push_back({{"source", "cam2"}, {"preset", 4}});
  EXPECT_TRUE(only_problem(problems_of(doc), "scenes[1].presets[1].source", "already"));
}

TEST(HallConfig, AutoDirectorMistakes) {
  Json doc = hall_document();
  doc["auto_director"]["follow"][0]["mic"] = "booth-en";
  EXPECT_TRUE(only_problem(problems_of(doc), "auto_director.follow[0].mic", "not a floor"));
  doc = hall_document();
  doc["auto_director"]["follow"][0]["scene"] = "close";
  EXPECT_TRUE(only_problem(problems_of(doc), "auto_director.follow[0].scene", "unknown scene"));
  doc = hall_document();
  doc["auto_director"]["fallback_scene"] = "nowhere";
  EXPECT_TRUE(only_problem(problems_of(doc), "auto_director.fallback_scene", "unknown scene"));
  doc = hall_document();
  doc["auto_director"]["attack_ms"] = 5;
  EXPECT_TRUE(only_problem(problems_of(doc), "auto_director.attack_ms", "50..10000"));
  doc = hall_document();
  doc["auto_director"]["threshold_db"] = 0;
  EXPECT_TRUE(only_problem(problems_of(doc), "auto_director.threshold_db", "-70..-10"));
  doc = hall_document();
  doc["auto_director"]["follow"] = Json::array();
  EXPECT_TRUE(only_problem(problems_of(doc), "auto_director.follow", "at least one"));
  doc = hall_document();
  doc["auto_director"].erase("fallback_scene");
  EXPECT_TRUE(only_problem(problems_of(doc), "auto_director.fallback_scene", ""));
  doc = hall_document();
  doc["auto_director"]["cooldown"] = 1;
  EXPECT_TRUE(only_problem(problems_of(doc), "auto_director.cooldown", ""));
}

}  // namespace
}  // namespace hallcast::config::test
