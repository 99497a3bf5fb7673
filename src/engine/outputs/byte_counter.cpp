#include "engine/outputs/byte_counter.h"

namespace hallcast::engine {

void ByteCounter::count(GstElement* element) {
  PadPtr pad = adopt(gst_element_get_static_pad(element, "src"));
  if (!pad) {
    return;
  }
  const gulong id = gst_pad_add_probe(pad.get(), GST_PAD_PROBE_TYPE_BUFFER, &ByteCounter::on_buffer,
                                      this, nullptr);
  probes_.emplace_back(pad.get(), id);
}

// A streaming thread. Nothing in here can throw: an atomic add on a size.
GstPadProbeReturn ByteCounter::on_buffer(GstPad*, GstPadProbeInfo* info, gpointer self) {
  static_cast<ByteCounter*>(self)->bytes_.fetch_add(
      gst_buffer_get_size(GST_PAD_PROBE_INFO_BUFFER(info)), std::memory_order_relaxed);
  return GST_PAD_PROBE_OK;
}

}  // namespace hallcast::engine
