#include "engine/video/switch_latency.h"

#include <algorithm>

namespace hallcast::engine {

void SwitchLatency::expect(GstClockTime frame, Clock::time_point ordered) {
  if (!GST_CLOCK_TIME_IS_VALID(frame)) {
    return;
  }
  std::lock_guard lock(mutex_);
  pending_.push_back({frame, ordered});
}

void SwitchLatency::on_encoded(GstClockTime frame) {
  if (!GST_CLOCK_TIME_IS_VALID(frame)) {
    return;
  }
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  while (!pending_.empty() && pending_.front().frame <= frame) {
    const double ms =
        std::chrono::duration<double, std::milli>(now - pending_.front().ordered).count();
    pending_.pop_front();
    ++count_;
    max_ms_ = std::max(max_ms_, ms);
    recent_ms_.push_back(ms);
    if (recent_ms_.size() > kWindow) {
      recent_ms_.pop_front();
    }
  }
}

show::LatencyStats SwitchLatency::stats() const {
  std::vector<double> sorted;
  show::LatencyStats s;
  {
    std::lock_guard lock(mutex_);
    sorted.assign(recent_ms_.begin(), recent_ms_.end());
    s.count = count_;
    s.max_ms = max_ms_;
    s.last_ms = recent_ms_.empty() ? 0.0 : recent_ms_.back();
  }
  if (!sorted.empty()) {
    std::sort(sorted.begin(), sorted.end());
    auto at = [&](double q) {
      return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(q * sorted.size()))];
    };
    s.p50_ms = at(0.50);
    s.p99_ms = at(0.99);
  }
  return s;
}

}  // namespace hallcast::engine
