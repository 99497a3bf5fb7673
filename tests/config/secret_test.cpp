// A stream key written in the file (`key`) never shows up in a problem or in what(),
// whatever is wrong around it.
#include <gtest/gtest.h>

#include "config_test_support.h"

namespace hallcast::config::test {
namespace {

constexpr std::string_view kSecret = "live_8f3kQ9zX2vB7";

// Every message and the whole error text, for `text` that must not be valid.
std::string everything_said_text(std::string_view text) {
  try {
    parse(text);
  } catch (const ConfigError& error) {
    std::string said = error.what();
    for (const Problem& problem : error.problems()) {
      said += "\n" + problem.path + " " + problem.message;
    }
    return said;
  }
  ADD_FAILURE() << "config was accepted";
  return {};
}

std::string everything_said(const Json& document) {
  return everything_said_text(document.dump());
}

::testing::AssertionResult keeps_secret(const std::string& said) {
  if (said.find(kSecret) == std::string::npos && said.find("8f3kQ9") == std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "secret leaked in:\n" << said;
}

Json with_key(const Json& key) {
  Json document = valid_document();
  document["outputs"][0].erase("key_env");
  document["outputs"][0]["key"] = key;
  return document;
}

TEST(Secret, AValidKeyIsKeptForTheEngine) {
  const Config config = parse(with_key(std::string(kSecret)).dump());
  EXPECT_EQ(config.outputs[0].key.reveal(), kSecret);
}

TEST(Secret, KeyWithKeyEnv) {
  Json document = with_key(std::string(kSecret));
  document["outputs"][0]["key_env"] = "HALLCAST_KEY_VK";
  const std::string said = everything_said(document);
  EXPECT_NE(said.find("outputs[0].key: give key_env or key, not both"), std::string::npos) << said;
  EXPECT_TRUE(keeps_secret(said));
}

TEST(Secret, KeyOfTheWrongTypeIsNotEchoed) {
  const auto problems = problems_of(with_key(987654321));
  EXPECT_TRUE(only_problem(problems, "outputs[0].key", "expected a string, got a number"));
  EXPECT_EQ(problems[0].message.find("987654321"), std::string::npos);
  EXPECT_TRUE(keeps_secret(everything_said(with_key(Json::array({std::string(kSecret)})))));
}

TEST(Secret, KeyOnAnOutputThatTakesNone) {
  Json document = valid_document();
  document["outputs"][1]["key"] = std::string(kSecret);
  const std::string said = everything_said(document);
  EXPECT_NE(said.find("outputs[1].key: record outputs take no key"), std::string::npos) << said;
  EXPECT_TRUE(keeps_secret(said));
}

TEST(Secret, UnsafeCharacterInAKeyIsNotNamed) {
  const auto problems = problems_of(with_key(std::string(kSecret) + "!x"));
  EXPECT_TRUE(only_problem(problems, "outputs[0].key", "holds a character not allowed in a URL"));
  EXPECT_EQ(problems[0].message.find('!'), std::string::npos);
  EXPECT_TRUE(keeps_secret(everything_said(with_key(std::string(kSecret) + "!x"))));
}

TEST(Secret, KeyUnderAnUnknownOrMisspelledName) {
  Json document = valid_document();
  document["outputs"][0]["kee"] = std::string(kSecret);
  document["control"]["key"] = std::string(kSecret);
  const std::string said = everything_said(document);
  EXPECT_NE(said.find("outputs[0].kee: unknown key"), std::string::npos) << said;
  EXPECT_NE(said.find("control.key: unknown key"), std::string::npos) << said;
  EXPECT_TRUE(keeps_secret(said));
}

TEST(Secret, KeyWrittenTwice) {
  const std::string text = R"({
    "sources": [ { "id": "cam1", "kind": "video", "uri": "test:video" } ],
    "scenes": [ { "id": "wide", "layers": [ { "source": "cam1" } ] } ],
    "outputs": [ { "id": "vk", "type": "rtmp", "url": "rtmp://ingest.example/live",
                   "key": "live_8f3kQ9zX2vB7", "key": "live_8f3kQ9zX2vB7" } ] })";
  const std::string said = everything_said_text(text);
  EXPECT_NE(said.find("outputs[0].key: duplicate key"), std::string::npos) << said;
  EXPECT_TRUE(keeps_secret(said));
}

TEST(Secret, MalformedJsonInsideAKey) {
  // The JSON library quotes what it last read; that excerpt is dropped.
  for (const std::string text :
       {R"({"outputs": [{"key": "live_8f3kQ9zX2vB7\q"}]})",
        R"({"outputs": [{"key": "live_8f3kQ9zX2vB7)",
        "{\"outputs\": [{\"key\": \"live_8f3kQ9zX2vB7\x01\"}]}",
        R"({"outputs": [{"key": "live_8f3kQ9zX2vB7'; expected string literal\u12"}]})"}) {
    const std::string said = everything_said_text(text);
    EXPECT_NE(said.find("$: malformed JSON at line 1"), std::string::npos) << said;
    EXPECT_TRUE(keeps_secret(said));
  }
}

TEST(Secret, ManyMistakesAroundAKey) {
  Json document = with_key(std::string(kSecret));
  document["outputs"][0]["key_env"] = "bad name";
  document["outputs"][0]["url"] = "http://ingest.example/live";
  document["outputs"][0]["language"] = "de";
  document["outputs"][0]["path"] = "recordings";
  document["outputs"].push_back(with_key(std::string(kSecret))["outputs"][0]);
  const std::string said = everything_said(document);
  EXPECT_NE(said.find("outputs[2].id: duplicate id"), std::string::npos) << said;
  EXPECT_TRUE(keeps_secret(said));
}

}  // namespace
}  // namespace hallcast::config::test
