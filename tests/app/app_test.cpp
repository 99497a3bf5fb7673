// The program's own pieces: the command line's --state-dir and the systemd
// watchdog's rule for "alive".
#include <gtest/gtest.h>

#include "app/cli.h"
#include "app/service_notifier.h"

namespace hallcast::app {
namespace {

using namespace std::chrono_literals;

TEST(CommandLineParseTest, StateDirDefaultsToStateInTheWorkingFolder) {
  std::string error;
  const auto cl = parse_command_line({"run"}, error);
  ASSERT_TRUE(cl.has_value()) << error;
  EXPECT_EQ(cl->state_dir, "state");
}

TEST(CommandLineParseTest, StateDirTakesAFolder) {
  std::string error;
  auto cl = parse_command_line({"run", "--state-dir", "/var/lib/hallcast"}, error);
  ASSERT_TRUE(cl.has_value()) << error;
  EXPECT_EQ(cl->state_dir, "/var/lib/hallcast");
  cl = parse_command_line({"run", "--state-dir=show-a"}, error);
  ASSERT_TRUE(cl.has_value()) << error;
  EXPECT_EQ(cl->state_dir, "show-a");
}

TEST(CommandLineParseTest, StateDirNeedsAFolder) {
  std::string error;
  EXPECT_FALSE(parse_command_line({"run", "--state-dir"}, error).has_value());
  EXPECT_NE(error.find("--state-dir"), std::string::npos);
  error.clear();
  EXPECT_FALSE(parse_command_line({"run", "--state-dir="}, error).has_value());
  EXPECT_NE(error.find("--state-dir"), std::string::npos);
  EXPECT_NE(usage().find("--state-dir"), std::string::npos);
}

TEST(LivenessTest, AliveOnlyOnceFramesCame) {
  Liveness l;
  const auto t0 = Liveness::Clock::now();
  l.beat(0, t0);
  EXPECT_FALSE(l.alive(t0));
  l.beat(1, t0 + 10ms);
  EXPECT_TRUE(l.alive(t0 + 10ms));
}

TEST(LivenessTest, AWedgedEngineThreadStopsBeating) {
  Liveness l;
  const auto t0 = Liveness::Clock::now();
  l.beat(30, t0);
  EXPECT_TRUE(l.alive(t0 + Liveness::kMaxSilence));
  EXPECT_FALSE(l.alive(t0 + Liveness::kMaxSilence + 1ms));
}

TEST(LivenessTest, AStuckProgrammeBeatsWithoutNewFrames) {
  Liveness l;
  const auto t0 = Liveness::Clock::now();
  l.beat(30, t0);
  auto t = t0;
  while (t < t0 + 2 * Liveness::kMaxSilence) {
    t += 500ms;
    l.beat(30, t);  // the engine turns, the frame count stands still
  }
  EXPECT_FALSE(l.alive(t));
  l.beat(31, t + 1ms);
  EXPECT_TRUE(l.alive(t + 1ms));
}

}  // namespace
}  // namespace hallcast::app
