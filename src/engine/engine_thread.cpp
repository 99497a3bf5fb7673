#include "engine/engine_thread.h"

#include <memory>

namespace hallcast::engine {

namespace {

using Work = std::function<void()>;

gboolean run_work(gpointer data) {
  (*static_cast<Work*>(data))();
  return G_SOURCE_REMOVE;
}

gboolean run_tick(gpointer data) {
  (*static_cast<Work*>(data))();
  return G_SOURCE_CONTINUE;
}

gboolean run_once(gpointer data) {
  (*static_cast<Work*>(data))();
  return G_SOURCE_REMOVE;
}

void delete_work(gpointer data) {
  delete static_cast<Work*>(data);
}

}  // namespace

EngineThread::EngineThread()
    : context_(g_main_context_new()), loop_(g_main_loop_new(context_.get(), FALSE)) {
  thread_ = std::thread([this] {
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
}

void EngineThread::post(std::function<void()> work) {
  // An idle source rather than g_main_context_invoke: invoke runs the work inline
  // when called on the engine thread, and work posted from inside a bus handler must
  // wait until that handler has returned.
  GSource* source = g_idle_source_new();
  g_source_set_priority(source, G_PRIORITY_DEFAULT);
  g_source_set_callback(source, run_work, new Work(std::move(work)), delete_work);
  g_source_attach(source, context_.get());
  g_source_unref(source);
}

SourcePtr EngineThread::add_timer(unsigned interval_ms, std::function<void()> tick) {
  SourcePtr source(g_timeout_source_new(interval_ms));
  g_source_set_callback(source.get(), run_tick, new Work(std::move(tick)), delete_work);
  g_source_attach(source.get(), context_.get());
  return source;
}

SourcePtr EngineThread::add_timeout(unsigned delay_ms, std::function<void()> work) {
  SourcePtr source(g_timeout_source_new(delay_ms));
  g_source_set_callback(source.get(), run_once, new Work(std::move(work)), delete_work);
  g_source_attach(source.get(), context_.get());
  return source;
}

}  // namespace hallcast::engine
