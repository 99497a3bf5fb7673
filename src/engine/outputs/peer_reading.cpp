#include "engine/outputs/peer_reading.h"

#include <algorithm>
#include <cstdio>

namespace hallcast::engine {

namespace {

std::string kilobytes(std::uint64_t bytes) {
  return std::to_string((bytes + 512) / 1024) + " kB";
}

std::string seconds(std::chrono::steady_clock::duration d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", std::chrono::duration<double>(d).count());
  return text;
}

}  // namespace

std::string PeerReading::add(const TcpSample& sample) {
  if (!samples_.empty() && sample.acked < samples_.back().acked) {
    samples_.clear();  // another connection: start again
    open_window_ = 0;
  }
  samples_.push_back(sample);
  open_window_ = std::max(open_window_, sample.window);
  // Keep one sample at least a span old, and everything after it.
  while (samples_.size() > 2 && sample.at - samples_[1].at >= span_) {
    samples_.pop_front();
  }
  const TcpSample& base = samples_.front();
  if (sample.at - base.at < span_) {
    return {};
  }
  const std::uint64_t acked = sample.acked - base.acked;
  const std::uint64_t edge = sample.acked + sample.window;
  const std::uint64_t base_edge = base.acked + base.window;
  const std::uint64_t room = edge > base_edge ? edge - base_edge : 0;
  const auto span = sample.at - base.at;
  if (acked >= kLeastAcked && room * 4 < acked) {
    return "the server stopped reading: it acknowledged " + kilobytes(acked) + " in " +
           seconds(span) + " but made room for only " + kilobytes(room);
  }
  // Small segments (a thin programme: audio and a still picture) cost the server's
  // kernel more buffer than they carry, and it gathers them up as they wait, so its edge
  // still moves by most of what it acknowledges — 85 % as measured against a stopped
  // nginx-rtmp — but the window shrinks and never opens up again. A server that reads
  // empties its buffer every time it runs, so its window is back at its open size at
  // almost every look; missing it at every look of a whole span is not bad luck.
  const bool never_open = std::all_of(samples_.begin() + 1, samples_.end(),
                                      [&](const auto& s) { return s.window < open_window_; });
  if (acked >= kLeastAcked && never_open && sample.window < base.window) {
    return "the server stopped reading: its receive window stayed below its open size (" +
           kilobytes(open_window_) + ") for " + seconds(span) + " and shrank from " +
           kilobytes(base.window) + " to " + kilobytes(sample.window);
  }
  if (room == 0 && sample.window == 0 && sample.unsent > 0) {
    return "the server stopped reading: it made no room in " + seconds(span) +
           " and its receive window is shut";
  }
  return {};
}

}  // namespace hallcast::engine
