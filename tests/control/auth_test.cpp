// The pieces authentication is built from: token comparison, cookies, sessions, the
// login form, the listen address check, and which files the panel may serve.
#include "control/auth.h"

#include <gtest/gtest.h>

#include <fstream>

#include "control/listen_address.h"
#include "control/static_files.h"
#include "support/temp_dir.h"

namespace hallcast::control {
namespace {

TEST(Auth, ComparesTokensExactly) {
  EXPECT_TRUE(constant_time_equal("secret-token", "secret-token"));
  EXPECT_FALSE(constant_time_equal("secret-token", "secret-tokeN"));
  EXPECT_FALSE(constant_time_equal("secret-token", "secret-token2"));
  EXPECT_FALSE(constant_time_equal("secret-token", "secret-toke"));
  EXPECT_FALSE(constant_time_equal("secret-token", ""));
  // An unset token matches nothing, not even an empty one.
  EXPECT_FALSE(constant_time_equal("", ""));
  // A candidate that repeats the secret is not the secret.
  EXPECT_FALSE(constant_time_equal("ab", "abab"));
}

TEST(Auth, GrantsRolesByToken) {
  Authenticator auth({config::Secret("op"), config::Secret("view")});
  EXPECT_FALSE(auth.open());
  EXPECT_EQ(auth.role_for_token("op"), Role::operator_);
  EXPECT_EQ(auth.role_for_token("view"), Role::viewer);
  EXPECT_EQ(auth.role_for_token("nope"), Role::none);
  EXPECT_EQ(auth.role_for_token(""), Role::none);
  EXPECT_EQ(auth.role_for_authorization("Bearer op"), Role::operator_);
  EXPECT_EQ(auth.role_for_authorization("bearer  view "), Role::viewer);
  EXPECT_EQ(auth.role_for_authorization("Basic b3A="), Role::none);
  EXPECT_EQ(auth.role_for_authorization("op"), Role::none);

  Authenticator open({});
  EXPECT_TRUE(open.open());
  EXPECT_EQ(open.role_for_token("anything"), Role::operator_);
}

TEST(Auth, SessionsAreRandomAndLapse) {
  Sessions sessions;
  const auto now = Sessions::Clock::now();
  const std::string a = sessions.open(Role::operator_, now);
  const std::string b = sessions.open(Role::viewer, now);
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  EXPECT_EQ(sessions.find("x=1; hallcast_session=" + a + "; y=2", now), Role::operator_);
  EXPECT_EQ(sessions.find("hallcast_session=" + b, now), Role::viewer);
  EXPECT_EQ(sessions.find("hallcast_session=" + a.substr(1), now), Role::none);
  EXPECT_EQ(sessions.find("", now), Role::none);
  EXPECT_EQ(sessions.find("hallcast_session=" + a, now + Sessions::lifetime), Role::none);
  sessions.close("hallcast_session=" + a);
  EXPECT_EQ(sessions.find("hallcast_session=" + a, now), Role::none);
}

TEST(Auth, ForgetsTheOldestSessionPastTheLimit) {
  Sessions sessions;
  const auto now = Sessions::Clock::now();
  const std::string first = sessions.open(Role::operator_, now);
  for (std::size_t i = 0; i < Sessions::max_sessions; ++i)
    sessions.open(Role::viewer, now);
  EXPECT_EQ(sessions.find("hallcast_session=" + first, now), Role::none);
}

TEST(Auth, CookieIsHttpOnlyAndStrict) {
  const std::string cookie = session_cookie("abc");
  EXPECT_NE(cookie.find("hallcast_session=abc"), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
}

TEST(Auth, ReadsTheLoginForm) {
  EXPECT_EQ(form_field("token=abc", "token"), "abc");
  EXPECT_EQ(form_field("a=1&token=a%2Bb+c%3D&z", "token"), "a+b c=");
  EXPECT_EQ(form_field("tokens=1", "token"), "");
  EXPECT_EQ(form_field("token=%zz%4", "token"), "%zz%4");
}

TEST(ListenAddress, KnowsLoopback) {
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.8.0.1"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_TRUE(is_loopback_host("localhost"));
  EXPECT_FALSE(is_loopback_host("0.0.0.0"));
  EXPECT_FALSE(is_loopback_host("::"));
  EXPECT_FALSE(is_loopback_host("192.168.1.10"));
  EXPECT_FALSE(is_loopback_host("localhost.evil.example"));
  EXPECT_FALSE(is_loopback_host(""));
  EXPECT_EQ(bind_address("0.0.0.0"), "");
  EXPECT_EQ(bind_address("localhost"), "127.0.0.1");
}

TEST(StaticFiles, ServesOnlyRegularFilesUnderTheRoot) {
  testing::TempDir dir("hallcast-static");
  const auto web = dir.path() / "web";
  std::filesystem::create_directories(web / "css");
  std::filesystem::create_directories(web / "empty");
  std::ofstream(web / "index.html") << "hi";
  std::ofstream(web / "css" / "site.css") << "body{}";
  std::ofstream(web / ".hidden") << "no";
  std::ofstream(dir.path() / "secret.txt") << "no";
  std::filesystem::create_symlink(dir.path() / "secret.txt", web / "link.txt");

  StaticFiles files(web);
  ASSERT_TRUE(files.resolve("/"));
  EXPECT_EQ(files.resolve("/")->path.filename(), "index.html");
  EXPECT_EQ(files.resolve("/")->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(files.resolve("/css/site.css")->content_type, "text/css; charset=utf-8");
  using namespace std::literals;
  for (std::string_view path :
       {"/../secret.txt"sv, "/css/../../secret.txt"sv, "/link.txt"sv, "/.hidden"sv, "/empty"sv,
        "/empty/"sv, "/css"sv, "/nothing"sv, ""sv, "index.html"sv, "/css/..%2f..%2fsecret.txt"sv,
        "/%2e%2e/secret.txt"sv, "/css\\..\\index.html"sv, "/index.html\0.png"sv}) {
    EXPECT_FALSE(files.resolve(path)) << path;
  }
}

}  // namespace
}  // namespace hallcast::control
