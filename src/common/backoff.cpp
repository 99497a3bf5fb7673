#include "common/backoff.h"

#include <algorithm>

namespace hallcast::common {

Backoff::Backoff(std::chrono::milliseconds first, std::chrono::milliseconds cap, std::uint64_t seed)
    : first_(first), cap_(cap), random_(seed) {}

std::chrono::milliseconds Backoff::next() {
  // 2^failures without overflow: past the cap the exponent no longer matters.
  const int doublings = std::min(failures_, 30);
  const auto ceiling = std::min<std::int64_t>(cap_.count(), first_.count() << doublings);
  ++failures_;
  std::uniform_int_distribution<std::int64_t> pick(ceiling / 2, ceiling);
  return std::chrono::milliseconds(pick(random_));
}

}  // namespace hallcast::common
