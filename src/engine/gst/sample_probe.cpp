#include "engine/gst/sample_probe.h"

namespace hallcast::engine {

SampleProbe::SampleProbe(GstPad* pad, int channels, bool writes, Work work)
    : channels_(channels), writes_(writes), work_(std::move(work)) {
  const gulong id =
      gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, &SampleProbe::on_buffer, this, nullptr);
  probe_ = PadProbe(pad, id);
}

GstPadProbeReturn SampleProbe::on_buffer(GstPad*, GstPadProbeInfo* info, gpointer data) {
  auto* self = static_cast<SampleProbe*>(data);
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
  self->work_(reinterpret_cast<float*>(map.data), frames);
  gst_buffer_unmap(buffer, &map);
  return GST_PAD_PROBE_OK;
}

}  // namespace hallcast::engine
