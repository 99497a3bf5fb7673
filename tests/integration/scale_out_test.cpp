// Beyond one machine (SPEC §5 "Scale-out", docs/deployment.md), with the real servers:
// `hallcast deploy` generates the configurations, the Debian nginx runs them on
// loopback ports of their own, and what the audience and the platforms get is judged
// from what arrives — answers and their X-Cache-Status, the relay's statistics, the
// recordings the platforms keep, the tones in them.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <csignal>
#include <fstream>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "integration/run_support.h"
#include "support/hls_crowd.h"
#include "support/media_probe.h"
#include "support/nginx_process.h"
#include "support/nginx_rtmp.h"
#include "support/ports.h"
#include "support/process.h"
#include "support/signal_measure.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"

namespace hallcast::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

const std::filesystem::path kSourceDir = HALLCAST_SOURCE_DIR;

CommandResult hallcast(const std::vector<std::string>& args, const Environment& env = {}) {
  std::vector<std::string> argv{kBinary};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, 30s, env);
}

std::string loopback(int port) {
  return "127.0.0.1:" + std::to_string(port);
}

// The value of `sample` in hallcast's /metrics right now; -1 when absent or unreadable.
double metric_now(int control_port, const std::string& sample) {
  const HttpResponse response =
      http_get(control_port, "/metrics", {"Authorization: Bearer " + std::string(kToken)});
  return response.status == 200 ? metric(response.body, sample) : -1;
}

long count_of(const std::string& text, const std::string& pattern) {
  const std::regex re(pattern);
  return std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator());
}

bool outputs_in_state(int control_port, const std::vector<std::string>& ids,
                      const std::string& state, bool in) {
  if (!can_connect(control_port)) {
    return false;
  }
  const HttpResponse response =
      http_get(control_port, "/metrics", {"Authorization: Bearer " + std::string(kToken)});
  if (response.status != 200) {
    return false;
  }
  for (const auto& id : ids) {
    const double value = metric(
        response.body, "hallcast_output_state{output=\"" + id + "\",state=\"" + state + "\"}");
    if ((value == 1) != in) {
      return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------
// `hallcast deploy`: its arguments and what it writes.

TEST(DeployCommandTest, ABadListenAddressIsRefused) {
  const auto demo = (kSourceDir / "config" / "demo.json").string();
  for (const char* bad :
       {"nonsense", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:99999", ":8080", "[::1:8080"}) {
    const CommandResult result =
        hallcast({"deploy", "audience-nginx", "--config", demo, "--listen", bad});
    EXPECT_EQ(result.exit_code, 2) << bad << "\n" << result.output;
    EXPECT_NE(result.stderr_text.find("--listen"), std::string::npos) << result.output;
    EXPECT_TRUE(result.stdout_text.empty()) << result.stdout_text;
  }
  const CommandResult missing = hallcast({"deploy", "audience-nginx", "--config", demo});
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_NE(missing.stderr_text.find("--listen"), std::string::npos) << missing.output;
  const CommandResult target = hallcast({"deploy", "edge-nginx", "--listen", "127.0.0.1:80"});
  EXPECT_EQ(target.exit_code, 2) << target.output;
  EXPECT_NE(target.stderr_text.find("audience-nginx or relay-nginx"), std::string::npos)
      << target.output;
  const CommandResult allow = hallcast({"deploy", "relay-nginx", "--config", demo, "--listen",
                                        "0.0.0.0:1935", "--allow", "hall.example.org"});
  EXPECT_EQ(allow.exit_code, 2) << allow.output;
  EXPECT_NE(allow.stderr_text.find("--allow"), std::string::npos) << allow.output;
}

TEST(DeployCommandTest, RelayNginxNeedsARelayInTheConfig) {
  const auto demo = (kSourceDir / "config" / "demo.json").string();
  const CommandResult result =
      hallcast({"deploy", "relay-nginx", "--config", demo, "--listen", "0.0.0.0:1935"});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.stderr_text.find("no \"relay\""), std::string::npos) << result.output;
  EXPECT_TRUE(result.stdout_text.empty()) << result.stdout_text;
}

TEST(DeployCommandTest, AConfigWithProblemsIsReportedAsCheckReportsIt) {
  TempDir work;
  json config = json::parse(read_text(kSourceDir / "config" / "demo.json"));
  config["relay"] = {{"url", "rtmps://relay.example.org/hall"}};
  const auto file = work.path() / "show.json";
  ASSERT_NO_FATAL_FAILURE(write_text(file, config.dump(2)));
  const CommandResult result =
      hallcast({"deploy", "relay-nginx", "--config", file.string(), "--listen", "0.0.0.0:1935"});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_EQ(count_lines_starting_with(result.stdout_text, "relay.url: "), 1) << result.output;
}

// The Debian nginx takes both configurations as they are (`nginx -t`), the relay's
// with the demo's five platforms, two of them rtmps through TLS tunnels; written with
// -o, the relay's file is the operator's alone, whatever it was before.
TEST(DeployCommandTest, NginxTakesBothConfigurationsAndTheRelaysStaysPrivate) {
  TempDir work;
  json config = json::parse(read_text(kSourceDir / "config" / "demo.json"));
  config["relay"] = {{"url", "rtmp://relay.example.org:1935/hall"}};
  // nginx resolves the platforms' names as it loads: here, addresses that need no DNS
  // (each keeps its scheme and application).
  for (auto& output : config["outputs"]) {
    if (output["type"] == "rtmp") {
      const std::string url = output["url"];
      const auto scheme_end = url.find("://");
      output["url"] = url.substr(0, scheme_end) + "://127.0.0.1:1940" +
                      url.substr(url.find('/', scheme_end + 3));
    }
  }
  const auto file = work.path() / "show.json";
  ASSERT_NO_FATAL_FAILURE(write_text(file, config.dump(2)));
  const Environment keys{{"HALLCAST_KEY_WEBSITE", "key-website-31"},
                         {"HALLCAST_KEY_X", "key-x-41"},
                         {"HALLCAST_KEY_VK", "key-vk-59"},
                         {"HALLCAST_KEY_TELEGRAM", "key-tg-26"},
                         {"HALLCAST_KEY_DZEN", std::nullopt}};

  const auto relay_file = work.path() / "relay.conf";
  ASSERT_NO_FATAL_FAILURE(write_text(relay_file, "an older file, readable by all\n"));
  ::chmod(relay_file.c_str(), 0644);
  const CommandResult relay =
      hallcast({"deploy", "relay-nginx", "--config", file.string(), "--listen", "127.0.0.1:1935",
                "--allow", "192.0.2.7", "--allow", "2001:db8::/32", "-o", relay_file.string()},
               keys);
  ASSERT_EQ(relay.exit_code, 0) << relay.output;
  EXPECT_TRUE(relay.stdout_text.empty()) << relay.stdout_text;
  // Dzen's key is unset: said so, and left out.
  EXPECT_NE(relay.stderr_text.find("HALLCAST_KEY_DZEN"), std::string::npos) << relay.output;
  struct stat info {};
  ASSERT_EQ(::stat(relay_file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const std::string text = read_text(relay_file);
  for (const char* key : {"key-website-31", "key-x-41", "key-vk-59", "key-tg-26"}) {
    EXPECT_NE(text.find(key), std::string::npos) << key << "\n" << text;
  }
  EXPECT_EQ(text.find("name=floor"), std::string::npos) << text;

  const CommandResult audience = hallcast(
      {"deploy", "audience-nginx", "--config", file.string(), "--listen", "127.0.0.1:8081"});
  ASSERT_EQ(audience.exit_code, 0) << audience.output;

  for (const auto& [name, conf] :
       {std::pair{"relay", text}, std::pair{"audience", audience.stdout_text}}) {
    TempDir dir("hallcast-nginx-t");
    const auto conf_file = dir.path() / "nginx.conf";
    ASSERT_NO_FATAL_FAILURE(write_text(conf_file, conf));
    const CommandResult checked =
        run_command({nginx_binary(), "-t", "-p", dir.path().string() + "/", "-c",
                     conf_file.string(), "-e", (dir.path() / "error.log").string()},
                    30s);
    EXPECT_EQ(checked.exit_code, 0) << name << ":\n" << checked.output << "\n" << conf;
  }
}

// ---------------------------------------------------------------------------------------
// The audience tier: nginx from the generated configuration in front of a running show.

class AudienceTierTest : public ShowRunTest {};

TEST_F(AudienceTierTest, ThreeHundredViewersPlayFromTheCacheAndTheOperatorsSideStaysShut) {
  const int control_port = free_loopback_port();
  json config = base_config(control_port);
  // Two-second segments: twice the requests of the default, in a short run.
  config["outputs"] = json::array(
      {{{"id", "web"}, {"type", "hls"}, {"path", (work() / "hls").string()}, {"segment_s", 2}}});
  ASSERT_NO_FATAL_FAILURE(start(config, {{"HALLCAST_TEST_TOKEN", kToken}}));
  // The playlist holds a few segments: a viewer has something to start from.
  const auto ready_by = Clock::now() + 40s;
  long listed = 0;
  while (Clock::now() < ready_by && listed < 4) {
    ASSERT_TRUE(keep_running(200ms));
    if (can_connect(control_port)) {
      listed = count_of(http_get(control_port, "/hls/web/video/index.m3u8").body, R"(\.ts)");
    }
  }
  ASSERT_GE(listed, 4) << "no HLS from hallcast";

  const int port = free_loopback_port();
  const CommandResult generated =
      hallcast({"deploy", "audience-nginx", "--config", (work() / "hallcast.json").string(),
                "--listen", loopback(port)});
  ASSERT_EQ(generated.exit_code, 0) << generated.output;
  NginxProcess nginx(generated.stdout_text, {port});

  // Nothing of the operator's side, whatever the request carries.
  for (const char* path : {"/", "/index.html", "/app.js", "/ws", "/session", "/metrics", "/healthz",
                           "/login", "/hls/../metrics", "/vendor/../metrics"}) {
    const HttpResponse response =
        http_get(port, path, {"Authorization: Bearer " + std::string(kToken)});
    EXPECT_EQ(response.status, 404) << path << "\n" << response.body;
    EXPECT_EQ(response.body.find("hallcast_"), std::string::npos) << path;
  }
  // The page and its facts, through the cache.
  const HttpResponse page = http_get(port, "/watch");
  EXPECT_EQ(page.status, 200);
  EXPECT_FALSE(page.header("x-cache-status").empty());
  const HttpResponse facts = http_get(port, "/watch.json");
  ASSERT_EQ(facts.status, 200);
  EXPECT_EQ(json::parse(facts.body).value("playlist", ""), "/hls/web/master.m3u8");

  CrowdOptions crowd;
  crowd.port = port;
  crowd.viewers = 300;
  crowd.duration = 15s;
  const CrowdReport report = run_crowd(crowd);
  std::cerr << "300 viewers through nginx: " << report.summary() << "\n";
  EXPECT_EQ(report.errors, 0u) << report.summary();
  EXPECT_EQ(report.viewers_playing, 300) << report.summary();
  EXPECT_EQ(report.viewers_stalled, 0) << report.summary();
  // Each viewer: three segments to start, then the video's and the audio's as they come.
  EXPECT_GE(report.segment_requests, 300u * 12) << report.summary();
  EXPECT_GE(report.cache_ratio(), 0.9) << report.summary();
  ASSERT_TRUE(keep_running(100ms)) << nginx.log();
  ASSERT_NO_FATAL_FAILURE(expect_clean_stop());
}

// ---------------------------------------------------------------------------------------
// The relay tier: each language uploaded once, pushed on to two platforms each.

class RelayTierTest : public ShowRunTest {};

// The tone of `language`'s booth: what its platforms must hear.
double booth_freq(const std::string& language) {
  return language == "en" ? 1000.0 : 800.0;
}

TEST_F(RelayTierTest, EachLanguageGoesUpOnceReachesItsPlatformsAndComesBackAfterTheRelayDies) {
  NginxRtmpOptions platform_options;
  platform_options.record_append = true;
  NginxRtmp platform_a(platform_options);
  NginxRtmp platform_b(platform_options);
  // A platform that takes the connection and refuses the stream: the upload of its
  // language is live all along, so only the relay's statistics can tell that this
  // destination is not.
  NginxRtmpOptions refusing_options;
  refusing_options.application_directives = "deny publish all;";
  NginxRtmp platform_c(refusing_options);
  const int control_port = free_loopback_port();
  const int relay_port = free_loopback_port();
  const int stat_port = free_loopback_port();

  json config = base_config(control_port);
  // Both booths always speaking: each language track is its booth's tone, the floor
  // ducked under it.
  config["sources"].push_back({{"id", "booth-en"},
                               {"kind", "interpretation"},
                               {"language", "en"},
                               {"uri", "test:audio?freq=1000&volume=0.3"}});
  config["sources"].push_back({{"id", "booth-ru"},
                               {"kind", "interpretation"},
                               {"language", "ru"},
                               {"uri", "test:audio?freq=800&volume=0.3"}});
  struct Destination {
    std::string id;
    NginxRtmp* platform;
    std::string language;
    std::string key;
  };
  const std::vector<Destination> destinations = {
      {"a-en", &platform_a, "en", "sk-a-en-5d1f"},
      {"a-ru", &platform_a, "ru", "sk-a-ru-8c2e"},
      {"b-en", &platform_b, "en", "sk-b-en-3a9b"},
      {"b-ru", &platform_b, "ru", "sk-b-ru-6e4c"},
  };
  Environment env{{"HALLCAST_TEST_TOKEN", kToken}};
  std::vector<std::string> ids;
  config["outputs"] = json::array();
  for (const auto& d : destinations) {
    const std::string variable = "HALLCAST_TEST_KEY_" + d.id.substr(0, 1) + "_" + d.language;
    json output = rtmp_output(d.id, d.platform->url(), variable);
    output["language"] = d.language;
    config["outputs"].push_back(output);
    env[variable] = d.key;
    ids.push_back(d.id);
  }
  json refused = rtmp_output("c-en", platform_c.url(), "HALLCAST_TEST_KEY_C_EN");
  refused["language"] = "en";
  config["outputs"].push_back(refused);
  env["HALLCAST_TEST_KEY_C_EN"] = "sk-c-en-0b7d";
  config["relay"] = {{"url", "rtmp://" + loopback(relay_port) + "/hall"},
                     {"stat_url", "http://" + loopback(stat_port) + "/stat"}};
  ASSERT_NO_FATAL_FAILURE(write_text(work() / "hallcast.json", config.dump(2)));

  const CommandResult generated =
      hallcast({"deploy", "relay-nginx", "--config", (work() / "hallcast.json").string(),
                "--listen", loopback(relay_port)},
               env);
  ASSERT_EQ(generated.exit_code, 0) << generated.output;
  NginxProcess relay(generated.stdout_text, {relay_port, stat_port});
  ASSERT_NO_FATAL_FAILURE(start(config, env));

  auto wait_for = [&](const std::string& state, bool in, std::chrono::seconds limit) {
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      if (!keep_running(250ms)) {
        return false;
      }
      if (outputs_in_state(control_port, ids, state, in)) {
        return true;
      }
    }
    return false;
  };
  ASSERT_TRUE(wait_for("live", true, 60s)) << "not all live\n" << relay.log();

  // The refusing platform's destination is not live, and says why.
  const auto refused_state = [&] {
    const HttpResponse page =
        http_get(control_port, "/metrics", {"Authorization: Bearer " + std::string(kToken)});
    std::string info;
    for (const auto& line : lines_of(page.body)) {
      if (line.rfind("hallcast_output_info{output=\"c-en\"", 0) == 0) {
        info = line;
      }
    }
    return std::pair{metric(page.body, "hallcast_output_state{output=\"c-en\",state=\"live\"}"),
                     info};
  };
  const auto [refused_live, refused_info] = refused_state();
  EXPECT_EQ(refused_live, 0) << refused_info;
  EXPECT_NE(refused_info.find("platform"), std::string::npos) << refused_info;

  // The hall's uplink carries each language once: two uploads, one publisher each, each
  // pushed on to its platforms.
  const HttpResponse stat = http_get(stat_port, "/stat");
  ASSERT_EQ(stat.status, 200);
  for (const char* language : {"en", "ru"}) {
    const std::regex stream("<stream>\\s*<name>" + std::string(language) +
                            "</name>[\\s\\S]*?</stream>");
    std::smatch found;
    ASSERT_TRUE(std::regex_search(stat.body, found, stream)) << stat.body;
    const std::string text = found.str();
    EXPECT_EQ(count_of(text, "<client>[^\\n]*<publishing/>"), 1) << text;
    for (const auto& d : destinations) {
      if (d.language == language) {
        EXPECT_EQ(count_of(text, "/live/" + d.key + "</address>"), 1) << d.id << "\n" << text;
      }
    }
  }
  EXPECT_EQ(count_of(stat.body, "<stream>"), 2) << stat.body;

  // Some seconds of programme at every platform, then the relay dies.
  const auto sizes = [&] {
    std::vector<std::uintmax_t> bytes;
    for (const auto& d : destinations) {
      std::error_code error;
      const auto size = std::filesystem::file_size(d.platform->recorded_file(d.key), error);
      bytes.push_back(error ? 0 : size);
    }
    return bytes;
  };
  ASSERT_TRUE(keep_running(4s));
  relay.kill();
  ASSERT_TRUE(wait_for("live", false, 20s)) << "still live with the relay gone";
  const auto before_restart = sizes();
  relay.restart();
  ASSERT_TRUE(wait_for("live", true, 60s)) << "not all back\n" << relay.log();
  // Every platform gets programme again.
  const auto deadline = Clock::now() + 20s;
  bool grown = false;
  while (!grown && Clock::now() < deadline) {
    ASSERT_TRUE(keep_running(500ms));
    const auto now = sizes();
    grown = true;
    for (std::size_t i = 0; i < now.size(); ++i) {
      grown = grown && now[i] > before_restart[i] + 20000;
    }
  }
  EXPECT_TRUE(grown) << "a platform got nothing after the relay came back";
  EXPECT_EQ(refused_state().first, 0) << refused_state().second;
  for (const auto& id : ids) {
    EXPECT_GE(metric_now(control_port, "hallcast_output_reconnects_total{output=\"" + id + "\"}"),
              1)
        << id;
  }
  ASSERT_NO_FATAL_FAILURE(expect_clean_stop());
  platform_a.stop();
  platform_b.stop();

  // The right language on each platform: its booth's tone, not the other's.
  for (const auto& d : destinations) {
    SCOPED_TRACE(d.id);
    const auto file = d.platform->recorded_file(d.key);
    ASSERT_TRUE(std::filesystem::exists(file)) << list_folder(d.platform->record_dir());
    const DecodedAudio audio = decode_audio(file, 0);
    const std::vector<float> left = audio.channel(0);
    const int rate = audio.sample_rate;
    ASSERT_GT(left.size(), static_cast<std::size_t>(3 * rate));
    // 100 ms blocks from the second second on: whole cycles of 800 and 1000 Hz.
    const std::size_t block = static_cast<std::size_t>(rate / 10);
    std::vector<double> margin;
    for (std::size_t at = rate; at + block <= left.size(); at += block) {
      margin.push_back(
          tone_db(&left[at], block, booth_freq(d.language), rate) -
          tone_db(&left[at], block, booth_freq(d.language == "en" ? "ru" : "en"), rate));
    }
    std::cerr << d.id << ": its booth's tone " << median(margin) << " dB over the other's\n";
    EXPECT_GT(median(margin), 30.0) << "its booth's tone over the other's, in dB";
  }
}

}  // namespace
}  // namespace hallcast::testing
