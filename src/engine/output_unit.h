// One destination (an RTMP platform, a recording, …) as a unit of its own: its own
// pipeline — appsrc feeds from the programme's taps into the template's `mux` and
// `sink` — its own bus and its own state. A destination that fails, stalls or is
// restarted touches neither the programme nor any other destination.
//
// All methods run on the engine thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "config/config.h"
#include "engine/engine_thread.h"
#include "engine/feed_session.h"
#include "engine/gst_ptr.h"
#include "engine/pipeline_templates.h"
#include "engine/programme.h"
#include "engine/redactor.h"
#include "show/state.h"

namespace hallcast::engine {

struct OutputContext {
  const PipelineTemplates& templates;
  Programme& programme;
  const Redactor& redactor;
  EngineThread& thread;
  // Called on the engine thread whenever the status changes.
  std::function<void(const show::OutputStatus&)> on_change;
};

class OutputUnit {
 public:
  // `key` is the stream key resolved from the environment or the file (empty: none).
  OutputUnit(const config::Output& config, std::size_t index, std::string key,
             OutputContext context);
  ~OutputUnit();
  OutputUnit(const OutputUnit&) = delete;
  OutputUnit& operator=(const OutputUnit&) = delete;

  // Build the pipeline without going live; throws BuildError. Used by `check`.
  void build();

  // Go on the air. Problems become the `error` state, never an exception.
  void start();
  // Off the air at once (RTMP: NULL, not EOS — an EOS to a misbehaving server can hang).
  void stop();
  // Off the air with a clean end: the file gets its index. Bounded by `deadline`.
  void finish(std::chrono::steady_clock::time_point deadline);

  // Periodic: bytes, bitrate, uptime, connecting → live.
  void tick();

  const show::OutputStatus& status() const { return status_; }
  const config::Output& config() const { return config_; }
  // Why this output will not start by itself (no key, …); empty when it can.
  std::string unstartable_reason() const;

 private:
  void build_pipeline();
  void attach_taps();
  void detach_taps();
  void teardown();
  void fail(const std::string& message);
  void set_state(show::OutputState state);
  void publish();
  std::uint64_t bytes_sent() const;
  static gboolean on_bus_message(GstBus* bus, GstMessage* message, gpointer self);
  void handle_message(GstMessage* message);

  const config::Output& config_;
  const std::string path_;  // "outputs[i]"
  const std::string key_;   // secret
  OutputContext context_;
  show::OutputStatus status_;

  // Order matters: the session and probe go after the pipeline is NULL.
  std::unique_ptr<FeedSession> session_;
  std::vector<StreamTap*> taps_;               // slot i takes from taps_[i]
  std::atomic<std::uint64_t> probe_bytes_{0};  // written by the sink's streaming thread
  PadProbe byte_probe_;
  SourcePtr bus_watch_;
  ElementPtr sink_;
  PipelineOwner pipeline_;

  // Work posted to the engine thread checks this is still alive before touching us.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  // Counts pipelines built; a stall report names the one it came from.
  std::uint64_t generation_ = 0;
  std::uint64_t last_bytes_ = 0;
  std::chrono::steady_clock::time_point last_tick_{};
  std::chrono::steady_clock::time_point live_since_{};
};

}  // namespace hallcast::engine
