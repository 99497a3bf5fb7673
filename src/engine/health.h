// Where every contained failure goes (gst/contain.h), and what becomes of the part that
// failed: the state's `health`.
//
// A failure is logged, scrubbed of secrets (at most one line per piece every
// kLogEvery, with a count of the rest), counted, and shown as a PartHealth. A part
// with a restart (the multiview, the captions, the meters, the audio processing) has
// already switched the failing piece off where it failed; it is started again here
// after a backoff (1 s, doubling up to kLongestWait; back to 1 s once a piece has held
// for kHeldFor), and shows `restarting` until then. Other parts (the engine's own
// work, the mixer's and the inputs' callbacks) go on at their next call: they show `ok`
// with their count and last error. The programme and every destination go on either
// way.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "common/backoff.h"
#include "common/redactor.h"
#include "engine/engine_thread.h"
#include "engine/gst/contain.h"
#include "show/state.h"

namespace hallcast::engine {

class HealthBoard final : public FailureSink {
 public:
  using Clock = std::chrono::steady_clock;
  // Starts `unit` of a part again; engine thread; a throw counts as another failure.
  using Restart = std::function<void(const std::string& unit)>;
  using Changed = std::function<void(const show::PartHealth&)>;

  static constexpr std::chrono::milliseconds kFirstWait{1000};
  static constexpr std::chrono::milliseconds kLongestWait{30000};
  static constexpr std::chrono::seconds kHeldFor{60};
  static constexpr std::chrono::seconds kLogEvery{10};

  // `redactor` must outlive the board.
  explicit HealthBoard(const common::Redactor& redactor);
  HealthBoard(const HealthBoard&) = delete;
  HealthBoard& operator=(const HealthBoard&) = delete;

  // Before anything can fail: the thread failures are taken to, and who hears of a
  // change there. Until then failures are only logged. This board must outlive the
  // thread (work it posted may still run while the thread stops).
  void attach(EngineThread& thread, Changed on_change);

  // Engine thread: how `part` is started again.
  void on_restart(std::string_view part, Restart restart);
  // Engine thread: drop every restart and every pending wait (the programme goes).
  void clear_restarts();

  // Any thread.
  void failed(std::string_view part, std::string_view unit,
              std::string_view what) noexcept override;

 private:
  struct Unit {
    explicit Unit(std::uint64_t seed) : backoff(kFirstWait, kLongestWait, seed) {}
    bool restarting = false;
    common::Backoff backoff;
    Clock::time_point last_failure{};
    Clock::time_point last_logged{};
    std::uint64_t unlogged = 0;  // failures since the last line about this unit
    SourcePtr wait;
  };
  using Key = std::pair<std::string, std::string>;  // part, unit

  void take(const std::string& part, const std::string& unit, const std::string& what);
  void restart(const Key& key);
  void log(Unit& unit, const Key& key, const std::string& text);
  void publish(const std::string& part);

  const common::Redactor& redactor_;
  // Set once by attach, before anything can fail; then read from any thread.
  EngineThread* thread_ = nullptr;
  // Engine thread only, from here on.
  Changed on_change_;
  std::map<std::string, Restart, std::less<>> restarts_;
  std::map<Key, Unit> units_;
  std::map<std::string, show::PartHealth> parts_;
};

}  // namespace hallcast::engine
