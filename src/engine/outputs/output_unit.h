// One destination's lifecycle, the same for every kind (RTMP platform, SRT receiver,
// recording, HLS folder): on the air when started, off when stopped, and in between it
// stays on the air by itself. Each attempt is a pipeline of its own — appsrc feeds from
// the programme's taps into the template's muxer and sink — with its own bus and
// state, so a destination that fails, stalls or restarts touches neither the programme
// nor any other destination.
//
// Any failure (refused, dropped, a server that stops reading, a full disk, no file
// descriptor left) tears the attempt down and a fresh one is built after a jittered
// exponential backoff, each new session starting on a keyframe. Only a template that
// cannot build ends in `error`: trying again would not mend it. What differs between
// the kinds — building the pipeline, saying where it goes, measuring its progress — is
// the Destination's (destination.h).
//
// All methods run on the engine thread. Every callback from GStreamer or GLib into a
// unit catches what is thrown and turns it into that destination's failure.
#pragma once

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
#include "engine/outputs/attempt.h"
#include "engine/outputs/destination.h"
#include "engine/outputs/encoded_feeds.h"
#include "engine/outputs/output_driver.h"
#include "show/state.h"

namespace hallcast::engine {

struct OutputContext {
  const PipelineTemplates& templates;
  EncodedFeeds& feeds;
  const common::Redactor& redactor;
  EngineThread& thread;
  const config::Video& video;
  const config::Audio& audio;
  // Called on the engine thread whenever the status changes.
  std::function<void(const show::OutputStatus&)> on_change;
};

class OutputUnit : public OutputDriver {
 public:
  // `key` is the stream key resolved from the environment or the file (empty: none).
  OutputUnit(const config::Output& config, std::size_t index, std::string key,
             OutputContext context);
  ~OutputUnit() override;
  OutputUnit(const OutputUnit&) = delete;
  OutputUnit& operator=(const OutputUnit&) = delete;

  // Build the pipeline without going live; throws BuildError. Used by `check`.
  void build() override;

  // Go on the air and stay there until stop(). Problems become states, never exceptions.
  void start() override;
  // Off the air at once (RTMP: NULL, not EOS — an EOS to a misbehaving server can hang).
  void stop() override;
  // Off the air with a clean end: the file gets its index. Bounded by `deadline`.
  void finish(std::chrono::steady_clock::time_point deadline) override;

  // Which language track an RTMP destination carries, switched live: the audio feed
  // moves to the other track between two AAC frames, the connection stays up. False
  // for destinations that carry every track. `language` must be a programme track.
  bool set_language(const std::string& language) override;
  std::string fixed_language_reason() const override;

  // Periodic: bytes, bitrate, uptime; connecting → live; stalls and timeouts.
  void tick() override;

  const show::OutputStatus& status() const override { return status_; }
  const config::Output& config() const override { return config_; }
  // Why this output will not start by itself (no key, …); empty when it can.
  std::string unstartable_reason() const override { return destination_->unstartable_reason(); }
  // SRT, recordings and HLS carry every language track; RTMP carries one.
  bool carries_every_language() const { return destination_->carries_every_language(); }

 private:
  enum class Retry { yes, no };

  void open();
  void retry();
  std::vector<std::string> carried_languages() const;
  // Everything the attempt is fed from, in its feeds' order; null when the programme
  // lacks a track (a BuildError).
  std::vector<StreamTap*> taps_for(const std::vector<std::string>& languages) const;
  void update(const Progress& progress);
  void teardown();
  void fail(const std::string& message, Retry again);
  // What was thrown where GStreamer or GLib called in: the attempt's failure.
  void fail_inside(const std::string& message) noexcept;
  void set_state(show::OutputState state);
  void publish();
  // Work on the engine thread later, if this unit (and, when given, that attempt) is
  // still there by then.
  void later(std::function<void()> work);
  static gboolean on_bus_message(GstBus* bus, GstMessage* message, gpointer self);
  void handle_message(GstMessage* message);

  const config::Output& config_;
  const std::string path_;  // "outputs[i]"
  OutputContext context_;
  std::unique_ptr<Destination> destination_;
  show::OutputStatus status_;
  show::OutputState stamped_state_ = show::OutputState::idle;  // the state since_ms is of

  bool wanted_ = false;  // started and not stopped: keep it on the air
  common::Backoff backoff_;
  SourcePtr retry_timer_;
  std::unique_ptr<Attempt> attempt_;

  // Work posted to the engine thread checks this is still alive before touching us.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  // Counts attempts; a report from a streaming thread names the one it came from.
  std::uint64_t generation_ = 0;
  std::uint64_t last_bytes_ = 0;
  std::chrono::steady_clock::time_point opened_at_{};
  std::chrono::steady_clock::time_point last_tick_{};
  std::chrono::steady_clock::time_point last_progress_{};
  std::chrono::steady_clock::time_point live_since_{};
};

}  // namespace hallcast::engine
