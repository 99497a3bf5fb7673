#include "engine/inputs/ingest_pipeline.h"

#include <atomic>
#include <mutex>

#include "engine/gst/gst_build.h"

namespace hallcast::engine {

struct IngestPipeline::Shared {
  explicit Shared(ElementPtr p) : pipeline(std::move(p)) {}
  ElementPtr pipeline;
  // Written by the engine thread, read by the workers. The engine thread never takes
  // `mutex`: a worker holds it for as long as a change blocks.
  std::atomic<GstState> wanted{GST_STATE_NULL};
  std::atomic<bool> stopped{false};
  std::mutex mutex;  // held by the worker changing the state
};

// The pipeline, and the count the job is part of.
struct IngestPipeline::Job {
  std::shared_ptr<Shared> shared;
  std::shared_ptr<WorkerJobs> jobs;
};

IngestPipeline::IngestPipeline(ElementPtr pipeline, GMainContext* context, GstBusFunc on_message,
                               gpointer data, std::shared_ptr<WorkerJobs> jobs)
    : bus_watch_(watch_bus(pipeline.get(), context, on_message, data)),
      shared_(std::make_shared<Shared>(std::move(pipeline))),
      jobs_(std::move(jobs)) {}

IngestPipeline& IngestPipeline::operator=(IngestPipeline&& other) noexcept {
  if (this != &other) {
    stop();
    shared_ = std::move(other.shared_);
    bus_watch_ = std::move(other.bus_watch_);
    jobs_ = std::move(other.jobs_);
  }
  return *this;
}

GstElement* IngestPipeline::get() const {
  return shared_ ? shared_->pipeline.get() : nullptr;
}

void IngestPipeline::set_state(GstState state) {
  if (shared_) {
    shared_->wanted.store(state);
    change_elsewhere();
  }
}

void IngestPipeline::stop() {
  bus_watch_.reset();
  if (shared_) {
    shared_->stopped.store(true);
    change_elsewhere();
    shared_.reset();
  }
}

// Each job sets the state asked for last when it runs: every wish is stored before its
// job is queued, so the job that runs last sets the last wish, whatever order the
// workers took them in.
void IngestPipeline::change_elsewhere() {
  jobs_->begin();
  gst_element_call_async(
      shared_->pipeline.get(),
      [](GstElement*, gpointer data) {
        Shared& shared = *static_cast<Job*>(data)->shared;
        std::lock_guard lock(shared.mutex);
        const GstState state = shared.stopped.load() ? GST_STATE_NULL : shared.wanted.load();
        if (gst_element_set_state(shared.pipeline.get(), state) == GST_STATE_CHANGE_FAILURE &&
            state != GST_STATE_NULL) {
          GError* error = g_error_new_literal(GST_CORE_ERROR, GST_CORE_ERROR_STATE_CHANGE,
                                              "the input pipeline would not start");
          gst_element_post_message(
              shared.pipeline.get(),
              gst_message_new_error(GST_OBJECT(shared.pipeline.get()), error, nullptr));
          g_error_free(error);
        }
      },
      new Job{shared_, jobs_},
      [](gpointer data) {
        auto* job = static_cast<Job*>(data);
        const std::shared_ptr<WorkerJobs> jobs = std::move(job->jobs);
        delete job;  // the last job of a stopped pipeline lets it go here
        jobs->end();
      });
}

}  // namespace hallcast::engine
