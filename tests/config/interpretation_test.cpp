// The booth settings of interpretation sources, and the A/V flash of a test camera.
#include "config_test_support.h"

namespace hallcast::config::test {
namespace {

Config parsed(const Json& document) {
  return parse(document.dump());
}

TEST(Interpretation, DuckingAndThresholdDefaultAndAreRead) {
  auto document = valid_document();
  auto defaults = parsed(document);
  EXPECT_DOUBLE_EQ(defaults.sources[3].duck_db, -15.0);
  EXPECT_DOUBLE_EQ(defaults.sources[3].vad_threshold_db, -40.0);

  document["sources"][3]["duck_db"] = -20;
  document["sources"][3]["vad_threshold_db"] = -35.5;
  auto config = parsed(document);
  EXPECT_DOUBLE_EQ(config.sources[3].duck_db, -20.0);
  EXPECT_DOUBLE_EQ(config.sources[3].vad_threshold_db, -35.5);
}

TEST(Interpretation, OutOfRangeValuesAreProblemsAtTheirPath) {
  auto document = valid_document();
  document["sources"][3]["duck_db"] = 3;
  document["sources"][4]["vad_threshold_db"] = -80;
  const auto problems = problems_of(document);
  EXPECT_TRUE(has_problem(problems, "sources[3].duck_db", "-40..0"));
  EXPECT_TRUE(has_problem(problems, "sources[4].vad_threshold_db", "-70..-10"));
  EXPECT_EQ(problems.size(), 2u) << listing(problems);
}

TEST(Interpretation, OnlyBoothsDuckTheFloor) {
  auto document = valid_document();
  document["sources"][2]["duck_db"] = -10;  // a floor microphone
  EXPECT_TRUE(only_problem(problems_of(document), "sources[2].duck_db", "interpretation"));
}

TEST(TestVideo, FlashIsReadAndChecked) {
  auto document = valid_document();
  document["sources"][0]["uri"] = "test:video?pattern=black&flash_s=1";
  auto config = parsed(document);
  const auto& uri = std::get<TestVideoUri>(config.sources[0].uri);
  EXPECT_EQ(uri.pattern, "black");
  EXPECT_DOUBLE_EQ(uri.flash_s, 1.0);

  document["sources"][0]["uri"] = "test:video?pattern=black&flash_s=0";
  EXPECT_TRUE(only_problem(problems_of(document), "sources[0].uri", "flash_s"));
}

}  // namespace
}  // namespace hallcast::config::test
