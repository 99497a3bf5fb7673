// The flash of a `test:video?…&flash_s=S` source: the frame showing each multiple of S
// seconds of running time is painted white. With a `test:audio` beep on the same beat
// (on_s/off_s), the recording shows whether sound and picture stay together.
#pragma once

#include <gst/video/video.h>

#include "engine/gst/contain.h"
#include "engine/gst/gst_ptr.h"

namespace hallcast::engine {

class TestVideoFlash {
 public:
  // `pad` carries I420 frames of `width`×`height`. `failures` (may be null) must outlive
  // the flash.
  TestVideoFlash(GstPad* pad, int width, int height, double every_s,
                 FailureSink* failures = nullptr);

 private:
  static GstPadProbeReturn on_buffer(GstPad* pad, GstPadProbeInfo* info, gpointer self);
  void flash(GstPadProbeInfo* info);

  GstVideoInfo info_;
  GstClockTime every_;
  FailureSink* failures_;
  PadProbe probe_;
};

}  // namespace hallcast::engine
