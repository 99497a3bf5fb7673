// docs/configuration.md stays true to the code: its sample is config/demo.json, and
// it documents every key the sample uses.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace hallcast::config::test {
namespace {

std::string read(const std::string& relative) {
  std::ifstream file(std::string(HALLCAST_SOURCE_DIR) + "/" + relative);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// The first ```json block after `heading`.
std::string json_block_after(const std::string& text, const std::string& heading) {
  const auto at = text.find(heading);
  const auto start = text.find("```json\n", at == std::string::npos ? 0 : at);
  if (at == std::string::npos || start == std::string::npos) {
    return {};
  }
  const auto end = text.find("\n```", start + 8);
  return text.substr(start + 8, end - start - 8);
}

void collect_keys(const nlohmann::json& value, std::set<std::string>& keys) {
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      keys.insert(key);
      collect_keys(member, keys);
    }
  } else if (value.is_array()) {
    for (const auto& item : value) {
      collect_keys(item, keys);
    }
  }
}

TEST(Docs, SampleIsTheDemoConfig) {
  const std::string docs = read("docs/configuration.md");
  const std::string sample = json_block_after(docs, "## The sample");
  ASSERT_FALSE(sample.empty());
  EXPECT_EQ(nlohmann::json::parse(sample), nlohmann::json::parse(read("config/demo.json")));
}

TEST(Docs, EveryKeyOfTheSampleIsDocumented) {
  const std::string docs = read("docs/configuration.md");
  std::set<std::string> keys;
  collect_keys(nlohmann::json::parse(read("config/demo.json")), keys);
  EXPECT_GT(keys.size(), 30u);
  for (const std::string& key : keys) {
    EXPECT_NE(docs.find("`" + key + "`"), std::string::npos) << key;
  }
}

}  // namespace
}  // namespace hallcast::config::test
