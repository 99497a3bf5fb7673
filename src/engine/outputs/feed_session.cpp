#include "engine/outputs/feed_session.h"

#include "engine/outputs/callback_guard.h"

namespace hallcast::engine {

FeedSession::FeedSession(std::vector<GstElement*> appsrcs, std::chrono::milliseconds max_queue,
                         OnFailure on_failure)
    : max_queue_(static_cast<GstClockTime>(max_queue.count()) * GST_MSECOND),
      on_failure_(std::move(on_failure)) {
  for (GstElement* appsrc : appsrcs) {
    Slot slot;
    slot.appsrc = sink_floating(appsrc);
    slots_.push_back(std::move(slot));
  }
}

CapsPtr FeedSession::video_link_caps() {
  return CapsPtr(gst_caps_from_string("video/x-h264,stream-format=avc,alignment=au"));
}

CapsPtr FeedSession::audio_link_caps() {
  return CapsPtr(gst_caps_from_string("audio/mpeg,mpegversion=4,stream-format=raw"));
}

void FeedSession::on_encoded(int slot_index, const EncodedFrame& frame) {
  if (failed_.load(std::memory_order_relaxed) || slot_index < 0 ||
      static_cast<std::size_t>(slot_index) >= slots_.size()) {
    return;
  }
  guarded([&] { take(slot_index, frame); }, [this](const std::string& why) { give_up(why); });
}

void FeedSession::on_failed(const std::string& why) noexcept {
  give_up(why);
}

void FeedSession::give_up(const std::string& why) noexcept {
  if (!failed_.exchange(true) && on_failure_) {
    guarded([&] { on_failure_(why); }, [](const std::string&) {});
  }
}

void FeedSession::take(int slot_index, const EncodedFrame& frame) {
  Slot& slot = slots_[slot_index];
  GstClockTime origin = origin_.load();
  if (origin == GST_CLOCK_TIME_NONE) {
    if (slot_index != 0) {
      hold(slot, frame);  // it may belong after the keyframe still to come
      return;
    }
    if (!frame.keyframe()) {
      return;  // a session starts on a keyframe
    }
    origin = GST_CLOCK_TIME_IS_VALID(frame.dts) ? frame.dts : frame.pts;
    if (!GST_CLOCK_TIME_IS_VALID(origin)) {
      return;
    }
    origin_.store(origin);
  }
  if (!slot.held.empty()) {
    const auto held = std::move(slot.held);
    slot.held.clear();
    for (const auto& h : held) {
      deliver(slot_index, {h.buffer.get(), h.caps.get(), h.pts, h.dts}, origin);
    }
  }
  deliver(slot_index, frame, origin);
}

void FeedSession::hold(Slot& slot, const EncodedFrame& frame) {
  // Two seconds at most: the keyframe is never further away than the encoder's
  // keyframe interval plus its latency.
  constexpr GstClockTime kHoldAtMost = 2 * GST_SECOND;
  if (!GST_CLOCK_TIME_IS_VALID(frame.pts)) {
    return;
  }
  slot.held.push_back({BufferPtr(gst_buffer_ref(frame.buffer)), CapsPtr(gst_caps_ref(frame.caps)),
                       frame.pts, frame.dts});
  while (slot.held.size() > 1 && frame.pts > slot.held.front().pts + kHoldAtMost) {
    slot.held.pop_front();
  }
}

void FeedSession::deliver(int slot_index, const EncodedFrame& frame, GstClockTime origin) {
  if (!GST_CLOCK_TIME_IS_VALID(frame.pts) || frame.pts < origin) {
    return;  // audio from before the first keyframe
  }
  if (resync_.load(std::memory_order_relaxed)) {
    if (slot_index != 0 || !frame.keyframe()) {
      return;
    }
    resume_at_.store(frame.pts);
    resync_.store(false);
  }
  if (slot_index != 0 && frame.pts < resume_at_.load(std::memory_order_relaxed)) {
    return;
  }

  Slot& slot = slots_[slot_index];
  if (slot_index > 0 && GST_CLOCK_TIME_IS_VALID(slot.last_pts) && frame.pts <= slot.last_pts) {
    return;  // the track this slot now takes is a little behind the one it took
  }
  auto* appsrc = GST_APP_SRC(slot.appsrc.get());
  if (gst_app_src_get_current_level_time(appsrc) > max_queue_) {
    give_up("destination stopped taking data");
    return;
  }
  if (slot.caps.get() != frame.caps) {
    if (!slot.caps || !gst_caps_is_equal(slot.caps.get(), frame.caps)) {
      gst_app_src_set_caps(appsrc, frame.caps);
    }
    slot.caps.reset(gst_caps_ref(frame.caps));
  }

  // A new buffer object sharing the same memory: only the timestamps differ.
  GstBuffer* out = gst_buffer_copy(frame.buffer);
  GST_BUFFER_PTS(out) = frame.pts - origin;
  GST_BUFFER_DTS(out) = GST_CLOCK_TIME_IS_VALID(frame.dts) && frame.dts >= origin
                            ? frame.dts - origin
                            : GST_CLOCK_TIME_NONE;
  slot.last_pts = frame.pts;
  gst_app_src_push_buffer(appsrc, out);  // takes `out`; never blocks (block=false)
}

void FeedSession::end_of_stream() {
  for (auto& slot : slots_) {
    gst_app_src_end_of_stream(GST_APP_SRC(slot.appsrc.get()));
  }
}

}  // namespace hallcast::engine
