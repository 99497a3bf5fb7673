// The pieces authentication is built from: token comparison, cookies, sessions, the
// login form, the listen address check, which files the panel may serve, and the
// limits on wrong tokens and on connections.
#include "control/auth.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <fstream>

#include "control/connection_limits.h"
#include "control/listen_address.h"
#include "control/login_throttle.h"
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

TEST(Auth, PastItsRoomARoleForgetsOnlyItsOwnOldestSession) {
  Sessions sessions;
  const auto now = Sessions::Clock::now();
  const std::string op = sessions.open(Role::operator_, now);
  const std::string first_viewer = sessions.open(Role::viewer, now);
  for (std::size_t i = 0; i < Sessions::max_viewer_sessions; ++i)
    sessions.open(Role::viewer, now);
  EXPECT_EQ(sessions.find("hallcast_session=" + op, now), Role::operator_);
  EXPECT_EQ(sessions.find("hallcast_session=" + first_viewer, now), Role::none);

  for (std::size_t i = 0; i < Sessions::max_operator_sessions; ++i)
    sessions.open(Role::operator_, now);
  EXPECT_EQ(sessions.find("hallcast_session=" + op, now), Role::none);
}

TEST(Auth, ClosingASessionNamesIt) {
  Sessions sessions;
  const auto now = Sessions::Clock::now();
  const std::string a = sessions.open(Role::operator_, now);
  EXPECT_EQ(sessions.close("x=1; hallcast_session=" + a), a);
  EXPECT_EQ(sessions.close("hallcast_session=" + a), "");
  EXPECT_EQ(sessions.close(""), "");
  EXPECT_EQ(sessions.find_id(a, now), Role::none);
}

TEST(LoginThrottle, TenWrongTokensThenOneEverySixSecondsPerAddress) {
  LoginThrottle throttle;
  const auto t0 = LoginThrottle::Clock::now();
  for (int i = 0; i < 10; ++i) {
    EXPECT_FALSE(throttle.wait("10.0.0.5", t0)) << i;
    throttle.failed("10.0.0.5", t0);
  }
  ASSERT_TRUE(throttle.wait("10.0.0.5", t0));
  EXPECT_EQ(*throttle.wait("10.0.0.5", t0), std::chrono::seconds(6));
  EXPECT_FALSE(throttle.wait("10.0.0.6", t0));
  EXPECT_TRUE(throttle.wait("10.0.0.5", t0 + std::chrono::seconds(5)));
  EXPECT_FALSE(throttle.wait("10.0.0.5", t0 + std::chrono::seconds(6)));
}

TEST(LoginThrottle, SixtyWrongTokensFromAnywhereThenOneASecond) {
  LoginThrottle throttle;
  const auto t0 = LoginThrottle::Clock::now();
  for (int i = 0; i < 60; ++i) {
    throttle.failed("10.0.1." + std::to_string(i), t0);
  }
  EXPECT_TRUE(throttle.wait("10.0.2.1", t0));
  EXPECT_FALSE(throttle.wait("10.0.2.1", t0 + std::chrono::seconds(1)));
}

TEST(ConnectionLimits, CountPerAddressAndInTotal) {
  ConnectionLimits limits({.per_address = 2, .total = 3});
  using V = ConnectionLimits::Verdict;
  EXPECT_EQ(limits.admit("a"), V::admitted);
  EXPECT_EQ(limits.admit("a"), V::admitted);
  EXPECT_EQ(limits.admit("a"), V::over_address);
  EXPECT_EQ(limits.admit("b"), V::admitted);
  EXPECT_EQ(limits.admit("c"), V::over_total);
  EXPECT_EQ(limits.open(), 3u);
  limits.release("a");
  EXPECT_EQ(limits.admit("c"), V::admitted);
  limits.release("never-admitted");
  EXPECT_EQ(limits.open(), 3u);
}

TEST(ConnectionLimits, KeepToAShareOfTheOpenFileLimit) {
  const ConnectionLimitSettings wanted;
  EXPECT_EQ(within_descriptor_limit(wanted, 1024).total, 128u);
  EXPECT_EQ(within_descriptor_limit(wanted, 1024).per_address, 32u);
  EXPECT_EQ(within_descriptor_limit(wanted, 1u << 20).total, 256u);
  EXPECT_EQ(within_descriptor_limit(wanted, 64).total, 8u);
  EXPECT_EQ(within_descriptor_limit(wanted, 64).per_address, 8u);
  EXPECT_EQ(within_descriptor_limit(wanted, 1).total, 1u);
}

TEST(ConnectionLimits, CountAnIpv6HostByItsSlash64) {
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  inet_pton(AF_INET6, "2001:db8:1:2:aaaa:bbbb:cccc:dddd", &a.sin6_addr);
  sockaddr_in6 b = a;
  inet_pton(AF_INET6, "2001:db8:1:2::1", &b.sin6_addr);
  sockaddr_in6 mapped = a;
  inet_pton(AF_INET6, "::ffff:10.0.0.5", &mapped.sin6_addr);
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  inet_pton(AF_INET, "10.0.0.5", &v4.sin_addr);
  const auto key = [](const auto& address) {
    return address_key(reinterpret_cast<const sockaddr*>(&address), sizeof(address));
  };
  EXPECT_EQ(key(a), "2001:db8:1:2::/64");
  EXPECT_EQ(key(a), key(b));
  EXPECT_EQ(key(mapped), "10.0.0.5");
  EXPECT_EQ(key(v4), "10.0.0.5");
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
