// One destination session's intake: the appsrc elements of its pipeline, fed from the
// programme's taps. Slot 0 is the video; slots 1… are audio tracks.
//
// A session starts on a keyframe and rebases time so that it starts at zero: every
// destination gets a clean stream whenever it (re)connects. It never blocks the
// programme: when its pipeline stops taking data for longer than `max_queue`, or
// anything goes wrong while it hands a buffer on, the session gives up, stops queueing
// and tells its owner once, with the reason.
//
// An audio slot may be moved to another language's tap while the session runs (an
// RTMP destination switching its language): the slot then skips whatever would go
// back in time, so the muxer sees one continuous track.
#pragma once

#include <gst/app/gstappsrc.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "engine/gst/gst_ptr.h"
#include "engine/outputs/stream_tap.h"

namespace hallcast::engine {

class FeedSession : public FeedTarget {
 public:
  // `appsrcs[0]` takes video, the rest audio. `on_failure` runs once, on a streaming
  // thread, with the reason the session gave up.
  using OnFailure = std::function<void(const std::string& why)>;
  FeedSession(std::vector<GstElement*> appsrcs, std::chrono::milliseconds max_queue,
              OnFailure on_failure);

  void on_encoded(int slot, const EncodedFrame& frame) override;
  void on_failed(const std::string& why) noexcept override;

  // Every appsrc ends its stream (for a clean end of file).
  void end_of_stream();
  // Skip to the next keyframe, audio included: a receiver that just joined (an SRT
  // listener's new caller) gets a stream it can decode from its first packet. Safe
  // from any thread.
  void restart_at_next_keyframe() { resync_.store(true); }
  bool started() const { return origin_.load() != GST_CLOCK_TIME_NONE; }
  // It gave up (stalled, or failed): it queues nothing more.
  bool failed() const { return failed_.load(); }

  // Caps an appsrc holds before the first buffer: enough for linking to a muxer.
  static CapsPtr video_link_caps();
  static CapsPtr audio_link_caps();

 private:
  // An audio frame that came before the session's first keyframe: the audio of a
  // moment often leaves its encoder before the picture of that moment does.
  struct Held {
    BufferPtr buffer;
    CapsPtr caps;
    GstClockTime pts;
    GstClockTime dts;
  };

  struct Slot {
    ElementPtr appsrc;
    std::deque<Held> held;
    // Only touched by the streaming thread of this slot's tap (one at a time: a slot
    // moves to another tap only after the first has let go, see StreamTap::remove).
    CapsPtr caps;
    GstClockTime last_pts = GST_CLOCK_TIME_NONE;
  };

  void take(int slot_index, const EncodedFrame& frame);
  void hold(Slot& slot, const EncodedFrame& frame);
  void deliver(int slot_index, const EncodedFrame& frame, GstClockTime origin);
  void give_up(const std::string& why) noexcept;

  std::vector<Slot> slots_;
  const GstClockTime max_queue_;
  OnFailure on_failure_;
  // The first keyframe's time: what becomes zero. Set once by the video thread, read by
  // the audio threads.
  std::atomic<GstClockTime> origin_{GST_CLOCK_TIME_NONE};
  std::atomic<bool> failed_{false};
  std::atomic<bool> resync_{false};
  // While resyncing: the keyframe the stream resumes from (audio before it is skipped).
  std::atomic<GstClockTime> resume_at_{0};
};

}  // namespace hallcast::engine
