// How long a failed destination waits before it tries again: exponential backoff with
// jitter. The wait doubles with every failure in a row up to a cap, and each wait is
// drawn from the upper half of its range, so that destinations which failed together
// (the same ingest went down) do not all knock again at the same instant.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace hallcast::common {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds first, std::chrono::milliseconds cap, std::uint64_t seed);

  // The wait before the next attempt; each call counts one more failure.
  std::chrono::milliseconds next();
  // A session that held: the next failure waits the shortest time again.
  void reset() { failures_ = 0; }
  int failures() const { return failures_; }

 private:
  std::chrono::milliseconds first_;
  std::chrono::milliseconds cap_;
  int failures_ = 0;
  std::mt19937_64 random_;
};

}  // namespace hallcast::common
