// One try at putting a destination on the air: the pipeline its destination built, the
// feed session that fills it from the programme's taps, the watch on its bus, and the
// sensor that measures its progress. Taking it off the air is destroying it, which
// happens in the order GStreamer needs: off the taps, bus watch gone, pipeline in NULL,
// then the sensor and the session its streaming threads were calling.
//
// All methods run on the engine thread.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "engine/outputs/destination.h"
#include "engine/outputs/feed_session.h"
#include "engine/outputs/progress_sensor.h"
#include "engine/outputs/stream_tap.h"

namespace hallcast::engine {

class Attempt {
 public:
  // `taps[i]` feeds `built.feeds[i]`. `on_failure` is the session's (a streaming thread).
  Attempt(Destination& destination, BuiltPipeline built, std::vector<StreamTap*> taps,
          std::chrono::milliseconds max_queue, FeedSession::OnFailure on_failure);
  ~Attempt();
  Attempt(const Attempt&) = delete;
  Attempt& operator=(const Attempt&) = delete;

  // Hands this pipeline's bus messages to `handler` on `context` until the attempt
  // goes; false when the bus cannot be watched (no file descriptor left for it).
  bool watch(GMainContext* context, GstBusFunc handler, gpointer data);
  // False when the pipeline would not start.
  bool play();

  // The session takes the programme's buffers from now on…
  void attach();
  // …and no more: once this returns, no tap calls into the session.
  void detach();
  bool attached() const { return attached_; }

  // The audio feed (slot 1) takes `tap` from now on: between two of its frames, the
  // connection untouched.
  void switch_audio(StreamTap* tap);

  // Ends every feed's stream and waits, up to `deadline`, for the pipeline to write its
  // end (a file's index). True when it did.
  bool finish(std::chrono::steady_clock::time_point deadline);

  Progress progress() { return sensor_->read(); }

 private:
  std::vector<StreamTap*> taps_;
  bool attached_ = false;
  // Destroyed in reverse: bus watch, pipeline (to NULL), sensor, session.
  std::unique_ptr<FeedSession> session_;
  std::unique_ptr<ProgressSensor> sensor_;
  BuiltPipeline built_;
  SourcePtr bus_watch_;
};

}  // namespace hallcast::engine
