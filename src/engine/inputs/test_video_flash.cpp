#include "engine/inputs/test_video_flash.h"

#include <cmath>
#include <cstring>

namespace hallcast::engine {

TestVideoFlash::TestVideoFlash(GstPad* pad, int width, int height, double every_s,
                               FailureSink* failures)
    : every_(static_cast<GstClockTime>(std::llround(every_s * GST_SECOND))), failures_(failures) {
  gst_video_info_set_format(&info_, GST_VIDEO_FORMAT_I420, width, height);
  probe_ = PadProbe::add(pad, GST_PAD_PROBE_TYPE_BUFFER, &TestVideoFlash::on_buffer, this);
}

GstPadProbeReturn TestVideoFlash::on_buffer(GstPad*, GstPadProbeInfo* info, gpointer data) {
  auto* self = static_cast<TestVideoFlash*>(data);
  contain(self->failures_, part::kInputs, "test video", [&] { self->flash(info); });
  return GST_PAD_PROBE_OK;
}

void TestVideoFlash::flash(GstPadProbeInfo* info) {
  GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info);
  const GstClockTime pts = GST_BUFFER_PTS(buffer);
  const GstClockTime duration = GST_BUFFER_DURATION(buffer);
  if (!GST_CLOCK_TIME_IS_VALID(pts) || !GST_CLOCK_TIME_IS_VALID(duration) || every_ == 0) {
    return;
  }
  // Is this the frame that starts nearest a multiple of every_, i.e. does
  // (pts - duration / 2, pts + duration / 2] hold one? A live camera's frames start at
  // any phase of the programme's frames; the nearest one keeps the flash within half
  // a frame of the beep's first sample.
  const GstClockTime after = pts + 1 >= duration / 2 ? pts + 1 - duration / 2 : 0;
  const GstClockTime next = (after + every_ - 1) / every_ * every_;
  if (next > pts + duration / 2) {
    return;
  }
  buffer = gst_buffer_make_writable(buffer);
  GST_PAD_PROBE_INFO_DATA(info) = buffer;
  GstVideoFrame frame;
  if (!gst_video_frame_map(&frame, &info_, buffer, GST_MAP_WRITE)) {
    return;
  }
  for (guint plane = 0; plane < GST_VIDEO_FRAME_N_PLANES(&frame); ++plane) {
    auto* data_ptr = static_cast<guint8*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, plane));
    const int stride = GST_VIDEO_FRAME_PLANE_STRIDE(&frame, plane);
    const int rows = GST_VIDEO_FRAME_COMP_HEIGHT(&frame, plane);
    std::memset(data_ptr, plane == 0 ? 235 : 128, static_cast<std::size_t>(stride) * rows);
  }
  gst_video_frame_unmap(&frame);
}

}  // namespace hallcast::engine
