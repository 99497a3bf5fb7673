// How a destination's lifecycle learns whether the current attempt is getting through:
// what has been delivered, whether the far end has been reached, and whether it has
// stopped taking data. Each kind of destination measures this its own way (an RTMP
// connection's counters and socket, an SRT listener's callers, the bytes on disk);
// the lifecycle asks the same question of all of them, once a tick, and knows nothing
// of how the answer was found. A future sink that writes every destination from one
// thread answers it the same way.
#pragma once

#include <cstdint>
#include <string>

namespace hallcast::engine {

struct Progress {
  // Everything delivered since the attempt began (the counters and bitrate).
  std::uint64_t bytes = 0;
  // The far end has been reached and takes what is sent: the destination is live.
  bool reached = false;
  // Not being reached is normal and has no deadline (an SRT listener waiting for a
  // receiver to call); otherwise an attempt that reaches nobody in time has failed.
  bool waiting_is_normal = false;
  // Non-empty: the far end has stopped taking data, and why it is judged so. The
  // attempt has failed even though nothing reported an error.
  std::string stuck;
};

class ProgressSensor {
 public:
  virtual ~ProgressSensor() = default;
  // On the engine thread, once a tick while the attempt runs.
  virtual Progress read() = 0;
};

}  // namespace hallcast::engine
