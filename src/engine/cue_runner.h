// The schedule on the air: each pending cue runs at its time, on the engine thread,
// through the same typed command an operator's would be (so its reply is the same), and
// an operator may run a cue now or skip it. The timer is set for the next cue's very
// moment, to the millisecond; its command then lands on the programme's next frame.
//
// The wall clock is what a schedule speaks of; the timer counts on the monotonic one.
// So a wait never runs longer than kLongestWait before the wall clock is read again: a
// clock set right (NTP) while the show runs moves the cues with it.
//
// All methods run on the engine thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <vector>

#include "engine/engine_thread.h"
#include "show/commands.h"
#include "show/state.h"

namespace hallcast::engine {

class CueRunner {
 public:
  static constexpr std::chrono::milliseconds kLongestWait{5000};

  using Execute = std::function<show::Reply(const show::Command&)>;
  // A cue changed (ran, failed or was skipped); it is in the schedule already.
  using Changed = std::function<void(const show::CueStatus&)>;

  // `schedule` is the show's cue list, which this keeps; `execute` runs a command as
  // the engine runs an operator's.
  CueRunner(EngineThread& thread, std::vector<show::CueStatus>& schedule, Execute execute,
            Changed changed);

  void start();  // cues run from now on
  void stop();   // and no more

  show::Reply run_now(std::size_t index);  // cue.run
  show::Reply skip(std::size_t index);     // cue.skip

 private:
  void arm();
  void run_due();
  void run(show::CueStatus& cue);

  EngineThread& thread_;
  std::vector<show::CueStatus>& schedule_;
  Execute execute_;
  Changed changed_;
  bool running_ = false;
  std::vector<std::size_t> active_;  // cues whose command runs now (one may run another)
  SourcePtr timer_;
};

}  // namespace hallcast::engine
