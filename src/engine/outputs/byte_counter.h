// Counts the bytes leaving the source pads of some elements (a destination's feeds):
// what its pipeline has taken from the programme. Written by streaming threads, read
// by the engine thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "engine/gst/gst_ptr.h"

namespace hallcast::engine {

class ByteCounter {
 public:
  ByteCounter() = default;
  ByteCounter(const ByteCounter&) = delete;
  ByteCounter& operator=(const ByteCounter&) = delete;

  // Counts what leaves `element`'s "src" pad from now on, until this counter goes.
  void count(GstElement* element);
  std::uint64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

 private:
  static GstPadProbeReturn on_buffer(GstPad* pad, GstPadProbeInfo* info, gpointer self);

  std::atomic<std::uint64_t> bytes_{0};
  std::vector<PadProbe> probes_;  // last: removed before the counter goes
};

}  // namespace hallcast::engine
