#include "engine/inputs/test_audio_gate.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace hallcast::engine {

TestAudioGate::TestAudioGate(GstPad* pad, int rate, int channels, double on_s, double off_s,
                             FailureSink* failures)
    : rate_(rate),
      channels_(channels),
      on_(static_cast<std::uint64_t>(std::llround(on_s * rate))),
      period_(std::max<std::uint64_t>(1, std::llround((on_s + off_s) * rate))),
      failures_(failures),
      probe_(PadProbe::add(pad, GST_PAD_PROBE_TYPE_BUFFER, &TestAudioGate::on_buffer, this)) {}

GstPadProbeReturn TestAudioGate::on_buffer(GstPad*, GstPadProbeInfo* info, gpointer data) {
  auto* self = static_cast<TestAudioGate*>(data);
  contain(self->failures_, part::kInputs, "test audio", [&] { self->gate(info); });
  return GST_PAD_PROBE_OK;
}

void TestAudioGate::gate(GstPadProbeInfo* info) {
  GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info);
  // Position from the running timestamp, so the rhythm follows the clock.
  const GstClockTime pts = GST_BUFFER_PTS(buffer);
  if (!GST_CLOCK_TIME_IS_VALID(pts)) {
    return;
  }
  const std::uint64_t first = gst_util_uint64_scale_round(pts, rate_, GST_SECOND);
  const std::size_t frame_bytes = sizeof(float) * channels_;
  const std::size_t frames = gst_buffer_get_size(buffer) / frame_bytes;

  // Most buffers lie wholly inside a stretch of sound: leave those untouched.
  if (first % period_ + frames <= on_) {
    return;
  }

  buffer = gst_buffer_make_writable(buffer);
  GST_PAD_PROBE_INFO_DATA(info) = buffer;
  GstMapInfo map;
  if (!gst_buffer_map(buffer, &map, GST_MAP_WRITE)) {
    return;
  }
  for (std::size_t i = 0; i < frames; ++i) {
    if (silent_at(first + i)) {
      std::memset(map.data + i * frame_bytes, 0, frame_bytes);
    }
  }
  gst_buffer_unmap(buffer, &map);
}

}  // namespace hallcast::engine
