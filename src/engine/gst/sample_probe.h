// Runs sample-level work (DSP, analysis) on the raw F32 audio passing a pad, from a
// buffer probe: no extra element, no extra thread, no copy unless the buffer is shared
// and the work writes.
#pragma once

#include <functional>

#include "engine/gst/gst_ptr.h"

namespace hallcast::engine {

class SampleProbe {
 public:
  // `work` gets the interleaved samples of each buffer and the frame count. With
  // `writes`, it may change them in place.
  using Work = std::function<void(float* samples, std::size_t frames)>;
  SampleProbe(GstPad* pad, int channels, bool writes, Work work);
  SampleProbe(const SampleProbe&) = delete;
  SampleProbe& operator=(const SampleProbe&) = delete;

 private:
  static GstPadProbeReturn on_buffer(GstPad* pad, GstPadProbeInfo* info, gpointer self);

  int channels_;
  bool writes_;
  Work work_;
  PadProbe probe_;  // last: removed before the members above go
};

}  // namespace hallcast::engine
