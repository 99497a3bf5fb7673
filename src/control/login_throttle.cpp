#include "control/login_throttle.h"

#include <algorithm>
#include <cmath>

namespace hallcast::control {

LoginThrottle::LoginThrottle(LoginThrottleSettings settings)
    : settings_(settings), overall_{settings.overall_burst, Clock::time_point{}} {}

void LoginThrottle::refill(Bucket& bucket, double burst, std::chrono::milliseconds every,
                           Clock::time_point now) const {
  if (bucket.updated == Clock::time_point{} || now <= bucket.updated) {
    bucket.updated = std::max(bucket.updated, now);
    return;
  }
  const double gained =
      std::chrono::duration<double>(now - bucket.updated) / std::chrono::duration<double>(every);
  bucket.attempts = std::min(burst, bucket.attempts + gained);
  bucket.updated = now;
}

std::optional<std::chrono::seconds> LoginThrottle::wait_for(Bucket& bucket, double burst,
                                                            std::chrono::milliseconds every,
                                                            Clock::time_point now) const {
  refill(bucket, burst, every, now);
  if (bucket.attempts >= 1) {
    return std::nullopt;
  }
  const double missing = 1 - bucket.attempts;
  const auto seconds = std::chrono::duration<double>(every).count() * missing;
  return std::chrono::seconds(static_cast<long>(std::ceil(seconds)));
}

std::optional<std::chrono::seconds> LoginThrottle::wait(const std::string& address,
                                                        Clock::time_point now) {
  std::optional<std::chrono::seconds> longest =
      wait_for(overall_, settings_.overall_burst, settings_.overall_refill, now);
  if (const auto it = addresses_.find(address); it != addresses_.end()) {
    const auto own =
        wait_for(it->second, settings_.per_address_burst, settings_.per_address_refill, now);
    if (own && (!longest || *own > *longest)) {
      longest = own;
    }
  }
  return longest;
}

void LoginThrottle::failed(const std::string& address, Clock::time_point now) {
  refill(overall_, settings_.overall_burst, settings_.overall_refill, now);
  overall_.attempts = std::max(0.0, overall_.attempts - 1);
  auto it = addresses_.find(address);
  if (it == addresses_.end()) {
    if (addresses_.size() >= settings_.max_addresses) {
      forget_some(now);
    }
    it = addresses_.emplace(address, Bucket{settings_.per_address_burst, now}).first;
  }
  refill(it->second, settings_.per_address_burst, settings_.per_address_refill, now);
  it->second.attempts = std::max(0.0, it->second.attempts - 1);
}

void LoginThrottle::forget_some(Clock::time_point now) {
  // Those back to a full budget carry nothing worth keeping.
  for (auto it = addresses_.begin(); it != addresses_.end();) {
    refill(it->second, settings_.per_address_burst, settings_.per_address_refill, now);
    it = it->second.attempts >= settings_.per_address_burst ? addresses_.erase(it) : ++it;
  }
  if (addresses_.size() < settings_.max_addresses) {
    return;
  }
  // Still full: so many addresses are failing at once that the overall budget is what
  // holds them back. Forget the one with the most attempts left.
  const auto most = std::max_element(
      addresses_.begin(), addresses_.end(),
      [](const auto& a, const auto& b) { return a.second.attempts < b.second.attempts; });
  addresses_.erase(most);
}

}  // namespace hallcast::control
