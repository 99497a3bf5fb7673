// Prometheus's own tool on what hallcast hands it (docs/deployment.md, "Many halls, one
// Prometheus"): the alert rules in deploy/prometheus/ pass `promtool check rules` and
// their unit tests, and a running show's /metrics passes `promtool check metrics` and
// carries every metric the rules use.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "integration/run_support.h"
#include "support/nginx_rtmp.h"
#include "support/ports.h"
#include "support/process.h"
#include "support/ws_client.h"

namespace hallcast::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const std::filesystem::path kSourceDir = HALLCAST_SOURCE_DIR;

TEST(PrometheusTest, TheAlertRulesPassPromtoolAndTheirOwnTests) {
  const auto folder = kSourceDir / "deploy" / "prometheus";
  std::vector<std::string> rules;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.find("rules") != std::string::npos && name.ends_with(".yml") &&
        name.find(".test.") == std::string::npos) {
      rules.push_back(entry.path().string());
    }
  }
  ASSERT_FALSE(rules.empty()) << "no *rules*.yml in " << folder;
  std::vector<std::string> check{"promtool", "check", "rules"};
  check.insert(check.end(), rules.begin(), rules.end());
  const CommandResult checked = run_command(check, 60s);
  EXPECT_EQ(checked.exit_code, 0) << checked.output;
  const CommandResult tested = run_command(
      {"promtool", "test", "rules", (folder / "hallcast-rules.test.yml").string()}, 60s);
  EXPECT_EQ(tested.exit_code, 0) << tested.output;
}

class PrometheusMetricsTest : public ShowRunTest {};

// Every family the rules use is served, and the page passes `promtool check metrics`
// (its parser and its lint).
TEST_F(PrometheusMetricsTest, MetricsPassPromtoolAndCarryWhatTheRulesUse) {
  NginxRtmp& nginx = start_nginx();
  const int control_port = free_loopback_port();
  json config = base_config(control_port);
  config["sources"].push_back({{"id", "booth-en"},
                               {"kind", "interpretation"},
                               {"language", "en"},
                               {"uri", "test:audio?freq=1000&volume=0.3&on_s=1&off_s=1"}});
  config["outputs"] = json::array({rtmp_output("a", nginx.url(), "HALLCAST_TEST_KEY_A")});
  ASSERT_NO_FATAL_FAILURE(
      start(config, {{"HALLCAST_TEST_KEY_A", kKeyA}, {"HALLCAST_TEST_TOKEN", kToken}}));
  ASSERT_TRUE(run_until_encoded(control_port, 60, 40s));
  const HttpResponse page =
      http_get(control_port, "/metrics", {"Authorization: Bearer " + std::string(kToken)});
  ASSERT_EQ(page.status, 200);
  const auto file = work() / "metrics.txt";
  ASSERT_NO_FATAL_FAILURE(write_text(file, page.body));
  const CommandResult checked =
      run_command({"sh", "-c", "promtool check metrics < \"$0\"", file.string()}, 60s);
  EXPECT_EQ(checked.exit_code, 0) << checked.output << "\n" << page.body;
  EXPECT_TRUE(checked.output.find("WARN") == std::string::npos) << checked.output;

  const std::string rules = read_text(kSourceDir / "deploy" / "prometheus" / "hallcast-rules.yml");
  std::set<std::string> used;
  const std::regex name(R"(hallcast_[a-z_]+)");
  for (auto it = std::sregex_iterator(rules.begin(), rules.end(), name);
       it != std::sregex_iterator(); ++it) {
    used.insert(it->str());
  }
  EXPECT_GE(used.size(), 5u);
  for (const auto& family : used) {
    EXPECT_NE(page.body.find("# TYPE " + family + " "), std::string::npos)
        << family << " is in the rules but not in /metrics";
  }
  ASSERT_NO_FATAL_FAILURE(expect_clean_stop());
}

}  // namespace
}  // namespace hallcast::testing
