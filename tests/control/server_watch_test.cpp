// The audience page, /watch: public (no token, framable by the organiser's site) and
// cut off from the operator's side, whose pages and interfaces stay behind the token.
#include <nlohmann/json.hpp>

#include "control/watch_page.h"
#include "control_fixture.h"

namespace hallcast::control {
namespace {

using testing::http_get;

config::Output hls_output(const std::string& id, const std::string& language) {
  config::Output output;
  output.id = id;
  output.type = config::OutputType::hls;
  output.path = "/nonexistent/hls-" + id;
  output.language = language;
  return output;
}

TEST(WatchPage, TellsTheEventAndTheFirstHlsOutputOnly) {
  config::Config config;
  config.event.title = "Россия и Япония";
  config.event.venue = "Moscow, Novy Arbat 36";
  config.event.start = "2026-07-03T11:00:00+03:00";
  config::Source booth;
  booth.id = "booth-ru";
  booth.kind = config::SourceKind::interpretation;
  booth.language = "ru";
  config.sources.push_back(booth);
  config::Output rtmp;
  rtmp.id = "vk";
  rtmp.type = config::OutputType::rtmp;
  config.outputs = {rtmp, hls_output("site", "ru"), hls_output("spare", "floor")};

  const auto page = nlohmann::json::parse(encode_watch_page(watch_page(config)));
  EXPECT_EQ(page, (nlohmann::json{{"title", "Россия и Япония"},
                                  {"venue", "Moscow, Novy Arbat 36"},
                                  {"start", "2026-07-03T11:00:00+03:00"},
                                  {"playlist", "/hls/site/master.m3u8"},
                                  {"languages", {"floor", "ru"}},
                                  {"language", "ru"}}));

  config.outputs = {rtmp};
  const auto without = nlohmann::json::parse(encode_watch_page(watch_page(config)));
  EXPECT_EQ(without.at("playlist"), "");
  EXPECT_EQ(without.at("language"), "floor");
}

class WatchTest : public ControlTest {
 protected:
  void SetUp() override {
    ControlTest::SetUp();
    Setup setup;
    setup.extra_outputs = {hls_output("web", "en")};
    start_show(setup);
  }
};

TEST_F(WatchTest, ThePageItsFilesAndHlsJsNeedNoToken) {
  const auto page = http_get(port(), "/watch");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("/watch.js"), std::string::npos);
  // The organiser's site frames it (?embed=1), and its player plays from blob: URLs;
  // still nothing from other origins.
  EXPECT_EQ(page.header("x-frame-options"), "");
  const std::string policy = page.header("content-security-policy");
  EXPECT_NE(policy.find("frame-ancestors *"), std::string::npos) << policy;
  EXPECT_NE(policy.find("media-src 'self' blob:"), std::string::npos) << policy;
  EXPECT_NE(policy.find("default-src 'self'"), std::string::npos) << policy;
  EXPECT_EQ(http_get(port(), "/watch?embed=1").body, page.body);

  for (const char* path : {"/watch.js", "/watch_player.js", "/languages.js",
                           "/vendor/hls.js/hls.min.mjs", "/vendor/hls.js/hls.worker.js"}) {
    const auto r = http_get(port(), path);
    EXPECT_EQ(r.status, 200) << path << " (hls.js: scripts/setup.sh copies it into web/vendor/)";
    EXPECT_EQ(r.header("content-type"), "text/javascript; charset=utf-8") << path;
  }
  EXPECT_EQ(http_get(port(), "/watch.css").header("content-type"), "text/css; charset=utf-8");
  const auto licence = http_get(port(), "/vendor/hls.js/LICENSE");
  EXPECT_EQ(licence.status, 200);
  EXPECT_NE(licence.body.find("Copyright"), std::string::npos);
}

TEST_F(WatchTest, ThePageKnowsTheEventAndThePlaylistAndNothingElse) {
  const auto r = http_get(port(), "/watch.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/json");
  const auto info = nlohmann::json::parse(r.body);
  EXPECT_EQ(info, (nlohmann::json{{"title", "control test"},
                                  {"venue", ""},
                                  {"start", ""},
                                  {"playlist", "/hls/web/master.m3u8"},
                                  {"languages", {"floor", "en"}},
                                  {"language", "en"}}));
  for (const char* secret : {operator_token, viewer_token, stream_key}) {
    EXPECT_EQ(r.body.find(secret), std::string::npos);
  }
}

TEST_F(WatchTest, NothingOfTheOperatorsSideIsReachableFromIt) {
  // The page's own code loads none of the panel's modules and opens no WebSocket.
  for (const char* path : {"/watch", "/watch.js", "/watch_player.js", "/languages.js"}) {
    const std::string body = http_get(port(), path).body;
    ASSERT_FALSE(body.empty()) << path;
    for (const char* panel : {"app.js", "connection.js", "dom.js", "WebSocket", "/ws", "/session",
                              "/login", "/metrics"}) {
      EXPECT_EQ(body.find(panel), std::string::npos) << path << " mentions " << panel;
    }
  }
  // Without a token, the operator's interfaces still say no.
  EXPECT_EQ(http_get(port(), "/session").status, 401);
  EXPECT_EQ(http_get(port(), "/metrics").status, 401);
  EXPECT_EQ(connect({})->status(), 401);
  EXPECT_EQ(connect({"Cookie: hallcast_session=x"})->status(), 401);
  // The panel keeps its own, stricter headers: it may not be framed.
  const auto panel = http_get(port(), "/");
  EXPECT_EQ(panel.header("x-frame-options"), "DENY");
  EXPECT_NE(panel.header("content-security-policy").find("frame-ancestors 'none'"),
            std::string::npos);
  // /watch is one page, not a folder to look around in.
  for (const char* path : {"/watch/", "/watch/index.html", "/watch.json/x", "/vendor/hls.js/",
                           "/vendor/hls.js/package.json"}) {
    EXPECT_EQ(http_get(port(), path).status, 404) << path;
  }
}

}  // namespace
}  // namespace hallcast::control
