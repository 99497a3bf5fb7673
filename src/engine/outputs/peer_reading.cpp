#include "engine/outputs/peer_reading.h"

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
  }
  samples_.push_back(sample);
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
  if (room == 0 && sample.window == 0 && sample.unsent > 0) {
    return "the server stopped reading: it made no room in " + seconds(span) +
           " and its receive window is shut";
  }
  return {};
}

}  // namespace hallcast::engine
