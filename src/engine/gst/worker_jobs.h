// The jobs hallcast hands to GStreamer's worker threads (gst_element_call_async),
// counted so that a stop can wait for them. The last of them may be the one to let go of
// an input's pipeline, and a pipeline let go of while the program exits logs into a
// logger that is already gone (it crashed an SRT camera's stop now and then).
//
// Shared: each job holds the counter until its data is freed, so a stop that stops
// waiting never leaves a job with a counter that is gone.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace hallcast::engine {

class WorkerJobs {
 public:
  // Before a job is queued.
  void begin();
  // When the job's data is freed (after whatever it let go of).
  void end();
  // Waits until no job is pending, at most `limit`; true if none is.
  bool wait_idle(std::chrono::milliseconds limit);

 private:
  std::mutex mutex_;
  std::condition_variable idle_;
  int pending_ = 0;
};

}  // namespace hallcast::engine
