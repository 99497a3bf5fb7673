// Runs sample-level work (DSP, analysis) on the raw F32 audio passing a pad, from a
// buffer probe: no extra element, no extra thread, no copy unless the buffer is shared
// and the work writes.
//
// Work that throws is switched off: the buffer and every one after it pass as they
// are (the audio goes on, unprocessed or unmeasured) until `resume`, and the failure
// goes to the FailureSink under the probe's part and unit.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "engine/gst/contain.h"
#include "engine/gst/gst_ptr.h"

namespace hallcast::engine {

class SampleProbe {
 public:
  // `work` gets the interleaved samples of each buffer and the frame count. With
  // `writes`, it may change them in place. `failures` must outlive the probe.
  using Work = std::function<void(float* samples, std::size_t frames)>;
  struct Charge {
    FailureSink* failures = nullptr;
    std::string_view part;
    std::string unit;
  };
  SampleProbe(GstPad* pad, int channels, bool writes, Work work, Charge charge);
  SampleProbe(const SampleProbe&) = delete;
  SampleProbe& operator=(const SampleProbe&) = delete;

  const Charge& charge() const { return charge_; }
  // Run the work again after a failure. Any thread.
  void resume() { running_.store(true); }

 private:
  static GstPadProbeReturn on_buffer(GstPad* pad, GstPadProbeInfo* info, gpointer self);

  int channels_;
  bool writes_;
  Work work_;
  Charge charge_;
  std::atomic<bool> running_{true};
  PadProbe probe_;  // last: removed before the members above go
};

}  // namespace hallcast::engine
