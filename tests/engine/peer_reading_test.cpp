// Telling a server that stopped reading from one that reads: first on the TCP states a
// sender sees (made up, as they were measured against nginx-rtmp), then on a real
// loopback connection whose reader stops while its socket stays open — the way a hung
// ingest server looks from hallcast.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "engine/outputs/peer_reading.h"
#include "engine/outputs/tagged_socket.h"

namespace hallcast::engine {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// 3 Mbit/s, sampled every half second as the lifecycle does.
constexpr std::uint64_t kPerTick = 3'000'000 / 8 / 2;
constexpr auto kTick = 500ms;

struct Feed {
  Clock::time_point at = Clock::now();
  std::uint64_t acked = 0;
  std::uint64_t window = 1'700'000;
  PeerReading reading;

  // One tick: `delivered` bytes acknowledged, `room` bytes of window the reader freed.
  std::string tick(std::uint64_t delivered, std::uint64_t room, std::uint64_t unsent = 0) {
    at += kTick;
    acked += delivered;
    window = window + room - std::min(window + room, delivered);
    return reading.add({at, acked, window, unsent});
  }
};

TEST(PeerReading, AServerThatReadsIsNeverJudgedHung) {
  Feed feed;
  for (int i = 0; i < 60; ++i) {
    EXPECT_EQ(feed.tick(kPerTick, kPerTick), "") << "tick " << i;
  }
}

TEST(PeerReading, AServerThatReadsInBurstsASecondApartIsNeverJudgedHung) {
  Feed feed;
  for (int i = 0; i < 60; ++i) {
    // Nothing read for a tick, then both ticks' worth at once.
    EXPECT_EQ(feed.tick(kPerTick, i % 2 == 1 ? 2 * kPerTick : 0), "") << "tick " << i;
  }
}

TEST(PeerReading, AServerThatStopsReadingIsJudgedHungWithinItsSpan) {
  Feed feed;
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(feed.tick(kPerTick, kPerTick), "");
  }
  // Stopped: its kernel goes on acknowledging, its buffer grows a little by itself
  // (3 % of what arrives, as measured), the window shrinks.
  int ticks = 0;
  std::string verdict;
  while (verdict.empty() && ticks < 20) {
    verdict = feed.tick(kPerTick, kPerTick * 3 / 100);
    ++ticks;
  }
  EXPECT_NE(verdict.find("stopped reading"), std::string::npos) << verdict;
  // A span (2.5 s) of not reading, and one tick to see it.
  EXPECT_LE(ticks * kTick, PeerReading::kSpan + kTick) << verdict;
}

// A thin programme (a still picture and its sound, in small segments), as a stopped
// nginx-rtmp took it on loopback: its edge still moved by 85 % of what it acknowledged,
// and its window, stuck for a second at a time, only ever shrank.
TEST(PeerReading, AServerThatStopsReadingAThinStreamIsJudgedHungWithinItsSpan) {
  Feed feed;
  feed.window = 140'000;
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(feed.tick(10'000, 10'000), "");
  }
  int ticks = 0;
  std::string verdict;
  while (verdict.empty() && ticks < 20) {
    // Two ticks of 85 % room, then one where the window stays where it was.
    verdict = ticks % 3 == 2 ? feed.tick(10'000, 10'000) : feed.tick(10'000, 8'500);
    ++ticks;
  }
  EXPECT_NE(verdict.find("stopped reading"), std::string::npos) << verdict;
  EXPECT_LE(ticks * kTick, PeerReading::kSpan + kTick) << verdict;
}

// A server that reads, seen now and then just before it reads (data waiting in its
// buffer), for a few looks in a row: never judged hung while it gets back to its open
// window at least once a span.
TEST(PeerReading, AServerThatReadsSeenBeforeItsReadsIsNeverJudgedHung) {
  Feed feed;
  for (int i = 0; i < 60; ++i) {
    // Four looks in five with data waiting, less each time, then all read.
    const int phase = i % 5;
    const std::uint64_t room = phase == 4 ? kPerTick + 4 * 20'000 : kPerTick - 20'000;
    EXPECT_EQ(feed.tick(kPerTick, room), "") << "tick " << i;
  }
}

TEST(PeerReading, AWindowThatStaysShutWithDataWaitingIsJudgedHung) {
  Feed feed;
  feed.window = 0;
  std::string verdict;
  int ticks = 0;
  while (verdict.empty() && ticks < 20) {
    verdict = feed.tick(0, 0, 100'000);
    ++ticks;
  }
  EXPECT_NE(verdict.find("window is shut"), std::string::npos) << verdict;
  EXPECT_LE(ticks * kTick, PeerReading::kSpan + kTick);
}

TEST(PeerReading, AStreamTooThinToJudgeByIsNeverJudged) {
  Feed feed;
  for (int i = 0; i < 60; ++i) {
    // 20 kbit/s into a reader that stopped: not enough to tell from noise.
    EXPECT_EQ(feed.tick(1250, 0), "") << "tick " << i;
  }
}

// --- a real connection -------------------------------------------------------------

// A loopback TCP connection: `sender` writes about 3 Mbit/s until told to stop, the
// other end reads while `reading` is set and otherwise leaves its socket alone.
class Connection {
 public:
  Connection() {
    const int listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    EXPECT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(listen(listener, 1), 0);
    EXPECT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
    sender_ = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_EQ(connect(sender_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    receiver_ = accept(listener, nullptr, nullptr);
    close(listener);
    writer_ = std::thread([this] {
      const std::vector<char> chunk(kPerTick / 15, 'x');  // every 33 ms
      while (!done_) {
        if (send(sender_, chunk.data(), chunk.size(), MSG_DONTWAIT) < 0) {
          // The window is shut and our buffer full: as a sink would, wait.
        }
        std::this_thread::sleep_for(33ms);
      }
    });
    reader_ = std::thread([this] {
      std::vector<char> buffer(64 * 1024);
      while (!done_) {
        if (!reading_ || recv(receiver_, buffer.data(), buffer.size(), MSG_DONTWAIT) <= 0) {
          std::this_thread::sleep_for(5ms);
        }
      }
    });
  }
  ~Connection() {
    done_ = true;
    writer_.join();
    reader_.join();
    close(sender_);
    close(receiver_);
  }

  int sender() const { return sender_; }
  void stop_reading() { reading_ = false; }

 private:
  int sender_ = -1;
  int receiver_ = -1;
  std::atomic<bool> reading_{true};
  std::atomic<bool> done_{false};
  std::thread writer_;
  std::thread reader_;
};

TEST(PeerReading, ATaggedConnectionIsFoundAndItsReaderStoppingIsNoticed) {
  Connection connection;
  const std::uint32_t tag = TaggedSocket::next_tag_kbps();
  TaggedSocket socket(tag);
  EXPECT_FALSE(socket.sample()) << "no socket carries the tag yet";
  const std::uint32_t rate = tag * 125;  // what rtmp2sink sets for peak-kbps
  ASSERT_EQ(setsockopt(connection.sender(), SOL_SOCKET, SO_MAX_PACING_RATE, &rate, sizeof rate), 0);

  PeerReading reading;
  const auto reading_until = Clock::now() + 4s;
  while (Clock::now() < reading_until) {
    const auto sample = socket.sample();
    ASSERT_TRUE(sample) << "the tagged socket was not found";
    EXPECT_EQ(reading.add(*sample), "") << "judged hung while reading";
    std::this_thread::sleep_for(kTick);
  }

  connection.stop_reading();
  const auto stopped = Clock::now();
  std::string verdict;
  while (verdict.empty() && Clock::now() - stopped < 10s) {
    std::this_thread::sleep_for(kTick);
    const auto sample = socket.sample();
    ASSERT_TRUE(sample);
    verdict = reading.add(*sample);
  }
  const double took = std::chrono::duration<double>(Clock::now() - stopped).count();
  std::cerr << "[          ] judged " << took << " s after the reader stopped: " << verdict << "\n";
  EXPECT_NE(verdict.find("stopped reading"), std::string::npos) << verdict;
  EXPECT_LE(took, 3.5);
}

}  // namespace
}  // namespace hallcast::engine
