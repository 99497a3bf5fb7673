// What the engine drives for each output of the config: on and off the air, its
// language, its state. An OutputUnit is a destination hallcast sends to itself; a
// RelayedOutput (engine/relay/) is one the relay sends to, from the upload of its
// language. The engine's commands and timers treat both alike.
//
// All methods run on the engine thread.
#pragma once

#include <chrono>
#include <string>

#include "config/config.h"
#include "show/state.h"

namespace hallcast::engine {

class OutputDriver {
 public:
  virtual ~OutputDriver() = default;

  // Build what going on the air takes without going live; throws BuildError. For
  // `check`.
  virtual void build() = 0;
  // On the air, and kept there until stop(). Problems become states, never exceptions.
  virtual void start() = 0;
  // Off the air at once.
  virtual void stop() = 0;
  // Off the air with a clean end (a recording gets its index), bounded by `deadline`.
  virtual void finish(std::chrono::steady_clock::time_point deadline) = 0;
  // Which language track it carries, switched live; false when it cannot be switched
  // (fixed_language_reason() says why). `language` must be a programme track.
  virtual bool set_language(const std::string& language) = 0;
  virtual std::string fixed_language_reason() const = 0;
  // Periodic: counters, and the state changes that time alone brings.
  virtual void tick() = 0;

  virtual const show::OutputStatus& status() const = 0;
  virtual const config::Output& config() const = 0;
  // Why it will not start by itself (no key, …); empty when it can.
  virtual std::string unstartable_reason() const = 0;
};

}  // namespace hallcast::engine
