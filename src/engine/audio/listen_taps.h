// Listening: an operator hears one programme signal in the panel — a microphone or a
// booth before its fader, or a language track as it is broadcast — as Opus packets,
// only while someone listens to it. Each signal being listened to has a small pipeline
// of its own, built when the first listener comes and torn down when the last goes:
//
//   programme pad ──(buffer probe: a reference)──► [ appsrc ─► listen.pipeline ─► appsink ]
//
// A pipeline of its own rather than a tee branch in the programme: starting and stopping
// it never relinks anything under the playing mixers, and nothing it does can block or
// fail the programme. The probe hands each buffer (by reference, no copy) to a
// non-blocking appsrc that drops its oldest data rather than grow, and returns.
//
// Tap names: "source:<id>" (an audio or interpretation source, before its fader) and
// "track:<language>" ("floor" or an interpretation language, what is encoded).
// A tap that fails to build or breaks is reported to the FailureSink as part "listen",
// unit the tap; `restart` builds it again.
#pragma once

#include <gst/app/gstappsink.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "engine/gst/contain.h"
#include "engine/gst/gst_ptr.h"
#include "engine/gst/pipeline_templates.h"

namespace hallcast::engine {

class ListenTaps {
 public:
  static constexpr int kRate = 48000;  // what listen.pipeline makes
  static constexpr int kChannels = 2;
  static constexpr int kBitrate = 96000;

  struct Packet {
    std::string tap;
    std::shared_ptr<const std::vector<std::uint8_t>> opus;  // one Opus packet
    // When its first sample was in the hall (microseconds since the Unix epoch, the
    // system's wall clock): the programme's running time mapped through its clock.
    std::int64_t captured_us = 0;
  };

  // `on_packet` runs on a streaming thread: hand the packet over, do not block.
  // `templates` and `failures` must outlive this object.
  // Each tap's bus is watched on `context` (the engine thread's).
  ListenTaps(const config::Audio& audio, const PipelineTemplates& templates, FailureSink& failures,
             GMainContext* context, std::function<void(Packet)> on_packet);
  ~ListenTaps();
  ListenTaps(const ListenTaps&) = delete;
  ListenTaps& operator=(const ListenTaps&) = delete;

  // The programme element whose src pad carries `tap`'s signal in `programme`, or
  // nullptr for a tap it does not have.
  static ElementPtr tapped_element(GstElement* programme, std::string_view tap);

  // Engine thread. Start encoding `tap` from the playing `programme` (no-op if it runs
  // already); false for a tap the programme does not have. Throws BuildError when the
  // template does not build or will not play.
  bool start(GstElement* programme, const std::string& tap);
  // Engine thread. Stop and tear down `tap` (no-op if it does not run).
  void stop(const std::string& tap);
  // The taps running now.
  std::vector<std::string> running() const;

 private:
  struct Tap;
  static GstPadProbeReturn on_buffer(GstPad* pad, GstPadProbeInfo* info, gpointer data);
  static GstFlowReturn on_sample(GstAppSink* sink, gpointer data);
  static gboolean on_bus(GstBus* bus, GstMessage* message, gpointer data);

  const config::Audio& audio_;
  const PipelineTemplates& templates_;
  FailureSink& failures_;
  GMainContext* context_;
  std::function<void(Packet)> on_packet_;
  std::map<std::string, std::unique_ptr<Tap>> taps_;  // engine thread
};

}  // namespace hallcast::engine
