// A clip: a `file://` video source played as a broadcast server plays one. Off air it
// is cued: paused on its first frame, which the programme sees (on preview, in the
// multiview) as a still. When a scene that shows it goes to programme it plays — once,
// holding its last frame at the end, or looped — and its sound reaches the floor only
// then (the engine opens its gate in AudioTracks). When it leaves programme it is cued
// again at its start.
//
// Like a LiveInput it runs in a pipeline of its own (pipelines/source-file-video
// .pipeline, with an appsink for the picture and one for the sound) feeding appsrcs in
// the programme, and a file that cannot be read shows the "no signal" slate and is
// tried again after a backoff. Its pipeline's state changes run on GStreamer's worker
// threads (IngestPipeline): a clip that is a FIFO without a writer, or one that hangs,
// never holds up the engine. Its streaming threads touch only a Link of their own, cut
// before the pipeline is let go; the end of the clip comes as a message on its bus. A
// frame that could not be handed on, or a bus message it could not handle (reported to
// the FailureSink as part "inputs", unit: the source id), makes it start over, as after
// any other failure.
//
// All methods run on the engine thread.
#pragma once

#include <gst/app/gstappsink.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "common/backoff.h"
#include "common/redactor.h"
#include "engine/engine_thread.h"
#include "engine/gst/contain.h"
#include "engine/gst/gst_ptr.h"
#include "engine/inputs/ingest_pipeline.h"
#include "show/state.h"

namespace hallcast::engine {

struct ClipOptions {
  std::string id;
  std::string label;
  std::string description;  // the whole ingest pipeline, with appsinks clip-video and clip-audio
  std::string path;         // "sources[i].uri", for messages
  bool loop = false;
  int width = 0;
  int height = 0;
  int fps = 30;
  std::string slate_text = "NO SIGNAL";
};

class ClipInput {
 public:
  // The appsinks a clip's template must end in.
  static constexpr const char* kVideoSink = "clip-video";
  static constexpr const char* kAudioSink = "clip-audio";

  // `failures` must outlive the clip.
  ClipInput(ClipOptions options, GstElement* video_src, GstElement* audio_src, EngineThread& thread,
            const common::Redactor& redactor, FailureSink& failures,
            std::function<void(show::Health)> on_health);
  ~ClipInput();
  ClipInput(const ClipInput&) = delete;
  ClipInput& operator=(const ClipInput&) = delete;

  void start();
  void stop();
  // Play from where it is cued (on programme), or cue it again at its start.
  void set_on_air(bool on_air);
  bool on_air() const { return on_air_; }
  const std::string& id() const { return options_.id; }

 private:
  enum class Phase { opening, cued, playing, ended };

  // What one clip pipeline's streaming threads touch: owned with the appsinks'
  // callbacks, so it lives as long as they may run, however long the pipeline takes to
  // stop after the clip has let it go.
  struct Link {
    ElementPtr video_src;
    ElementPtr audio_src;
    std::atomic<bool> cut{false};          // set on the engine thread: frames are dropped
    std::atomic<bool> broken{false};       // set by a streaming thread: a frame was lost
    std::atomic<gint64> last_frame_us{0};  // monotonic µs of the last frame played
    std::mutex frames_mutex;
    BufferPtr preroll;     // under frames_mutex: the frame the clip is paused on
    BufferPtr last_frame;  // under frames_mutex: the latest frame played
  };

  void open();
  void close();  // cut the link and hand the pipeline over to be stopped elsewhere
  void fail(const std::string& message);
  void set_health(show::Health health);
  void push_held();
  void hold();  // push the held picture at the frame rate, unless already
  void cue();
  void on_prerolled();
  void on_end();
  void watch();
  BufferPtr last_frame() const;
  static GstFlowReturn on_video_sample(GstAppSink* sink, gpointer link);
  static GstFlowReturn on_video_preroll(GstAppSink* sink, gpointer link);
  static void on_video_eos(GstAppSink* sink, gpointer link);
  static GstFlowReturn on_audio_sample(GstAppSink* sink, gpointer link);
  static gboolean on_bus_message(GstBus* bus, GstMessage* message, gpointer self);
  void handle_message(GstMessage* message);

  ClipOptions options_;
  ElementPtr video_src_;
  ElementPtr audio_src_;
  EngineThread& thread_;
  const common::Redactor& redactor_;
  FailureSink& failures_;
  std::function<void(show::Health)> on_health_;
  common::Backoff backoff_;
  show::Health health_ = show::Health::lost;
  bool running_ = false;
  bool on_air_ = false;
  Phase phase_ = Phase::opening;

  BufferPtr slate_;
  // The picture shown while the clip does not play: its first frame (cued), its last
  // (ended), or the slate. Engine thread.
  GstBuffer* held_ = nullptr;  // not owned: slate_ or first_frame_
  BufferPtr first_frame_;

  IngestPipeline pipeline_;
  std::shared_ptr<Link> link_ = std::make_shared<Link>();  // the current pipeline's
  SourcePtr retry_timer_;
  SourcePtr hold_timer_;
  SourcePtr watchdog_;
};

}  // namespace hallcast::engine
