// Switch latency: from the moment a switch command reaches the engine to the first
// encoded frame that shows the new picture. The compositor callback that applies a
// switch names the frame (its running time); the video tap sees that frame leave the
// encoder and closes the measurement. Thread-safe: both ends run on streaming threads.
#pragma once

#include <gst/gst.h>

#include <chrono>
#include <deque>
#include <mutex>
#include <vector>

#include "show/state.h"

namespace hallcast::engine {

class SwitchLatency {
 public:
  using Clock = std::chrono::steady_clock;

  // A switch ordered at `ordered` shows from the frame at running time `frame`.
  void expect(GstClockTime frame, Clock::time_point ordered);
  // A frame at running time `frame` has been encoded.
  void on_encoded(GstClockTime frame);

  show::LatencyStats stats() const;

 private:
  struct Pending {
    GstClockTime frame;
    Clock::time_point ordered;
  };
  // Enough recent switches for a p99 that means something over a show.
  static constexpr std::size_t kWindow = 1000;

  mutable std::mutex mutex_;  // guards everything below
  std::deque<Pending> pending_;
  std::deque<double> recent_ms_;
  std::uint64_t count_ = 0;
  double max_ms_ = 0.0;
};

}  // namespace hallcast::engine
