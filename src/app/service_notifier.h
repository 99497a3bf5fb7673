// Tells systemd how the show is doing (a `Type=notify` unit with `WatchdogSec=`, see
// deploy/hallcast.service), through libsystemd's sd_notify: READY=1 once the programme
// really runs (its first frames encoded), WATCHDOG=1 while the engine thread keeps
// turning and the programme keeps making frames, STOPPING=1 on the way out. Outside
// systemd (no NOTIFY_SOCKET) it does nothing.
//
// The engine knows nothing of systemd: its heartbeat (Engine::on_heartbeat) feeds
// heartbeat() here, and a thread of the notifier's own decides at each turn whether the
// show is alive. A wedged engine thread stops the heartbeats; a stuck programme keeps
// the frame count still; either way the pings stop and systemd restarts hallcast.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace hallcast::app {

// The rule for "alive", apart so it can be tested on its own.
struct Liveness {
  using Clock = std::chrono::steady_clock;
  // A heartbeat comes every 500 ms and frames about 30 times a second; this much
  // silence is no hiccup of a loaded machine.
  static constexpr std::chrono::milliseconds kMaxSilence{3000};

  Clock::time_point last_beat{};      // the engine's last heartbeat
  Clock::time_point last_progress{};  // the last beat that brought new frames
  std::uint64_t frames = 0;           // encoded so far, as of the last beat

  // A beat at `now` with `frames_encoded` frames so far.
  void beat(std::uint64_t frames_encoded, Clock::time_point now);
  // On the air (frames came) and both the engine thread and the programme moved lately.
  bool alive(Clock::time_point now) const;
};

class ServiceNotifier {
 public:
  ServiceNotifier();  // reads NOTIFY_SOCKET and WATCHDOG_USEC
  ~ServiceNotifier();
  ServiceNotifier(const ServiceNotifier&) = delete;
  ServiceNotifier& operator=(const ServiceNotifier&) = delete;

  // From the engine's heartbeat, on the engine thread; quick.
  void heartbeat(std::uint64_t frames_encoded);

  // Starts watching: READY=1 as soon as the show is alive, then WATCHDOG=1 at each
  // turn while it stays so.
  void start();

  // STOPPING=1, and no more pings. Idempotent.
  void stopping();

 private:
  void run();

  const bool enabled_;                     // NOTIFY_SOCKET is set
  std::chrono::microseconds watchdog_{0};  // 0: no watchdog asked for
  std::mutex mutex_;                       // guards the members below
  std::condition_variable wake_;
  Liveness liveness_;
  bool stop_ = false;
  std::thread thread_;  // started and joined by the owner's thread
};

}  // namespace hallcast::app
