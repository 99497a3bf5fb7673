// The log sink's treatment of each line: control characters escaped so that no text
// can start a line of its own, and repeats held back with their count reported.
#include <gtest/gtest.h>

#include "app/log_lines.h"

namespace hallcast::app {
namespace {

using namespace std::chrono_literals;
using Clock = RepeatLimiter::Clock;

TEST(EscapeControls, NoTextCanStartALineOfItsOwn) {
  EXPECT_EQ(escape_controls("label\n2026-01-01 00:00:00.000 info  forged"),
            "label\\n2026-01-01 00:00:00.000 info  forged");
  EXPECT_EQ(escape_controls("a\rb\tc\x1b[31md\x7f"), "a\\rb\\tc\\x1b[31md\\x7f");
  EXPECT_EQ(escape_controls(std::string("nul\0here", 8)), "nul\\x00here");
  // C1 controls and the Unicode separators, which some viewers take as line ends.
  EXPECT_EQ(escape_controls("a\xc2\x85"
                            "b\xe2\x80\xa8"
                            "c\xe2\x80\xa9"
                            "d\xc2\x9b"),
            "a\\u0085b\\u2028c\\u2029d\\u009b");
  // Bytes that are not UTF-8 (a lone C1 byte among them) are shown, not passed on.
  EXPECT_EQ(escape_controls("x\x9b"
                            "y\xff"
                            "z\xe2\x80"),
            "x\\x9by\\xffz\\xe2\\x80");
  EXPECT_EQ(escape_controls("\xc0\xae"), "\\xc0\\xae");  // an overlong '.'
}

TEST(EscapeControls, LeavesOrdinaryTextAlone) {
  const std::string text = "Круглый стол — 円卓 \"quoted\" {json} 100% ok 🎤";
  EXPECT_EQ(escape_controls(text), text);
}

TEST(RepeatLimiter, WritesAFewASecondAndCountsTheRest) {
  RepeatLimiter limiter;
  const auto t0 = Clock::now();
  int written = 0;
  for (int i = 0; i < 1000; ++i) {
    // Numbers differ from line to line; the message is the same.
    const auto d = limiter.admit(4, "control: lws: accept: errno 24 fd " + std::to_string(i),
                                 t0 + std::chrono::microseconds(i * 100));
    written += d.write ? 1 : 0;
    EXPECT_EQ(d.held_before, 0u);
  }
  EXPECT_EQ(written, 5);
  // A second later it comes back: written, with the count of those held back.
  const auto back = limiter.admit(4, "control: lws: accept: errno 24 fd 7", t0 + 1100ms);
  EXPECT_TRUE(back.write);
  EXPECT_EQ(back.held_before, 995u);
  EXPECT_EQ(back.held_sample, "control: lws: accept: errno 24 fd 5");
}

TEST(RepeatLimiter, ReportsWhatWasHeldBackOnceTheMessageStops) {
  RepeatLimiter limiter;
  const auto t0 = Clock::now();
  for (int i = 0; i < 8; ++i) {
    limiter.admit(3, "refused a connection from 10.0.0.7", t0);
  }
  EXPECT_TRUE(limiter.take_expired(t0 + 500ms).empty());
  const auto held = limiter.take_expired(t0 + 1500ms);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].count, 3u);
  EXPECT_EQ(held[0].level, 3);
  EXPECT_EQ(held[0].sample, "refused a connection from 10.0.0.7");
  EXPECT_TRUE(limiter.take_expired(t0 + 3s).empty());
}

TEST(RepeatLimiter, DifferentMessagesAndLevelsAreCountedApart) {
  RepeatLimiter limiter;
  const auto t0 = Clock::now();
  for (int i = 0; i < 20; ++i) {
    limiter.admit(4, "accept failed", t0);
  }
  EXPECT_TRUE(limiter.admit(4, "output rec: live", t0).write);
  EXPECT_TRUE(limiter.admit(2, "accept failed", t0).write);
}

TEST(RepeatLimiter, ManyDistinctMessagesShareOneLimitPastTheTable) {
  RepeatLimiter limiter({.per_window = 5, .window = 1s, .max_messages = 16});
  const auto t0 = Clock::now();
  int written = 0;
  for (int i = 0; i < 1000; ++i) {
    std::string distinct = "message ";
    for (int v = i; v > 0; v /= 26) {
      distinct += static_cast<char>('a' + v % 26);
    }
    written += limiter.admit(4, distinct, t0).write ? 1 : 0;
  }
  EXPECT_LE(written, 16 + 5);
}

TEST(RepeatKey, TakesEveryNumberAsEqual) {
  EXPECT_EQ(repeat_key(1, "client 17 from 10.0.0.5 at 0x7ffe12ab"),
            repeat_key(1, "client 18 from 10.0.0.66 at 0xdeadbeef"));
  EXPECT_NE(repeat_key(1, "client connected"), repeat_key(1, "client disconnected"));
  EXPECT_NE(repeat_key(1, "x"), repeat_key(2, "x"));
}

}  // namespace
}  // namespace hallcast::app
