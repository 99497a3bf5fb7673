// What a hostile client on the hall's network can cost the control server: connections
// held open without a request (per address and in total), requests that arrive a byte
// at a time, bodies framed so that a proxy in front and hallcast would read them
// differently. Each is played over raw sockets from several loopback addresses, and
// judged on what the server answers and when it lets go of the connection.
#include <gtest/gtest.h>

#include <regex>
#include <thread>

#include "control_fixture.h"
#include "support/raw_connection.h"

namespace hallcast::control {
namespace {

using testing::RawConnection;
using Clock = std::chrono::steady_clock;

// The value of one sample in a /metrics page; -1 if absent.
double metric(const std::string& page, const std::string& name) {
  std::smatch match;
  if (!std::regex_search(page, match, std::regex("\n" + name + " ([-0-9.e+]+)\n"))) {
    return -1;
  }
  return std::stod(match[1]);
}

// Half a request line: what a slowloris client sends, and then nothing.
constexpr std::string_view half_request = "GET / HT";

std::vector<RawConnection> open_connections(int port, const std::string& source, int count) {
  std::vector<RawConnection> connections;
  for (int i = 0; i < count; ++i) {
    connections.emplace_back(port, source);
    connections.back().send(half_request);
  }
  return connections;
}

std::size_t count_closed(std::vector<RawConnection>& connections) {
  std::size_t closed = 0;
  for (auto& connection : connections) {
    closed += connection.closed_by_server() ? 1 : 0;
  }
  return closed;
}

class LimitsTest : public ControlTest {
 protected:
  std::string healthz_from(const std::string& source) {
    return std::to_string(testing::http_exchange_from(source, port(),
                                                      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                      "Connection: close\r\n\r\n",
                                                      2s)
                              .status);
  }
};

TEST_F(LimitsTest, OneAddressCannotHoldMoreThanItsShare) {
  Setup setup;
  setup.connection_limits = {.per_address = 8, .total = 64};
  start_show(setup);

  auto flood = open_connections(port(), "127.0.0.2", 20);
  // The first 8 are held (until the request timeout); the other 12 are closed as soon
  // as they are accepted.
  EXPECT_EQ(testing::wait_until_closed(flood, 1s), 12u);
  EXPECT_EQ(count_closed(flood), 12u);

  // Everyone else is served meanwhile, WebSockets included.
  EXPECT_EQ(healthz_from("127.0.0.1"), "200");
  auto op = connect_operator();
  ASSERT_TRUE(op->upgraded()) << op->status();
  initial_state(*op);

  // The same address is turned away while it holds its share.
  EXPECT_EQ(healthz_from("127.0.0.2"), "0");

  const auto page = testing::http_get(port(), "/metrics", {bearer(operator_token)}).body;
  EXPECT_EQ(metric(page, "hallcast_control_connections_refused_total"), 13) << page;
  EXPECT_EQ(metric(page, "hallcast_control_connections"), 10) << page;  // 8, op, this one
}

TEST_F(LimitsTest, PastTheTotalNewConnectionsAreClosedUntilSomeLeave) {
  Setup setup;
  setup.connection_limits = {.per_address = 8, .total = 16};
  start_show(setup);

  auto a = open_connections(port(), "127.0.0.2", 8);
  auto b = open_connections(port(), "127.0.0.3", 8);
  auto c = open_connections(port(), "127.0.0.4", 4);
  EXPECT_EQ(testing::wait_until_closed(c, 2s), 4u);
  EXPECT_EQ(count_closed(a) + count_closed(b), 0u);
  EXPECT_EQ(healthz_from("127.0.0.1"), "0");

  // One address gives its connections up: their slots are free again at once.
  a.clear();
  std::string status;
  for (const auto deadline = Clock::now() + 2s; status != "200" && Clock::now() < deadline;) {
    status = healthz_from("127.0.0.1");
  }
  EXPECT_EQ(status, "200");
}

TEST_F(LimitsTest, AClientThatSendsNothingOrDribblesIsClosedAfterTheRequestTimeout) {
  Setup setup;
  setup.request_timeout = 1s;
  start_show(setup);

  RawConnection silent(port());
  RawConnection half(port());
  half.send(half_request);
  // A slowloris client: a header byte every 200 ms, never the blank line.
  RawConnection dribbling(port());
  dribbling.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
  // A kept-alive connection whose next request never comes.
  RawConnection idle(port());
  idle.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  // A login whose body trickles in: each byte in time, the whole never.
  RawConnection trickle(port());
  trickle.send(
      "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
      "application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\ntoken=");

  const auto start = Clock::now();
  bool dribble_sent = true;
  while (Clock::now() - start < 4s) {
    if (silent.closed_by_server() && half.closed_by_server() && dribbling.closed_by_server() &&
        idle.closed_by_server() && trickle.closed_by_server()) {
      break;
    }
    dribble_sent = dribbling.send("x") && dribble_sent;
    trickle.send("x");
    std::this_thread::sleep_for(200ms);
  }
  const auto took = Clock::now() - start;
  EXPECT_TRUE(silent.closed_by_server());
  EXPECT_TRUE(half.closed_by_server());
  EXPECT_TRUE(dribbling.closed_by_server());
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_TRUE(trickle.closed_by_server());
  EXPECT_LT(took, 3s);
  EXPECT_EQ(healthz_from("127.0.0.1"), "200");
}

// One connection, one request that carries another inside its body, then a look at
// everything the server answered on it.
std::string exchange_whole(int port, std::string_view request) {
  RawConnection connection(port);
  connection.send(request);
  return connection.read_until_closed(3s);
}

int count_responses(const std::string& received) {
  int count = 0;
  for (auto at = received.find("HTTP/1.1 "); at != std::string::npos;
       at = received.find("HTTP/1.1 ", at + 1)) {
    ++count;
  }
  return count;
}

TEST_F(ControlTest, ABodyItDoesNotReadIsRefusedAndTheConnectionClosed) {
  start_show();
  const std::string host = "Host: 127.0.0.1:" + std::to_string(port()) + "\r\n";
  // What a front proxy would see as one request with a body, and a server that reads
  // bodies differently as two: the second asks for the metrics with a stolen token.
  const std::string smuggled =
      "GET /session HTTP/1.1\r\n" + host + "Authorization: Bearer " + operator_token + "\r\n\r\n";
  const std::string chunk = std::to_string(smuggled.size());
  struct Case {
    std::string name;
    std::string request;
    std::string status;
  };
  const std::vector<Case> cases = {
      {"chunked login",
       "POST /login HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled,
       "400"},
      {"chunked with a length",
       "POST /login HTTP/1.1\r\n" + host +
           "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n" + "0\r\n\r\n" + smuggled,
       "400"},
      {"login without a length", "POST /login HTTP/1.1\r\n" + host + "\r\n" + smuggled, "411"},
      {"two lengths",
       "POST /login HTTP/1.1\r\n" + host + "Content-Length: 0\r\nContent-Length: " +
           std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled,
       "400"},
      {"signed length", "POST /login HTTP/1.1\r\n" + host + "Content-Length: +0\r\n\r\n" + smuggled,
       "400"},
      {"negative length",
       "POST /login HTTP/1.1\r\n" + host + "Content-Length: -1\r\n\r\n" + smuggled, "400"},
      {"a GET with a body",
       "GET /healthz HTTP/1.1\r\n" + host + "Content-Length: " + std::to_string(smuggled.size()) +
           "\r\n\r\n" + smuggled,
       "400"},
      {"a POST elsewhere",
       "POST /healthz HTTP/1.1\r\n" + host + "Content-Length: " + std::to_string(smuggled.size()) +
           "\r\n\r\n" + smuggled,
       "405"},
      {"another method", "PUT /index.html HTTP/1.1\r\n" + host + "\r\n" + smuggled, "405"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string received = exchange_whole(port(), c.request);
    EXPECT_TRUE(received.starts_with("HTTP/1.1 " + c.status)) << received;
    EXPECT_EQ(count_responses(received), 1) << received;
    EXPECT_EQ(received.find("operator"), std::string::npos) << received;
  }
  // A proper login, kept alive, is still answered in full and the connection stays
  // usable for the next request.
  const std::string body = std::string("token=") + operator_token;
  const std::string received = exchange_whole(
      port(), "POST /login HTTP/1.1\r\n" + host +
                  "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body + "GET /healthz HTTP/1.1\r\n" +
                  host + "Connection: close\r\n\r\n");
  EXPECT_TRUE(received.starts_with("HTTP/1.1 303")) << received;
  EXPECT_EQ(count_responses(received), 2) << received;
}

TEST_F(ControlTest, OversizedHeadersAreRefusedAndTheServerCarriesOn) {
  start_show();
  const std::string host = "Host: 127.0.0.1:" + std::to_string(port()) + "\r\n";
  std::string many;  // 22 KiB of small headers
  for (int i = 0; i < 2000; ++i) {
    many += "X-H" + std::to_string(i) + ": v\r\n";
  }
  for (const std::string& request :
       {"GET / HTTP/1.1\r\n" + host + "Cookie: " + std::string(20000, 'a') + "\r\n\r\n",
        "GET /" + std::string(20000, 'a') + " HTTP/1.1\r\n" + host + "\r\n",
        "GET / HTTP/1.1\r\n" + host + many + "\r\n"}) {
    const std::string received = exchange_whole(port(), request);
    EXPECT_FALSE(received.starts_with("HTTP/1.1 200")) << received.substr(0, 200);
  }
  EXPECT_EQ(testing::http_get(port(), "/healthz").status, 200);
}

}  // namespace
}  // namespace hallcast::control
