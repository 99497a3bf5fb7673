// Who gets in: tokens on the upgrade, the browser's login and session cookie, the
// read-only viewer, the open (no token) loopback mode and its limits. Asserted on
// HTTP statuses, cookies and what the WebSocket delivers.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "control_fixture.h"

namespace hallcast::control {
namespace {

using nlohmann::json;
using testing::WsMessage;

TEST_F(ControlTest, RefusesAWebSocketWithoutAValidTokenAndGivesItNothing) {
  start_show();
  const std::vector<std::vector<std::string>> attempts = {
      {},
      {bearer("wrong")},
      {bearer((std::string(operator_token) + "x").c_str())},
      {bearer(std::string(operator_token).substr(1).c_str())},
      {"Authorization: Bearer"},
      {"Authorization: Basic b3AtdG9rZW4="},
      {"Authorization: " + std::string(operator_token)},
      {"Cookie: hallcast_session=" + std::string(64, '0')},
      {"Cookie: hallcast_session=" + std::string(operator_token)},
  };
  for (const auto& headers : attempts) {
    auto client = connect(headers);
    EXPECT_EQ(client->status(), 401) << (headers.empty() ? "" : headers[0]);
    EXPECT_EQ(json::parse(client->handshake().body)["error"], "unauthorized");
    // Frames sent anyway are not WebSocket to the server, and change nothing.
    client->send_text(R"({"id":1,"cmd":"scene.cut","scene":"close"})");
    const WsMessage next = client->receive(300ms);
    EXPECT_NE(next.kind, WsMessage::Kind::text) << next.payload;
    EXPECT_EQ(client->transcript(), "");
  }
  auto op = connect_operator();
  EXPECT_EQ(initial_state(*op)["program"], "wide");
}

TEST_F(ControlTest, TheOperatorTokenOpensTheWebSocketWithTheWholeState) {
  start_show();
  auto client = connect_operator();
  ASSERT_TRUE(client->upgraded()) << client->status();
  const json state = initial_state(*client);

  EXPECT_EQ(state["program"], "wide");
  EXPECT_EQ(state["preview"], "close");
  EXPECT_EQ(state["scenes"], json::parse(R"([{"id":"wide","name":"Wide","sources":["cam1"]},
                                             {"id":"close","name":"Close-up","sources":["cam2"]}])"));
  ASSERT_EQ(state["sources"].size(), 4u);
  EXPECT_EQ(state["sources"][0], json::parse(R"({"id":"cam1","kind":"video","label":"Wide",
                                                  "health":"live"})"));
  EXPECT_EQ(state["sources"][3]["kind"], "interpretation");
  EXPECT_EQ(state["sources"][3]["language"], "en");
  EXPECT_EQ(state["overlays"],
            json::parse(R"([{"id":"lt-abiru","type":"lower_third","visible":false,
                              "label":"Taisuke Abiru","name":"Taisuke Abiru","role":"Fellow",
                              "forms":[],"speaker":"abiru","number":1,"created":false},
                             {"id":"slate","type":"title","visible":false,
                              "label":"Starting soon","text":"Starting soon","number":2,
                              "created":false}])"));
  EXPECT_EQ(state["audio"], json::parse(R"([{"channel":"mic1","gain_db":0.0,"muted":false},
                                            {"channel":"booth-en","gain_db":0.0,"muted":false}])"));
  EXPECT_EQ(state["languages"], json::parse(R"(["floor","en"])"));
  ASSERT_EQ(state["outputs"].size(), 2u);
  const json& vk = state["outputs"][1];
  EXPECT_EQ(vk["id"], "vk");
  EXPECT_EQ(vk["type"], "rtmp");
  EXPECT_EQ(vk["language"], "en");
  EXPECT_EQ(vk["enabled"], false);
  EXPECT_EQ(vk["state"], "idle");
  EXPECT_EQ(vk["reconnects"], 0);
  for (const char* field : {"bitrate_kbps", "bytes", "last_error", "name"}) {
    EXPECT_TRUE(vk.contains(field)) << field;
  }
  // Neither the key nor the URL it would be appended to.
  EXPECT_FALSE(vk.contains("key"));
  EXPECT_FALSE(vk.contains("url"));
  EXPECT_EQ(state.dump().find(stream_key), std::string::npos);
  EXPECT_TRUE(state["programme"].contains("frames_encoded"));
}

TEST_F(ControlTest, TheBrowserTradesTheTokenForAnHttpOnlySessionCookie) {
  start_show();
  const auto refused = testing::http_post(port(), "/login", "token=not-the-token");
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.header("set-cookie"), "");

  const auto login = testing::http_post(port(), "/login", std::string("token=") + operator_token);
  EXPECT_EQ(login.status, 303);
  EXPECT_EQ(login.header("location"), "/");
  const std::string cookie = login.header("set-cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Path=/"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find(operator_token), std::string::npos) << "the cookie is not the token";
  const std::string session = session_from(login);
  ASSERT_EQ(session.size(), 64u);

  const std::string cookie_header = "Cookie: theme=dark; hallcast_session=" + session;
  const std::string origin = "Origin: http://127.0.0.1:" + std::to_string(port());
  auto browser = connect({cookie_header, origin});
  ASSERT_TRUE(browser->upgraded()) << browser->status();
  initial_state(*browser);
  EXPECT_EQ(browser->request({{"id", 1}, {"cmd", "scene.preview"}, {"scene", "wide"}})["ok"], true);

  // Another site's page cannot ride on the cookie.
  auto foreign = connect({cookie_header, "Origin: http://evil.example"});
  EXPECT_EQ(foreign->status(), 403);
  EXPECT_EQ(testing::http_post(port(), "/login", std::string("token=") + operator_token,
                               {"Origin: http://evil.example"})
                .status,
            403);

  EXPECT_EQ(testing::http_get(port(), "/login").status, 405);

  const auto logout = testing::http_post(port(), "/logout", "", {cookie_header});
  EXPECT_EQ(logout.status, 303);
  EXPECT_NE(logout.header("set-cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(connect({cookie_header})->status(), 401);
}

TEST_F(ControlTest, TheSessionRouteNamesTheCallersRole) {
  start_show();
  const auto anonymous = testing::http_get(port(), "/session");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(json::parse(anonymous.body)["error"], "unauthorized");
  EXPECT_EQ(testing::http_get(port(), "/session", {bearer("wrong")}).status, 401);
  EXPECT_EQ(testing::http_post(port(), "/session", "").status, 405);

  for (const auto& [token, role] :
       {std::pair{operator_token, "operator"}, std::pair{viewer_token, "viewer"}}) {
    const auto login = testing::http_post(port(), "/login", std::string("token=") + token);
    const auto by_cookie =
        testing::http_get(port(), "/session", {"Cookie: hallcast_session=" + session_from(login)});
    EXPECT_EQ(by_cookie.status, 200) << role;
    EXPECT_EQ(json::parse(by_cookie.body), json({{"role", role}}));
    const auto by_bearer = testing::http_get(port(), "/session", {bearer(token)});
    EXPECT_EQ(json::parse(by_bearer.body), json({{"role", role}}));
  }
}

TEST_F(ControlTest, TheViewerTokenWatchesButChangesNothing) {
  start_show();
  auto viewer = connect_viewer();
  ASSERT_TRUE(viewer->upgraded()) << viewer->status();
  EXPECT_EQ(initial_state(*viewer)["program"], "wide");

  const json refused = viewer->request({{"id", 1}, {"cmd", "scene.cut"}, {"scene", "close"}});
  EXPECT_EQ(refused["ok"], false);
  EXPECT_EQ(refused["error"], "read_only");
  const json muted =
      viewer->request({{"id", 2}, {"cmd", "audio.set"}, {"channel", "mic1"}, {"muted", true}});
  EXPECT_EQ(muted["error"], "read_only");

  EXPECT_EQ(viewer->request({{"id", 3}, {"cmd", "state.get"}})["ok"], true);
  const json state =
      viewer->wait_for([](const json& m) { return m.value("event", "") == "state"; });
  EXPECT_EQ(state["program"], "wide");
  EXPECT_EQ(state["audio"][0]["muted"], false);

  // It still sees what the operator does.
  auto op = connect_operator();
  initial_state(*op);
  op->request({{"id", 1}, {"cmd", "scene.cut"}, {"scene", "close"}});
  const json event =
      viewer->wait_for([](const json& m) { return m.value("event", "") == "program"; });
  EXPECT_EQ(event["scene"], "close");

  // The browser login gives a viewer session for the viewer token.
  const auto login = testing::http_post(port(), "/login", std::string("token=") + viewer_token);
  ASSERT_EQ(login.status, 303);
  auto browser = connect({"Cookie: hallcast_session=" + session_from(login)});
  ASSERT_TRUE(browser->upgraded());
  initial_state(*browser);
  EXPECT_EQ(browser->request({{"id", 1}, {"cmd", "scene.cut"}, {"scene", "wide"}})["error"],
            "read_only");
}

TEST_F(ControlTest, WithoutATokenEveryLocalClientIsAnOperatorAndTheLogSaysSo) {
  Setup open;
  open.operator_token = false;
  open.viewer_token = false;
  start_show(open);
  EXPECT_NE(captured_log().find("NO OPERATOR TOKEN"), std::string::npos);
  auto client = connect({});
  ASSERT_TRUE(client->upgraded()) << client->status();
  initial_state(*client);
  EXPECT_EQ(client->request({{"id", 1}, {"cmd", "scene.cut"}, {"scene", "close"}})["ok"], true);

  // Still not for other sites' pages: not by Origin, and not by a name re-pointed at
  // 127.0.0.1 (DNS rebinding), which arrives with the attacker's Host.
  EXPECT_EQ(connect({"Origin: http://evil.example"})->status(), 403);
  EXPECT_EQ(connect({"Host: evil.example:" + std::to_string(port()),
                     "Origin: http://evil.example:" + std::to_string(port())})
                ->status(),
            401);
  EXPECT_EQ(connect({"Host: localhost:" + std::to_string(port())})->status(), 101);
}

TEST_F(ControlTest, RefusesToListenBeyondLoopbackWithoutAToken) {
  Setup open;
  open.operator_token = false;
  open.host = "0.0.0.0";
  EXPECT_THROW(start_show(open), ControlError);
  open.host = "192.0.2.1";
  EXPECT_THROW(start_show(open), ControlError);
}

TEST_F(ControlTest, APortInUseIsAStartupError) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t size = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  Setup taken;
  taken.port = ntohs(address.sin_port);
  EXPECT_THROW(start_show(taken), ControlError);
  ::close(fd);
}

}  // namespace
}  // namespace hallcast::control
