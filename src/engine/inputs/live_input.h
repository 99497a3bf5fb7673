// One real input (a camera over SRT or RTSP, a capture device, a looped file, a
// microphone) in an ingest pipeline of its own, decoded and converted once to the
// programme's format, and handed frame by frame to an appsrc in the programme.
//
// Why a pipeline of its own: a network camera fails in many ways (refused, dropped,
// an encoder that crashes, a decoder error), and in its own pipeline each failure
// stays local; the programme never waits on it. The programme's appsrc stamps every
// frame with the programme's clock as it arrives, so a late or jittery source is
// retimed, and the compositor never waits for it: it shows the latest frame.
//
// When no frame has arrived for a second (or before the first one), the input is
// `lost`: a video input then shows a "no signal" slate with its label, at the
// programme's frame rate, and an audio input is silence. The ingest pipeline is
// rebuilt after a backoff until frames flow again, and the input is `live` again.
//
// The ingest pipeline's state changes run on GStreamer's own worker threads (see
// IngestPipeline), never on the engine thread. Before a pipeline is handed over to be
// stopped, every way it calls into the input is cut: its bus watch is removed, and its
// frames go to a Link of its own that is told to drop them; what the worker still holds
// refers to nothing of the input.
//
// All methods run on the engine thread.
#pragma once

#include <gst/app/gstappsink.h>

#include <atomic>
#include <functional>
#include <string>

#include "common/backoff.h"
#include "common/redactor.h"
#include "engine/engine_thread.h"
#include "engine/gst/contain.h"
#include "engine/gst/gst_ptr.h"
#include "engine/inputs/ingest_pipeline.h"
#include "show/state.h"

namespace hallcast::engine {

struct LiveInputOptions {
  std::string id;
  std::string label;
  bool video = true;
  bool loop = false;        // a file: start again at its end
  std::string description;  // the ingest chain, ending in the programme format
  std::string path;         // "sources[i].uri", for messages
  int width = 0;            // video: the programme format
  int height = 0;
  int fps = 30;
  std::string slate_text = "NO SIGNAL";  // video: the slate's first line
};

class LiveInput {
 public:
  // `programme_src` is the appsrc in the programme that this input feeds. `failures`
  // must outlive the input.
  LiveInput(LiveInputOptions options, GstElement* programme_src, EngineThread& thread,
            const common::Redactor& redactor, FailureSink& failures,
            std::function<void(show::Health)> on_health);
  ~LiveInput();
  LiveInput(const LiveInput&) = delete;
  LiveInput& operator=(const LiveInput&) = delete;

  void start();
  void stop();

  // The appsrc a programme puts where this input's frames enter, in the programme's
  // format: live, stamped on arrival, never holding more than a frame or two.
  static ElementPtr make_programme_source(const std::string& name, GstCaps* caps, bool video);

 private:
  // What one ingest pipeline's streaming thread touches: owned with the appsink's
  // callbacks, so it lives as long as they may run, however long the pipeline takes to
  // stop after this input has let it go.
  struct Link {
    ElementPtr programme_src;
    // Monotonic time (µs) of the last frame; written by the streaming thread.
    std::atomic<gint64> last_frame_us{0};
    // Set on the engine thread when the pipeline is let go: its frames are dropped.
    std::atomic<bool> cut{false};
    // Set by the streaming thread when a frame could not be handed on.
    std::atomic<bool> broken{false};
  };

  void open();
  void close();  // hand the pipeline over to be stopped elsewhere
  void fail(const std::string& message);
  void watch();
  void set_health(show::Health health);
  void push_slate();
  void loop_to_start();
  static GstFlowReturn on_sample(GstAppSink* sink, gpointer link);
  static gboolean on_bus_message(GstBus* bus, GstMessage* message, gpointer self);
  void handle_message(GstMessage* message);

  LiveInputOptions options_;
  ElementPtr programme_src_;
  EngineThread& thread_;
  const common::Redactor& redactor_;
  FailureSink& failures_;
  std::function<void(show::Health)> on_health_;
  common::Backoff backoff_;
  show::Health health_ = show::Health::lost;
  bool running_ = false;

  BufferPtr slate_;  // video: the "no signal" picture, rendered once
  IngestPipeline ingest_;
  std::shared_ptr<Link> link_ = std::make_shared<Link>();  // the current pipeline's
  SourcePtr retry_timer_;
  SourcePtr watchdog_;
  SourcePtr slate_timer_;
};

}  // namespace hallcast::engine
