#include "engine/gst/sample_probe.h"

namespace hallcast::engine {

SampleProbe::SampleProbe(GstPad* pad, int channels, bool writes, Work work, Charge charge)
    : channels_(channels), writes_(writes), work_(std::move(work)), charge_(std::move(charge)) {
  probe_ = PadProbe::add(pad, GST_PAD_PROBE_TYPE_BUFFER, &SampleProbe::on_buffer, this);
}

GstPadProbeReturn SampleProbe::on_buffer(GstPad*, GstPadProbeInfo* info, gpointer data) {
  auto* self = static_cast<SampleProbe*>(data);
  if (!self->running_.load(std::memory_order_relaxed)) {
    return GST_PAD_PROBE_OK;
  }
  GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info);
  if (self->writes_) {
    buffer = gst_buffer_make_writable(buffer);
    GST_PAD_PROBE_INFO_DATA(info) = buffer;
  }
  GstMapInfo map;
  if (!gst_buffer_map(buffer, &map, self->writes_ ? GST_MAP_READWRITE : GST_MAP_READ)) {
    return GST_PAD_PROBE_OK;
  }
  const std::size_t frames = map.size / (sizeof(float) * self->channels_);
  try {
    self->work_(reinterpret_cast<float*>(map.data), frames);
  } catch (...) {
    // Off first, so that a restart that follows the report finds it off.
    self->running_.store(false);
    detail::report_current(self->charge_.failures, self->charge_.part, self->charge_.unit);
  }
  gst_buffer_unmap(buffer, &map);
  return GST_PAD_PROBE_OK;
}

}  // namespace hallcast::engine
