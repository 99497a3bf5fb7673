// The one thread that owns every pipeline. It runs a GLib main context: bus watches,
// timers and posted work all run here, one at a time, so engine state needs no locks.
// Other threads hand it work with `post` (fire and forget) or `call` (wait for the
// result).
//
// Posted work, timers and timeouts that throw do not end the thread: the exception is
// handed to the FailureSink (charged to the part "engine"), and a timer goes on ticking.
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <thread>
#include <type_traits>

#include "engine/gst/contain.h"
#include "engine/gst/gst_ptr.h"
#include "engine/gst/worker_jobs.h"

namespace hallcast::engine {

class EngineThread {
 public:
  // `failures` (may be null) must outlive this thread.
  explicit EngineThread(FailureSink* failures = nullptr);
  // Stops the loop and joins; then waits a little for the jobs handed to GStreamer's
  // workers (worker_jobs()) to finish.
  ~EngineThread();
  EngineThread(const EngineThread&) = delete;
  EngineThread& operator=(const EngineThread&) = delete;

  GMainContext* context() const { return context_.get(); }
  bool on_engine_thread() const { return std::this_thread::get_id() == thread_.get_id(); }

  // Run `work` on the engine thread, soon. Safe from any thread.
  void post(std::function<void()> work);

  // Run `work` on the engine thread and wait for its result; rethrows its exception.
  // Runs inline when called on the engine thread itself.
  template <typename F>
  auto call(F work) -> std::invoke_result_t<F> {
    using R = std::invoke_result_t<F>;
    if (on_engine_thread()) {
      return work();
    }
    std::packaged_task<R()> task(std::move(work));
    auto result = task.get_future();
    post([&task] { task(); });
    return result.get();
  }

  // Attach a timer to the engine context; it runs until the returned owner goes.
  SourcePtr add_timer(unsigned interval_ms, std::function<void()> tick);
  // Run `work` once after `delay_ms`, unless the returned owner goes first.
  SourcePtr add_timeout(unsigned delay_ms, std::function<void()> work);

  // The jobs given to GStreamer's worker threads on this thread's behalf (inputs'
  // pipelines starting and stopping). Safe from any thread.
  const std::shared_ptr<WorkerJobs>& worker_jobs() const { return worker_jobs_; }

 private:
  GSource* attach(GSource* source, std::function<void()> work, bool repeat);

  FailureSink* failures_;
  MainContextPtr context_;
  MainLoopPtr loop_;
  std::thread thread_;
  std::shared_ptr<WorkerJobs> worker_jobs_ = std::make_shared<WorkerJobs>();
};

}  // namespace hallcast::engine
