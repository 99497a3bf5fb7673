// Stops one named thread of another process while the rest of it runs on: how a test
// makes hallcast's engine thread hang (a wedged GStreamer call, a deadlock) without
// changing hallcast. It uses ptrace, which stops a single thread; a signal such as
// SIGSTOP would stop the whole process.
//
// The thread stays stopped until the freeze is destroyed, or until its process ends;
// the freeze reaps it then, as ptrace requires of the tracer, so that the process's
// parent sees it exit.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <string>
#include <thread>

namespace hallcast::testing {

class ThreadFreeze {
 public:
  // Finds the thread named `name` (its comm) in process `pid` and stops it. ok() says
  // whether that worked; error() why not.
  ThreadFreeze(pid_t pid, const std::string& name);
  ~ThreadFreeze();
  ThreadFreeze(const ThreadFreeze&) = delete;
  ThreadFreeze& operator=(const ThreadFreeze&) = delete;

  bool ok() const { return tid_ > 0; }
  const std::string& error() const { return error_; }

 private:
  void reap();

  pid_t tid_ = -1;
  std::string error_;
  std::atomic<bool> ended_{false};
  std::atomic<bool> leaving_{false};
  std::thread reaper_;
};

}  // namespace hallcast::testing
