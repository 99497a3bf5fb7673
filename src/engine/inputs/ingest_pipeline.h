// An input's own pipeline whose state changes run on GStreamer's worker threads
// (gst_element_call_async), never on the engine thread: opening a source or stopping a
// hung one can block for as long as the source likes (a camera that does not answer, a
// file that is a FIFO with no writer), and the engine must answer commands meanwhile.
//
// The workers may run in any order, so a change does not carry its state: each one sets
// the state last asked for, under a lock that puts them in order. Once stopped, the
// pipeline is never started again; the last worker to hold it lets it go. A change that
// fails is said on the pipeline's own bus, where its owner hears of every other failure.
// The owner's bus watch goes with the pipeline: once stopped, the pipeline says nothing
// more to its owner, however long it takes to stop.
//
// Used by LiveInput and ClipInput. All methods run on the engine thread.
#pragma once

#include <gst/gst.h>

#include <memory>

#include "engine/gst/gst_ptr.h"
#include "engine/gst/worker_jobs.h"

namespace hallcast::engine {

class IngestPipeline {
 public:
  IngestPipeline() = default;
  // `on_message` hears the pipeline's bus on `context` (the engine thread's) until stop().
  // Every state change is counted in `jobs` until its worker is done with the pipeline.
  IngestPipeline(ElementPtr pipeline, GMainContext* context, GstBusFunc on_message, gpointer data,
                 std::shared_ptr<WorkerJobs> jobs);
  IngestPipeline(IngestPipeline&&) noexcept = default;
  IngestPipeline& operator=(IngestPipeline&& other) noexcept;
  ~IngestPipeline() { stop(); }

  // Asks for `state` (PAUSED or PLAYING).
  void set_state(GstState state);
  // Removes the bus watch, then hands the pipeline over to be stopped and let go
  // elsewhere; this owner is empty.
  void stop();

  GstElement* get() const;
  explicit operator bool() const { return static_cast<bool>(shared_); }

 private:
  struct Shared;
  struct Job;               // what a worker's job holds
  void change_elsewhere();  // queues a job that sets the state last asked for

  SourcePtr bus_watch_;  // made from the pipeline before shared_ takes it
  std::shared_ptr<Shared> shared_;
  std::shared_ptr<WorkerJobs> jobs_;
};

}  // namespace hallcast::engine
