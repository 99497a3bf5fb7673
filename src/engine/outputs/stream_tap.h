// One encoded elementary stream leaving the programme: the H.264 video, or one
// language track's AAC. Each is encoded once; its tap hands every encoded buffer to
// the output sessions attached to it (fan-out without re-encoding or copying media).
//
// Why an appsink tap rather than a tee into every destination: a tee stops all its
// branches when one returns an error, and a destination that starts late needs to
// begin on a keyframe with its own timestamps. The tap never waits for a session:
// a session that cannot keep up is the session's problem (see FeedSession).
#pragma once

#include <gst/app/gstappsink.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "engine/gst/gst_ptr.h"
#include "engine/video/switch_latency.h"

namespace hallcast::engine {

// One encoded buffer as the programme hands it out. Its times are running times of the
// programme: comparable across streams, unlike the buffer's own timestamps (an encoder
// may shift its segment, as x264enc does by 1000 hours to keep DTS positive).
struct EncodedFrame {
  GstBuffer* buffer;  // borrowed
  GstCaps* caps;      // borrowed
  GstClockTime pts;   // running time, or GST_CLOCK_TIME_NONE
  GstClockTime dts;   // running time, or GST_CLOCK_TIME_NONE
  bool keyframe() const { return !GST_BUFFER_FLAG_IS_SET(buffer, GST_BUFFER_FLAG_DELTA_UNIT); }
};

// Something that takes encoded buffers from one or more taps.
class FeedTarget {
 public:
  virtual ~FeedTarget() = default;
  // Called on the programme's streaming thread for `slot` (what the target asked for
  // when it attached). Must not block.
  virtual void on_encoded(int slot, const EncodedFrame& frame) = 0;
  // `on_encoded` threw: the tap has let go of this target (it gets nothing more from
  // that tap) and says why. On the streaming thread; must not block.
  virtual void on_failed(const std::string& /*why*/) noexcept {}
};

class StreamTap {
 public:
  explicit StreamTap(std::string name) : name_(std::move(name)) {}
  StreamTap(const StreamTap&) = delete;
  StreamTap& operator=(const StreamTap&) = delete;

  // Take the samples of `appsink` from now on. The appsink's pipeline must be set to
  // NULL before this tap is destroyed.
  void attach(GstElement* appsink);

  void add(FeedTarget* target, int slot);
  // After this returns, `target` is not called again from this tap.
  void remove(FeedTarget* target);

  // A target that throws is dropped and told (FeedTarget::on_failed); the programme and
  // every other target go on as if nothing happened.

  // Count frames missing from a stream of fixed-rate frames (the video): a gap of more
  // than one and a half frame durations between two buffers counts the frames that
  // should have filled it. Call before the pipeline runs.
  void count_gaps(GstClockTime frame_duration) { frame_duration_ = frame_duration; }

  // Hand out every frame `lead` earlier than its running time. An AAC encoder puts
  // priming samples (silence) before the first input sample without moving its
  // timestamps, and FLV and Matroska have no field for that delay: a decoder plays
  // the priming, so the sound would come that much after the picture. Call before the
  // pipeline runs.
  void lead_by(GstClockTime lead) { lead_ = lead; }

  // Report every encoded frame's running time to `latency` (the video tap).
  void measure(SwitchLatency* latency) { latency_ = latency; }

  const std::string& name() const { return name_; }
  std::uint64_t buffers() const { return buffers_.load(std::memory_order_relaxed); }
  std::uint64_t missing() const { return missing_.load(std::memory_order_relaxed); }
  // How far the latest frame of a stream counted for gaps trails the programme's clock:
  // from the moment it was due to the moment it left the encoder. A few frames in a
  // healthy show. A machine that cannot keep up makes the programme fall further and
  // further behind without a frame missing; this is where that shows.
  GstClockTime behind() const { return behind_.load(std::memory_order_relaxed); }

 private:
  static GstFlowReturn on_new_sample(GstAppSink* sink, gpointer self);
  GstFlowReturn hand_out(GstAppSink* sink);

  struct Attached {
    FeedTarget* target;
    int slot;
  };

  std::string name_;
  // Guards targets_. Held while a buffer is handed out, so that remove() is a barrier;
  // the hand-out never blocks, so the engine thread waits at most one buffer.
  std::mutex mutex_;
  std::vector<Attached> targets_;
  std::atomic<std::uint64_t> buffers_{0};
  std::atomic<std::uint64_t> missing_{0};
  std::atomic<GstClockTime> behind_{0};
  GstClockTime frame_duration_ = GST_CLOCK_TIME_NONE;
  GstClockTime lead_ = 0;
  SwitchLatency* latency_ = nullptr;
  GstClockTime last_pts_ = GST_CLOCK_TIME_NONE;  // streaming thread only
};

}  // namespace hallcast::engine
