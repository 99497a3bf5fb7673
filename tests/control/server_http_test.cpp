// The plain HTTP side: /healthz, /metrics, the panel's files and their content types,
// no way out of web/, and no secret in anything the server says or logs.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <thread>

#include "control_fixture.h"

namespace hallcast::control {
namespace {

using nlohmann::json;

TEST_F(ControlTest, HealthzAnswersAnyone) {
  start_show();
  const auto health = testing::http_get(port(), "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");
}

TEST_F(ControlTest, MetricsNeedATokenAndDescribeTheShow) {
  start_show();
  EXPECT_EQ(testing::http_get(port(), "/metrics").status, 401);
  EXPECT_EQ(testing::http_get(port(), "/metrics", {bearer("wrong")}).status, 401);

  auto a = connect_operator();
  auto b = connect_viewer();
  initial_state(*a);
  initial_state(*b);
  a->request({{"id", 1}, {"cmd", "scene.cut"}, {"scene", "close"}});
  std::this_thread::sleep_for(1200ms);  // a tick or two of the engine's counters

  const auto metrics = testing::http_get(port(), "/metrics", {bearer(viewer_token)});
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = metrics.body;
  for (const char* line : {
           "hallcast_program_scene{scene=\"close\"} 1\n",
           "hallcast_program_scene{scene=\"wide\"} 0\n",
           "hallcast_preview_scene{scene=\"close\"} 1\n",
           "hallcast_output_state{output=\"vk\",state=\"idle\"} 1\n",
           "hallcast_output_state{output=\"vk\",state=\"live\"} 0\n",
           "hallcast_output_reconnects_total{output=\"vk\"} 0\n",
           "hallcast_source_up{source=\"cam1\",kind=\"video\"} 1\n",
           "hallcast_source_up{source=\"booth-en\",kind=\"interpretation\"} 1\n",
           "hallcast_control_clients{role=\"operator\"} 1\n",
           "hallcast_control_clients{role=\"viewer\"} 1\n",
           "# TYPE hallcast_frames_dropped_total counter\nhallcast_frames_dropped_total ",
           "# TYPE hallcast_output_bytes_total counter\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "in:\n" << text;
  }
  // Live numbers, not placeholders.
  std::smatch match;
  ASSERT_TRUE(
      std::regex_search(text, match, std::regex("\nhallcast_uptime_seconds ([0-9.e+]+)\n")));
  EXPECT_GT(std::stod(match[1]), 0.5);
  ASSERT_TRUE(
      std::regex_search(text, match, std::regex("\nhallcast_frames_encoded_total ([0-9]+)\n")));
  EXPECT_GT(std::stoull(match[1]), 10u);
  ASSERT_TRUE(std::regex_search(
      text, match, std::regex("\nhallcast_output_bytes_total\\{output=\"rec\"\\} ([0-9]+)\n")));
  EXPECT_GT(std::stoull(match[1]), 0u);
  EXPECT_NE(text.find("hallcast_output_bitrate_kbps{output=\"rec\"} "), std::string::npos);

  // Every line is a comment or a well-formed sample.
  const std::regex sample(R"(^[a-z_]+(\{([a-z_]+="[^"]*",?)+\})? [-+0-9.eE]+$)");
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE "))
      continue;
    EXPECT_TRUE(std::regex_match(line, sample)) << line;
  }
}

class StaticFilesTest : public ControlTest {
 protected:
  void SetUp() override {
    ControlTest::SetUp();
    web_ = temp_dir() / "web";
    std::filesystem::create_directories(web_ / "sub");
    std::filesystem::create_directories(web_ / "img");
    std::filesystem::create_directories(web_ / "empty");
    write(web_ / "index.html", "<!doctype html><title>panel</title>");
    write(web_ / "app.js", "console.log(1);");
    write(web_ / "style.css", "body{}");
    write(web_ / "img" / "logo.svg", "<svg/>");
    write(web_ / "data.json", "{}");
    write(web_ / "sub" / "index.html", "sub page");
    write(web_ / "empty" / "notes.txt", "a listing would show this name");
    write(web_ / ".env", "TOP-SECRET hidden");
    write(temp_dir() / "secret.txt", "TOP-SECRET outside");
    std::filesystem::create_symlink(temp_dir() / "secret.txt", web_ / "link.txt");
    std::filesystem::create_directory_symlink(temp_dir(), web_ / "up");
    Setup setup;
    setup.web_dir = web_;
    start_show(setup);
  }
  static void write(const std::filesystem::path& path, std::string_view text) {
    std::ofstream(path) << text;
  }
  std::filesystem::path web_;
};

TEST_F(StaticFilesTest, ServesThePanelWithTheRightContentTypes) {
  struct Case {
    const char* path;
    const char* type;
    const char* body;
  };
  for (const auto& c :
       {Case{"/", "text/html; charset=utf-8", "<!doctype html><title>panel</title>"},
        Case{"/index.html", "text/html; charset=utf-8", nullptr},
        Case{"/app.js", "text/javascript; charset=utf-8", "console.log(1);"},
        Case{"/style.css", "text/css; charset=utf-8", "body{}"},
        Case{"/img/logo.svg", "image/svg+xml", "<svg/>"},
        Case{"/data.json", "application/json", "{}"},
        Case{"/sub/", "text/html; charset=utf-8", "sub page"},
        Case{"/sub", "text/html; charset=utf-8", "sub page"},
        Case{"/app.js?v=3", "text/javascript; charset=utf-8", nullptr}}) {
    const auto r = testing::http_get(port(), c.path);
    EXPECT_EQ(r.status, 200) << c.path;
    EXPECT_EQ(r.header("content-type"), c.type) << c.path;
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff") << c.path;
    if (c.body != nullptr) {
      EXPECT_EQ(r.body, c.body) << c.path;
    }
  }
  // No listing, no guessing.
  for (const char* path : {"/empty/", "/empty", "/img/", "/missing.html", "/sub/missing"}) {
    const auto r = testing::http_get(port(), path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find("notes.txt"), std::string::npos) << path;
  }
  EXPECT_EQ(testing::http_post(port(), "/index.html", "x").status, 405);
  // /ws is for WebSockets only.
  EXPECT_EQ(testing::http_get(port(), "/ws").status, 426);
}

TEST_F(StaticFilesTest, NoPathLeadsOutOfWeb) {
  const char* paths[] = {
      "/../secret.txt",
      "/../../../../etc/passwd",
      "/sub/../../secret.txt",
      "/%2e%2e/secret.txt",
      "/%2E%2E/secret.txt",
      "/..%2fsecret.txt",
      "/%2e%2e%2fsecret.txt",
      "/sub/%2e%2e/%2e%2e/secret.txt",
      "/%252e%252e/secret.txt",
      "/%252e%252e%252fsecret.txt",
      "/..%5csecret.txt",
      "/..\\secret.txt",
      "/%c0%ae%c0%ae/secret.txt",
      "/.%2e/secret.txt",
      "/./../secret.txt",
      "//../secret.txt",
      "/link.txt",
      "/up/secret.txt",
      "/.env",
      "/%2eenv",
      "/index.html%00.txt",
      "/secret.txt",
      "http://127.0.0.1/../secret.txt",
  };
  for (const char* path : paths) {
    const auto r = testing::http_exchange(
        port(),
        std::string("GET ") + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    EXPECT_NE(r.status, 200) << path;
    EXPECT_EQ(r.body.find("TOP-SECRET"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << path;
  }
  EXPECT_EQ(testing::http_get(port(), "/").status, 200) << "still serving";
}

TEST_F(ControlTest, NoSecretReachesStateEventsMetricsPagesOrLogs) {
  start_show();
  auto op = connect_operator();
  auto viewer = connect_viewer();
  initial_state(*op);
  initial_state(*viewer);
  std::string seen;

  // Logins, right and wrong, with the tokens in the form.
  seen += testing::http_post(port(), "/login", std::string("token=") + operator_token).body;
  seen += testing::http_post(port(), "/login", std::string("token=") + viewer_token + "x").body;

  // The destination with a key tries its closed port: its URL (with the key appended)
  // goes through the engine's error paths, its state through events.
  const json started = op->request({{"id", 1}, {"cmd", "output.start"}, {"output", "vk"}});
  seen += started.dump();
  op->wait_for([](const json& m) { return m.value("event", "") == "output" && m["id"] == "vk"; });
  std::this_thread::sleep_for(1500ms);
  op->request({{"id", 2}, {"cmd", "state.get"}});
  const json state = op->wait_for([](const json& m) { return m.value("event", "") == "state"; });
  EXPECT_NE(state["outputs"][1]["state"], "idle");
  op->request({{"id", 3}, {"cmd", "output.stop"}, {"output", "vk"}});

  seen += testing::http_get(port(), "/metrics", {bearer(operator_token)}).body;
  seen += testing::http_get(port(), "/").body;
  seen += testing::http_get(port(), "/app.js").body;
  seen += testing::http_get(port(), "/healthz").body;
  drain_events(*op, 300ms);
  drain_events(*viewer, 100ms);
  stop_show();

  const std::string log = captured_log();
  EXPECT_NE(log.find("output vk"), std::string::npos) << "the attempt was logged:\n" << log;
  for (const char* secret : {operator_token, viewer_token, stream_key}) {
    EXPECT_EQ(op->transcript().find(secret), std::string::npos) << secret;
    EXPECT_EQ(viewer->transcript().find(secret), std::string::npos) << secret;
    EXPECT_EQ(seen.find(secret), std::string::npos) << secret;
    EXPECT_EQ(log.find(secret), std::string::npos) << secret << " in:\n" << log;
  }
}

}  // namespace
}  // namespace hallcast::control
