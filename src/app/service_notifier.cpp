#include "app/service_notifier.h"
#include "common/thread_name.h"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <algorithm>
#include <cstdlib>

namespace hallcast::app {

namespace {

using namespace std::chrono_literals;

// How often the notifier looks before READY=1 is sent: READY follows the first frames
// closely.
constexpr std::chrono::milliseconds kReadyPoll{100};

void notify(const char* what) {
  const int result = sd_notify(0, what);
  if (result < 0) {
    spdlog::warn("systemd: cannot notify {}: error {}", what, -result);
  }
}

}  // namespace

void Liveness::beat(std::uint64_t frames_encoded, Clock::time_point now) {
  last_beat = now;
  if (frames_encoded > frames) {
    frames = frames_encoded;
    last_progress = now;
  }
}

bool Liveness::alive(Clock::time_point now) const {
  return frames > 0 && now - last_beat <= kMaxSilence && now - last_progress <= kMaxSilence;
}

ServiceNotifier::ServiceNotifier() : enabled_(std::getenv("NOTIFY_SOCKET") != nullptr) {
  std::uint64_t usec = 0;
  if (enabled_ && sd_watchdog_enabled(0, &usec) > 0) {
    watchdog_ = std::chrono::microseconds(usec);
  }
}

ServiceNotifier::~ServiceNotifier() {
  stopping();
}

void ServiceNotifier::heartbeat(std::uint64_t frames_encoded) {
  std::lock_guard lock(mutex_);
  liveness_.beat(frames_encoded, Liveness::Clock::now());
}

void ServiceNotifier::start() {
  if (!enabled_ || thread_.joinable()) {
    return;
  }
  if (watchdog_.count() > 0) {
    spdlog::info("systemd: watchdog every {} ms", watchdog_.count() / 1000);
  }
  thread_ = std::thread([this] {
    common::name_this_thread("systemd-notify");
    run();
  });
}

void ServiceNotifier::stopping() {
  {
    std::lock_guard lock(mutex_);
    if (stop_) {
      return;
    }
    stop_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) {
    thread_.join();
  }
  if (enabled_) {
    notify("STOPPING=1");
  }
}

void ServiceNotifier::run() {
  // systemd's advice: ping at half the watchdog's period at most; a quarter leaves
  // room for a late turn.
  const auto turn =
      watchdog_.count() == 0
          ? std::chrono::milliseconds(1000)
          : std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(watchdog_ / 4),
                       std::chrono::milliseconds(100), std::chrono::milliseconds(5000));
  bool ready = false;
  bool said_dead = false;
  std::unique_lock lock(mutex_);
  while (!stop_) {
    const bool alive = liveness_.alive(Liveness::Clock::now());
    lock.unlock();
    if (alive && !ready) {
      ready = true;
      notify("READY=1\nSTATUS=on the air");
      spdlog::info("systemd: ready");
    } else if (alive && watchdog_.count() > 0) {
      notify("WATCHDOG=1");
    }
    if (ready && !alive && !said_dead) {
      said_dead = true;
      spdlog::error("systemd: the engine or the programme has stopped moving; no more pings");
    } else if (alive && said_dead) {
      said_dead = false;
      spdlog::info("systemd: moving again; the pings resume");
    }
    lock.lock();
    wake_.wait_for(lock, ready ? turn : kReadyPoll, [this] { return stop_; });
  }
}

}  // namespace hallcast::app
