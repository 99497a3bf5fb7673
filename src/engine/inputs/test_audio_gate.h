// The on/off rhythm of a `test:audio?…&on_s=A&off_s=B` source: sound for A seconds,
// silence for B, repeating — a stand-in for a booth or a panelist who talks in turns.
// Applied sample-exactly by a buffer probe on the source's output.
#pragma once

#include <gst/gst.h>

#include <cstdint>

#include "engine/gst/contain.h"
#include "engine/gst/gst_ptr.h"

namespace hallcast::engine {

class TestAudioGate {
 public:
  // `pad` carries interleaved F32 at `rate` with `channels` channels. `failures` (may be
  // null) must outlive the gate.
  TestAudioGate(GstPad* pad, int rate, int channels, double on_s, double off_s,
                FailureSink* failures = nullptr);

 private:
  // True when sample number `n` (counted from the start) falls in a silent stretch.
  bool silent_at(std::uint64_t n) const { return n % period_ >= on_; }
  static GstPadProbeReturn on_buffer(GstPad* pad, GstPadProbeInfo* info, gpointer self);
  void gate(GstPadProbeInfo* info);

  int rate_;
  int channels_;
  std::uint64_t on_;      // samples of sound per period
  std::uint64_t period_;  // samples per period
  FailureSink* failures_;
  PadProbe probe_;
};

}  // namespace hallcast::engine
