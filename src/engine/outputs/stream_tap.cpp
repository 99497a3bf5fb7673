#include "engine/outputs/stream_tap.h"

#include <algorithm>

#include "engine/outputs/callback_guard.h"

namespace hallcast::engine {

void StreamTap::attach(GstElement* appsink) {
  GstAppSinkCallbacks callbacks{};
  callbacks.new_sample = &StreamTap::on_new_sample;
  gst_app_sink_set_callbacks(GST_APP_SINK(appsink), &callbacks, this, nullptr);
}

void StreamTap::add(FeedTarget* target, int slot) {
  std::lock_guard lock(mutex_);
  targets_.push_back({target, slot});
}

void StreamTap::remove(FeedTarget* target) {
  std::lock_guard lock(mutex_);
  std::erase_if(targets_, [&](const Attached& a) { return a.target == target; });
}

namespace {

GstClockTime running_time(const GstSegment* segment, GstClockTime time) {
  if (segment == nullptr || segment->format != GST_FORMAT_TIME || !GST_CLOCK_TIME_IS_VALID(time)) {
    return GST_CLOCK_TIME_NONE;
  }
  guint64 running = 0;
  // A DTS may lie before the segment start; such a time has no running time here.
  return gst_segment_to_running_time_full(segment, GST_FORMAT_TIME, time, &running) > 0
             ? running
             : GST_CLOCK_TIME_NONE;
}

// The running time of `element`'s pipeline now, or GST_CLOCK_TIME_NONE before it runs.
GstClockTime running_time_now(GstElement* element) {
  const ClockPtr clock(gst_element_get_clock(element));
  if (!clock) {
    return GST_CLOCK_TIME_NONE;
  }
  const GstClockTime now = gst_clock_get_time(clock.get());
  const GstClockTime base = gst_element_get_base_time(element);
  return now > base ? now - base : GstClockTime{0};
}

}  // namespace

// The programme's encoder thread: whatever goes wrong in here stays here, and the
// encoder is always told to go on (an EOS or error would stop the programme).
GstFlowReturn StreamTap::on_new_sample(GstAppSink* sink, gpointer data) {
  auto* self = static_cast<StreamTap*>(data);
  GstFlowReturn result = GST_FLOW_OK;
  guarded([&] { result = self->hand_out(sink); }, [](const std::string&) {});
  return result;
}

GstFlowReturn StreamTap::hand_out(GstAppSink* sink) {
  SamplePtr sample(gst_app_sink_pull_sample(sink));
  if (!sample) {
    return GST_FLOW_EOS;
  }
  GstBuffer* buffer = gst_sample_get_buffer(sample.get());
  GstCaps* caps = gst_sample_get_caps(sample.get());
  if (buffer == nullptr || caps == nullptr) {
    return GST_FLOW_OK;
  }
  buffers_.fetch_add(1, std::memory_order_relaxed);
  const GstSegment* segment = gst_sample_get_segment(sample.get());
  const auto shifted = [this](GstClockTime time) {
    if (!GST_CLOCK_TIME_IS_VALID(time)) {
      return time;
    }
    return time > lead_ ? time - lead_ : GstClockTime{0};
  };
  const EncodedFrame frame{buffer, caps, shifted(running_time(segment, GST_BUFFER_PTS(buffer))),
                           shifted(running_time(segment, GST_BUFFER_DTS(buffer)))};
  if (GST_CLOCK_TIME_IS_VALID(frame_duration_) && GST_CLOCK_TIME_IS_VALID(frame.pts)) {
    const GstClockTime last = last_pts_;
    if (GST_CLOCK_TIME_IS_VALID(last) && frame.pts > last + frame_duration_ * 3 / 2) {
      const GstClockTime gap = frame.pts - last;
      missing_.fetch_add((gap + frame_duration_ / 2) / frame_duration_ - 1,
                         std::memory_order_relaxed);
    }
    last_pts_ = frame.pts;
    const GstClockTime now = running_time_now(GST_ELEMENT(sink));
    if (GST_CLOCK_TIME_IS_VALID(now)) {
      behind_.store(now > frame.pts ? now - frame.pts : 0, std::memory_order_relaxed);
    }
  }
  if (latency_ != nullptr) {
    latency_->on_encoded(frame.pts);
  }
  std::lock_guard lock(mutex_);
  for (auto it = targets_.begin(); it != targets_.end();) {
    bool failed = false;
    guarded([&] { it->target->on_encoded(it->slot, frame); },
            [&](const std::string& why) {
              failed = true;
              it->target->on_failed(why);
            });
    it = failed ? targets_.erase(it) : it + 1;
  }
  return GST_FLOW_OK;
}

}  // namespace hallcast::engine
