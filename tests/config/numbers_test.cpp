// Numbers as a careless or hostile file writes them: beyond a double, -0, integers too
// big for an int, negative fractions, absurd sizes. Each is an ordinary problem at the
// number's path, never a crash and never a value the engine would choke on.
#include <gtest/gtest.h>

#include "config_test_support.h"

namespace hallcast::config::test {
namespace {

// The valid document with `literal` written as the value at `pointer`, as raw text: the
// JSON library itself would not write 1e999.
std::string with_number(const std::string& pointer, const std::string& literal) {
  Json document = valid_document();
  document[Json::json_pointer(pointer)] = "@@NUMBER@@";
  std::string text = document.dump();
  text.replace(text.find("\"@@NUMBER@@\""), 12, literal);
  return text;
}

TEST(Numbers, BeyondADoubleIsAProblemAtItsPath) {
  EXPECT_TRUE(only_problem(problems_of_text(with_number("/video/keyframe_interval_s", "1e999")),
                           "video.keyframe_interval_s", "number too large"));
  EXPECT_TRUE(only_problem(problems_of_text(with_number("/video/width", "-1e999")), "video.width",
                           "number too large"));
  EXPECT_TRUE(only_problem(problems_of_text(with_number("/scenes/1/layers/1/x", "1e400")),
                           "scenes[1].layers[1].x", "number too large"));
  // Inside an array the path names the element.
  Json document = valid_document();
  document["event"]["extra"] = Json::array({1, 2, "@@NUMBER@@"});
  std::string text = document.dump();
  text.replace(text.find("\"@@NUMBER@@\""), 12, "9e9999");
  EXPECT_TRUE(only_problem(problems_of_text(text), "event.extra[2]", "number too large"));
}

TEST(Numbers, BeyondADoubleAtTheTopIsAProblemAtTheRoot) {
  EXPECT_TRUE(only_problem(problems_of_text("1e999"), "$", "number too large"));
}

TEST(Numbers, IntegersBeyondAnIntAreOutOfRange) {
  for (const std::string literal :
       {"2147483648", "-2147483649", "9223372036854775807", "18446744073709551615",
        "18446744073709551616", "1e20", "1e308", "-1e308"}) {
    SCOPED_TRACE(literal);
    const auto problems = problems_of_text(with_number("/video/width", literal));
    EXPECT_TRUE(only_problem(problems, "video.width", "out of range"));
  }
  EXPECT_TRUE(only_problem(problems_of_text(with_number("/audio/sample_rate", "4294967296")),
                           "audio.sample_rate", "out of range"));
}

TEST(Numbers, HugeFractionsAreOutOfRange) {
  EXPECT_TRUE(only_problem(problems_of_text(with_number("/video/keyframe_interval_s", "1e308")),
                           "video.keyframe_interval_s", "must be 0.1..20"));
  EXPECT_TRUE(only_problem(problems_of_text(with_number("/outputs/1/segment_s", "1.7e308")),
                           "outputs[1].segment_s", "must be 2..86400"));
  EXPECT_TRUE(only_problem(problems_of_text(with_number("/sources/3/duck_db", "-1e308")),
                           "sources[3].duck_db", "must be -40..0"));
}

TEST(Numbers, NegativeFractionsAreOutOfRangeOrNotWhole) {
  EXPECT_TRUE(only_problem(problems_of_text(with_number("/video/fps", "-0.5")), "video.fps",
                           "expected a whole number, got -0.5"));
  EXPECT_TRUE(only_problem(problems_of_text(with_number("/scenes/1/layers/1/x", "-0.001")),
                           "scenes[1].layers[1].x", "must be 0..1, got -0.001"));
  EXPECT_TRUE(only_problem(problems_of_text(with_number("/outputs/1/segment_s", "-2.5")),
                           "outputs[1].segment_s", "must be 2..86400, got -2.5"));
  EXPECT_TRUE(only_problem(problems_of_text(with_number("/video/keyframe_interval_s", "-1e-300")),
                           "video.keyframe_interval_s", "must be 0.1..20"));
}

TEST(Numbers, NegativeZeroIsZero) {
  EXPECT_EQ(parse(with_number("/scenes/1/layers/1/x", "-0")).scenes[1].layers[1].x, 0.0);
  EXPECT_EQ(parse(with_number("/scenes/1/layers/1/x", "-0.0")).scenes[1].layers[1].x, 0.0);
  EXPECT_TRUE(only_problem(problems_of_text(with_number("/video/width", "-0")), "video.width",
                           "must be an even number 16..7680, got 0"));
  EXPECT_TRUE(only_problem(problems_of_text(with_number("/outputs/1/segment_s", "-0.0")),
                           "outputs[1].segment_s", "must be 2..86400, got 0"));
}

TEST(Numbers, UnderflowIsZero) {
  EXPECT_TRUE(only_problem(problems_of_text(with_number("/scenes/1/layers/1/w", "1e-999")),
                           "scenes[1].layers[1].w", "must be more than 0"));
}

TEST(Numbers, TestToneCyclesAreBounded) {
  // An hour of sound or silence is as long as a test tone's cycle gets; beyond that
  // the cycle in samples would leave 64 bits.
  Json document = valid_document();
  document["sources"][3]["uri"] =
      "test:audio?on_s=100000000000000000000000000000000000000000&off_s=1";
  EXPECT_TRUE(
      only_problem(problems_of(document), "sources[3].uri", "on_s must be at most 3600, got 1"));
  document["sources"][3]["uri"] = "test:audio?on_s=1&off_s=3600.5";
  EXPECT_TRUE(only_problem(problems_of(document), "sources[3].uri",
                           "off_s must be at most 3600, got 3600.5"));
  document["sources"][3]["uri"] = "test:audio?on_s=3600&off_s=3600";
  EXPECT_TRUE(problems_of(document).empty()) << listing(problems_of(document));
}

}  // namespace
}  // namespace hallcast::config::test
