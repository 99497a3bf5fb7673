// The pieces of failure containment on their own: the engine thread's posted work and
// timers, the guard that keeps an optional branch's errors out of the tee feeding it,
// and the health board that turns failures into states and restarts.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/redactor.h"
#include "engine/engine_thread.h"
#include "engine/gst/branch_guard.h"
#include "engine/gst/contain.h"
#include "engine/gst/gst_build.h"
#include "engine/gst/gst_ptr.h"
#include "engine/health.h"

namespace hallcast::engine {
namespace {

using namespace std::chrono_literals;

// Failures as they were reported, for a test to wait on.
class Failures final : public FailureSink {
 public:
  struct Failure {
    std::string part;
    std::string unit;
    std::string what;
  };

  void failed(std::string_view part, std::string_view unit,
              std::string_view what) noexcept override {
    std::lock_guard lock(mutex_);
    seen_.push_back({std::string(part), std::string(unit), std::string(what)});
    changed_.notify_all();
  }

  // The first `count` failures, once there are that many (or what there is by then).
  std::vector<Failure> wait_for(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return seen_.size() >= count; });
    return seen_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Failure> seen_;
};

TEST(EngineThread, WorkThatThrowsIsReportedAndTheThreadGoesOn) {
  Failures failures;
  EngineThread thread(&failures);
  thread.post([] { throw std::runtime_error("posted work broke"); });
  // The thread still runs work, and answers.
  EXPECT_EQ(thread.call([] { return 42; }), 42);
  const auto seen = failures.wait_for(1, 2s);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].part, "engine");
  EXPECT_EQ(seen[0].unit, "work");
  EXPECT_EQ(seen[0].what, "posted work broke");
  // `call` still hands the work's own exception to its caller.
  EXPECT_THROW(thread.call([]() -> int { throw std::logic_error("mine"); }), std::logic_error);
}

TEST(EngineThread, ATimerThatThrowsKeepsTicking) {
  Failures failures;
  EngineThread thread(&failures);
  std::atomic<int> ticks{0};
  SourcePtr timer = thread.add_timer(5, [&] {
    ++ticks;
    throw std::runtime_error("tick " + std::to_string(ticks.load()));
  });
  const auto seen = failures.wait_for(3, 5s);
  ASSERT_GE(seen.size(), 3u);
  EXPECT_EQ(seen[0].unit, "timer");
  EXPECT_EQ(seen[0].what, "tick 1");
  EXPECT_EQ(seen[2].what, "tick 3");
  thread.call([&] { timer.reset(); });
}

// videotestsrc ─► tee ─┬─► queue ─► fakesink (counted)
//                      └─► queue ─► [bin: identity error-after=5 ─► fakesink]
// Unguarded, the identity's error returns through the queue into the tee, which then
// stops both branches; guarded, the first branch keeps going.
struct TeeWithABadBranch {
  // What the streaming threads write, first: it outlives the pipeline.
  std::mutex mutex;
  std::vector<std::string> reports;  // under mutex
  std::atomic<int> healthy_buffers{0};
  PipelineOwner pipeline;
  PadProbe counter;
  ElementPtr bad_branch;

  explicit TeeWithABadBranch(bool guarded) {
    gst_init(nullptr, nullptr);
    pipeline = PipelineOwner(parse_pipeline(
        "videotestsrc is-live=true ! video/x-raw,width=64,height=36,framerate=100/1 ! "
        "tee name=t ! queue ! fakesink name=good sync=false "
        "t. ! queue name=to-bad",
        "tee-test", "test"));
    bad_branch = parse_bin("identity error-after=5 ! fakesink sync=false", "bad-branch", "test");
    gst_bin_add(pipeline.bin(), bad_branch.get());
    ElementPtr to_bad = child_by_name(pipeline.get(), "to-bad", "test");
    link_or_throw(to_bad.get(), bad_branch.get(), "test");
    if (guarded) {
      PadPtr input = adopt(gst_element_get_static_pad(bad_branch.get(), "sink"));
      guard_branch(input.get(), [this](const std::string& what) {
        std::lock_guard lock(mutex);
        reports.push_back(what);
      });
    }
    ElementPtr good = child_by_name(pipeline.get(), "good", "test");
    PadPtr pad = adopt(gst_element_get_static_pad(good.get(), "sink"));
    counter = PadProbe::add(
        pad.get(), GST_PAD_PROBE_TYPE_BUFFER,
        [](GstPad*, GstPadProbeInfo*, gpointer data) {
          ++*static_cast<std::atomic<int>*>(data);
          return GST_PAD_PROBE_OK;
        },
        &healthy_buffers);
  }

  // Plays until the bad branch has failed (its error is on the bus).
  bool play_until_the_branch_fails() {
    gst_element_set_state(pipeline.get(), GST_STATE_PLAYING);
    BusPtr bus = adopt(gst_element_get_bus(pipeline.get()));
    MessagePtr error(gst_bus_timed_pop_filtered(bus.get(), 5 * GST_SECOND, GST_MESSAGE_ERROR));
    return error != nullptr;
  }
};

TEST(BranchGuard, AnErrorInsideTheBranchNeverStopsTheTeeFeedingIt) {
  {
    // Without the guard the tee stops: what came after the error is at most the few
    // buffers in flight, however long one waits.
    TeeWithABadBranch unguarded(false);
    ASSERT_TRUE(unguarded.play_until_the_branch_fails());
    std::this_thread::sleep_for(100ms);
    const int stopped_at = unguarded.healthy_buffers.load();
    std::this_thread::sleep_for(300ms);
    EXPECT_LT(unguarded.healthy_buffers.load() - stopped_at, 3);
  }

  TeeWithABadBranch guarded(true);
  ASSERT_TRUE(guarded.play_until_the_branch_fails());
  const int at_failure = guarded.healthy_buffers.load();
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (guarded.healthy_buffers.load() < at_failure + 30 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_GE(guarded.healthy_buffers.load(), at_failure + 30);
  std::lock_guard lock(guarded.mutex);
  ASSERT_EQ(guarded.reports.size(), 1u);  // once, however often the branch fails after
  EXPECT_NE(guarded.reports[0].find("error"), std::string::npos) << guarded.reports[0];
}

// The board's restarts and states, driven through its FailureSink face.
class HealthBoardTest : public ::testing::Test {
 protected:
  HealthBoardTest() : board_(redactor_), thread_(&board_) {
    redactor_.add("s3cr3t-key");
    board_.attach(thread_, [this](const show::PartHealth& part) {
      std::lock_guard lock(mutex_);
      changes_.push_back(part);
      changed_.notify_all();
    });
  }
  ~HealthBoardTest() override {
    thread_.call([this] { board_.clear_restarts(); });
  }

  // Waits until a change satisfies `pred`; returns it.
  std::optional<show::PartHealth> wait_for(const std::function<bool(const show::PartHealth&)>& pred,
                                           std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    std::optional<show::PartHealth> found;
    changed_.wait_for(lock, timeout, [&] {
      for (const auto& change : changes_) {
        if (pred(change)) {
          found = change;
          return true;
        }
      }
      return false;
    });
    return found;
  }

  // In the order the engine thread needs them to outlive it.
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<show::PartHealth> changes_;  // under mutex_
  common::Redactor redactor_;
  HealthBoard board_;
  EngineThread thread_;
};

TEST_F(HealthBoardTest, APartWithARestartIsRestartingUntilItsRestartHolds) {
  std::atomic<int> restarts{0};
  thread_.call([&] {
    board_.on_restart("multiview", [&](const std::string& unit) {
      EXPECT_EQ(unit, "program");
      // The first restart fails again: another failure, a longer wait.
      if (++restarts == 1) {
        throw std::runtime_error("still broken");
      }
    });
  });
  board_.failed("multiview", "program", "jpegenc failed for s3cr3t-key");
  const auto first = wait_for([](const auto& p) { return p.failures == 1; }, 2s);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->state, show::PartState::restarting);
  EXPECT_EQ(first->last_error, "program: jpegenc failed for ***");
  // The same failure heard again while it waits is not another one.
  board_.failed("multiview", "program", "jpegenc failed again");

  const auto second = wait_for([](const auto& p) { return p.failures == 2; }, 3s);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->last_error, "program: still broken");
  const auto back =
      wait_for([](const auto& p) { return p.failures == 2 && p.state == show::PartState::ok; }, 5s);
  ASSERT_TRUE(back);
  EXPECT_EQ(restarts.load(), 2);
}

TEST_F(HealthBoardTest, APartWithoutARestartCountsItsFailuresAndStaysOk) {
  board_.failed("engine", "listener", "boom");
  board_.failed("engine", "listener", "boom");
  const auto seen = wait_for([](const auto& p) { return p.failures == 2; }, 2s);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->part, "engine");
  EXPECT_EQ(seen->state, show::PartState::ok);
}

}  // namespace
}  // namespace hallcast::engine
