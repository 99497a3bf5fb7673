// One destination (an RTMP platform, an SRT receiver, a recording, an HLS folder) as a
// unit of its own: its own pipeline — appsrc feeds from the programme's taps into the
// template's muxer and sink — its own bus and its own state. A destination that
// fails, stalls or is restarted touches neither the programme nor any other
// destination.
//
// Once started, a destination stays on the air by itself: any failure (refused,
// dropped, stalled, no connection) tears its pipeline down and a fresh one is built
// after a jittered exponential backoff, each new session starting on a keyframe. Only
// what cannot mend itself (a template that does not build, a folder that cannot be
// made) ends in `error`.
//
// All methods run on the engine thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/backoff.h"
#include "common/redactor.h"
#include "config/config.h"
#include "engine/engine_thread.h"
#include "engine/gst/gst_ptr.h"
#include "engine/gst/pipeline_templates.h"
#include "engine/outputs/feed_session.h"
#include "engine/programme.h"
#include "show/state.h"

namespace hallcast::engine {

struct OutputContext {
  const PipelineTemplates& templates;
  Programme& programme;
  const common::Redactor& redactor;
  EngineThread& thread;
  const config::Video& video;
  const config::Audio& audio;
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

  // Go on the air and stay there until stop(). Problems become states, never exceptions.
  void start();
  // Off the air at once (RTMP: NULL, not EOS — an EOS to a misbehaving server can hang).
  void stop();
  // Off the air with a clean end: the file gets its index. Bounded by `deadline`.
  void finish(std::chrono::steady_clock::time_point deadline);

  // Which language track an RTMP destination carries, switched live: the audio feed
  // moves to the other track between two AAC frames, the connection stays up. False
  // for destinations that carry every track. `language` must be a programme track.
  bool set_language(const std::string& language);

  // Periodic: bytes, bitrate, uptime; connecting → live; stalls and timeouts.
  void tick();

  const show::OutputStatus& status() const { return status_; }
  const config::Output& config() const { return config_; }
  // Why this output will not start by itself (no key, …); empty when it can.
  std::string unstartable_reason() const;
  // SRT, recordings and HLS carry every language track; RTMP carries one.
  bool carries_every_language() const { return config_.type != config::OutputType::rtmp; }

 private:
  void open();
  void retry();
  void build_pipeline();
  void build_muxed(const std::vector<std::string>& languages);
  void build_hls(const std::vector<std::string>& languages);
  // appsrc (plus a language tag for audio) linked into `mux`; returns the appsrc.
  GstElement* add_feed(const std::string& language, GstElement* mux);
  void configure_sink(GstElement* mux);
  void attach_taps();
  void detach_taps();
  void teardown();
  // `try_again`: the destination tries again after a backoff; otherwise it ends in `error`.
  void fail(const std::string& message, bool try_again);
  void set_state(show::OutputState state);
  void publish();
  std::uint64_t bytes_sent() const;
  std::string describe_target() const;
  static void on_srt_caller_added(GstElement* sink, gint socket, gpointer address, gpointer self);
  static void on_srt_caller_removed(GstElement* sink, gint socket, gpointer address, gpointer self);
  static gboolean on_bus_message(GstBus* bus, GstMessage* message, gpointer self);
  void handle_message(GstMessage* message);

  const config::Output& config_;
  const std::string path_;  // "outputs[i]"
  const std::string key_;   // secret
  OutputContext context_;
  show::OutputStatus status_;

  bool wanted_ = false;  // started and not stopped: keep it on the air
  common::Backoff backoff_;
  SourcePtr retry_timer_;

  // Order matters: the session and probes go after the pipeline is NULL.
  std::unique_ptr<FeedSession> session_;
  std::vector<StreamTap*> taps_;  // slot i takes from taps_[i]
  bool attached_ = false;
  // What the destination's pipeline took from its feeds; written by streaming threads.
  std::atomic<std::uint64_t> probe_bytes_{0};
  std::vector<PadProbe> byte_probes_;
  // An SRT listener: how many callers are connected (signals from SRT's thread).
  bool srt_listener_ = false;
  std::atomic<int> srt_callers_{0};
  SourcePtr bus_watch_;
  ElementPtr sink_;
  PipelineOwner pipeline_;

  // Work posted to the engine thread checks this is still alive before touching us.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  // Counts pipelines built; a stall report names the one it came from.
  std::uint64_t generation_ = 0;
  std::uint64_t last_bytes_ = 0;
  std::chrono::steady_clock::time_point opened_at_{};
  std::chrono::steady_clock::time_point last_tick_{};
  std::chrono::steady_clock::time_point last_progress_{};
  std::chrono::steady_clock::time_point live_since_{};
};

}  // namespace hallcast::engine
