#include "engine/gst/worker_jobs.h"

namespace hallcast::engine {

void WorkerJobs::begin() {
  std::lock_guard lock(mutex_);
  ++pending_;
}

void WorkerJobs::end() {
  std::lock_guard lock(mutex_);
  if (--pending_ == 0) {
    idle_.notify_all();
  }
}

bool WorkerJobs::wait_idle(std::chrono::milliseconds limit) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, limit, [this] { return pending_ == 0; });
}

}  // namespace hallcast::engine
