// Guessing the tokens and abusing sessions: wrong tokens are throttled per address and
// overall, viewer logins cannot push an operator out, and logging out takes the
// session's WebSockets with it. Judged on HTTP statuses, cookies, close codes and what
// the show did.
#include <gtest/gtest.h>

#include "control_fixture.h"

namespace hallcast::control {
namespace {

using nlohmann::json;
using testing::HttpResponse;

class SessionTest : public ControlTest {
 protected:
  HttpResponse login_from(const std::string& source, std::string_view token) {
    const std::string body = "token=" + std::string(token);
    return testing::http_exchange_from(
        source, port(),
        "POST /login HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port()) +
            "\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            "Content-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body);
  }
  HttpResponse session_from_address(const std::string& source, std::string_view credential) {
    return testing::http_exchange_from(
        source, port(),
        "GET /session HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port()) +
            "\r\nConnection: close\r\n" + std::string(credential) + "\r\n\r\n");
  }
};

TEST_F(SessionTest, WrongTokensFromOneAddressAreThrottledWithoutComparingMore) {
  Setup setup;
  setup.login_throttle.per_address_burst = 3;
  setup.login_throttle.per_address_refill = std::chrono::minutes(1);
  start_show(setup);

  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(login_from("127.0.0.2", "guess" + std::to_string(i)).status, 401) << i;
  }
  // Its budget is spent: 429 with the time to wait, whatever it presents, and by any
  // route that takes a token.
  const auto refused = login_from("127.0.0.2", operator_token);
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.header("set-cookie"), "");
  const int wait = std::stoi(refused.header("retry-after"));
  EXPECT_GT(wait, 0);
  EXPECT_LE(wait, 60);
  const auto bearer_session = session_from_address("127.0.0.2", bearer(operator_token));
  EXPECT_EQ(bearer_session.status, 429);
  EXPECT_EQ(json::parse(bearer_session.body)["error"], "too_many_attempts");
  testing::WsClient::Options from_two;
  from_two.source = "127.0.0.2";
  from_two.headers = {bearer(operator_token)};
  EXPECT_EQ(testing::WsClient(port(), from_two).status(), 429);

  // Other addresses are not held up.
  EXPECT_EQ(login_from("127.0.0.3", operator_token).status, 303);
  EXPECT_EQ(session_from_address("127.0.0.1", bearer(viewer_token)).status, 200);

  const auto page = testing::http_get(port(), "/metrics", {bearer(operator_token)}).body;
  EXPECT_NE(page.find("\nhallcast_control_wrong_tokens_total 3\n"), std::string::npos) << page;
  EXPECT_NE(page.find("\nhallcast_control_throttled_total 3\n"), std::string::npos) << page;
}

TEST_F(SessionTest, WrongTokensFromManyAddressesAreThrottledOverall) {
  Setup setup;
  setup.login_throttle.overall_burst = 4;
  setup.login_throttle.overall_refill = std::chrono::minutes(1);
  start_show(setup);
  for (int i = 2; i < 6; ++i) {
    EXPECT_EQ(login_from("127.0.0." + std::to_string(i), "guess").status, 401) << i;
  }
  EXPECT_EQ(login_from("127.0.0.9", "guess").status, 429);
  // A session already open goes on working: only new tokens wait.
  EXPECT_EQ(connect_operator()->status(), 429);
}

TEST_F(SessionTest, ViewerLoginsNeverLogOutTheOperator) {
  start_show();
  const auto op = testing::http_post(port(), "/login", std::string("token=") + operator_token);
  const std::string op_session = session_from(op);
  ASSERT_FALSE(op_session.empty());
  // Far more viewer logins than there is room for viewer sessions.
  std::string first_viewer;
  for (std::size_t i = 0; i < Sessions::max_viewer_sessions + 20; ++i) {
    const auto viewer = testing::http_post(port(), "/login", std::string("token=") + viewer_token);
    ASSERT_EQ(viewer.status, 303) << i;
    if (i == 0)
      first_viewer = session_from(viewer);
  }
  const auto who =
      testing::http_get(port(), "/session", {"Cookie: hallcast_session=" + op_session});
  EXPECT_EQ(who.status, 200);
  EXPECT_EQ(who.body, R"({"role":"operator"})");
  // The viewers pushed out the oldest viewer session instead.
  EXPECT_EQ(
      testing::http_get(port(), "/session", {"Cookie: hallcast_session=" + first_viewer}).status,
      401);
}

TEST_F(SessionTest, LoggingOutClosesTheSessionsWebSockets) {
  start_show();
  const std::string origin = "Origin: http://127.0.0.1:" + std::to_string(port());
  const std::string cookie =
      "Cookie: hallcast_session=" +
      session_from(testing::http_post(port(), "/login", std::string("token=") + operator_token));
  const std::string other_cookie =
      "Cookie: hallcast_session=" +
      session_from(testing::http_post(port(), "/login", std::string("token=") + operator_token));
  auto panel = connect({cookie, origin});
  auto other_panel = connect({other_cookie, origin});
  ASSERT_TRUE(panel->upgraded());
  ASSERT_TRUE(other_panel->upgraded());
  initial_state(*panel);
  initial_state(*other_panel);
  auto watcher = connect_operator();
  EXPECT_EQ(initial_state(*watcher)["program"], "wide");

  ASSERT_EQ(testing::http_post(port(), "/logout", "", {cookie, origin}).status, 303);
  // What the logged-out panel asks now is not carried out...
  panel->send_text(R"({"id":9,"cmd":"scene.cut","scene":"close"})");
  // ...and the server closes it, saying why.
  EXPECT_EQ(panel->wait_for_close(3s), 4001);

  watcher->request({{"id", 2}, {"cmd", "state.get"}});
  const json state =
      watcher->wait_for([](const json& m) { return m.value("event", "") == "state"; });
  EXPECT_EQ(state["program"], "wide");
  EXPECT_EQ(connect({cookie, origin})->status(), 401);
  // The same operator's other session is not touched.
  EXPECT_EQ(other_panel->request({{"id", 1}, {"cmd", "state.get"}})["ok"], true);
}

}  // namespace
}  // namespace hallcast::control
