#include "engine/engine_thread.h"
#include "common/thread_name.h"

#include <memory>

namespace hallcast::engine {

namespace {

// What a GSource runs: the work, and where its failure goes.
struct Task {
  std::function<void()> work;
  FailureSink* failures;
  bool repeat;
};

gboolean run_task(gpointer data) {
  auto* task = static_cast<Task*>(data);
  contain(task->failures, part::kEngine, task->repeat ? "timer" : "work", [task] { task->work(); });
  return task->repeat ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

void delete_task(gpointer data) {
  delete static_cast<Task*>(data);
}

// How long a stop waits for the workers: well inside the 5 s a stop may take in all.
constexpr std::chrono::milliseconds kWorkerJobsLimit{2000};

struct SourceUnref {
  void operator()(GSource* p) const { g_source_unref(p); }
};

}  // namespace

EngineThread::EngineThread(FailureSink* failures)
    : failures_(failures),
      context_(g_main_context_new()),
      loop_(g_main_loop_new(context_.get(), FALSE)) {
  thread_ = std::thread([this] {
    common::name_this_thread("engine");
    g_main_context_push_thread_default(context_.get());
    g_main_loop_run(loop_.get());
    g_main_context_pop_thread_default(context_.get());
  });
  // Do not hand out the thread before its loop runs: posted work would be fine, but a
  // quit posted before g_main_loop_run would be lost.
  call([] {});
}

EngineThread::~EngineThread() {
  post([this] { g_main_loop_quit(loop_.get()); });
  if (thread_.joinable()) {
    thread_.join();
  }
  // The inputs' pipelines are gone by now, each handed to a worker to be stopped. A
  // source that will not stop within this long is left to the process's exit.
  worker_jobs_->wait_idle(kWorkerJobsLimit);
}

GSource* EngineThread::attach(GSource* source, std::function<void()> work, bool repeat) {
  g_source_set_callback(source, run_task, new Task{std::move(work), failures_, repeat},
                        delete_task);
  g_source_attach(source, context_.get());
  return source;
}

void EngineThread::post(std::function<void()> work) {
  // An idle source rather than g_main_context_invoke: invoke runs the work inline
  // when called on the engine thread, and work posted from inside a bus handler must
  // wait until that handler has returned. The context holds the source from here on.
  std::unique_ptr<GSource, SourceUnref> source(g_idle_source_new());
  g_source_set_priority(source.get(), G_PRIORITY_DEFAULT);
  attach(source.get(), std::move(work), false);
}

SourcePtr EngineThread::add_timer(unsigned interval_ms, std::function<void()> tick) {
  return SourcePtr(attach(g_timeout_source_new(interval_ms), std::move(tick), true));
}

SourcePtr EngineThread::add_timeout(unsigned delay_ms, std::function<void()> work) {
  return SourcePtr(attach(g_timeout_source_new(delay_ms), std::move(work), false));
}

}  // namespace hallcast::engine
