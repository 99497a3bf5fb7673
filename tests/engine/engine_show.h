// The engine in-process for tests of its destinations: started on a config the test
// builds, every output's state changes logged as they happen (the engine announces a
// state change at once, unlike the counters), and ways to wait on them. Header-only: it
// needs the engine, which the shared support library does not link.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "engine/engine.h"

namespace hallcast::testing {

using namespace std::chrono_literals;

inline double seconds_of(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

struct StateChange {
  std::chrono::steady_clock::time_point at;
  std::string output;
  show::OutputState state;
  std::string last_error;  // as it was when the state changed
};

// The engine in-process, with every output's state changes logged as they happen
// (the engine announces a state change at once, unlike the counters).
class EngineShow {
 public:
  using Clock = std::chrono::steady_clock;

  // `pipelines`: the folder of pipeline templates (the repository's unless given).
  explicit EngineShow(config::Config config, std::filesystem::path pipelines = {})
      : engine_(make_engine(std::move(config), std::move(pipelines))) {
    engine_->add_listener([this](const show::Event& event) {
      if (const auto* changed = std::get_if<show::OutputChanged>(&event)) {
        // Counter updates come as the same kind of event: keep only new states.
        std::lock_guard lock(mutex_);
        const auto& status = changed->status;
        const auto last = last_state_.find(status.id);
        if (last == last_state_.end() || last->second != status.state) {
          last_state_[status.id] = status.state;
          changes_.push_back({Clock::now(), status.id, status.state, status.last_error});
        }
      }
    });
  }

  void start() { engine_->start(); }
  // Network destinations off at once, the recording finished.
  void stop() { engine_->stop(4s); }

  std::shared_ptr<const show::Snapshot> state() const { return engine_->snapshot(); }

  show::OutputStatus output(const std::string& id) const {
    const auto snapshot = state();
    const auto* status = snapshot->find_output(id);
    EXPECT_NE(status, nullptr) << id;
    return status != nullptr ? *status : show::OutputStatus{};
  }

  show::Reply run(show::Command command) { return engine_->run(std::move(command)); }

  // Polls until every output in `ids` satisfies `ready`; the seconds it took, or
  // nullopt after `timeout`.
  std::optional<double> wait_until(const std::vector<std::string>& ids,
                                   const std::function<bool(const show::OutputStatus&)>& ready,
                                   Clock::duration timeout) const {
    const auto started = Clock::now();
    for (;;) {
      const auto snapshot = state();
      const bool all = std::all_of(ids.begin(), ids.end(), [&](const std::string& id) {
        const auto* status = snapshot->find_output(id);
        return status != nullptr && ready(*status);
      });
      if (all) {
        return seconds_of(Clock::now() - started);
      }
      if (Clock::now() - started > timeout) {
        return std::nullopt;
      }
      std::this_thread::sleep_for(20ms);
    }
  }

  std::optional<double> wait_for(const std::vector<std::string>& ids, show::OutputState wanted,
                                 Clock::duration timeout) const {
    return wait_until(
        ids, [&](const show::OutputStatus& s) { return s.state == wanted; }, timeout);
  }

  // The states `id` entered within [from, to), in order.
  std::vector<show::OutputState> states_entered(const std::string& id, Clock::time_point from,
                                                Clock::time_point to) const {
    std::lock_guard lock(mutex_);
    std::vector<show::OutputState> states;
    for (const auto& change : changes_) {
      if (change.output == id && change.at >= from && change.at < to) {
        states.push_back(change.state);
      }
    }
    return states;
  }

  // When `id` last entered `state` (when the show was made, if never).
  Clock::time_point entered_at(const std::string& id, show::OutputState state) const {
    std::lock_guard lock(mutex_);
    Clock::time_point at = created_;
    for (const auto& change : changes_) {
      if (change.output == id && change.state == state) {
        at = change.at;
      }
    }
    return at;
  }

  // The programme's frame counter as soon as the engine next updates it (twice a
  // second), and when that was: a pace measured between two of these is right to a
  // frame or so, where one read at any moment may be half a second old.
  std::pair<std::uint64_t, Clock::time_point> fresh_frame_count() const {
    const auto old = state()->programme.frames_encoded;
    const auto deadline = Clock::now() + 2s;
    for (;;) {
      const auto now = state()->programme.frames_encoded;
      if (now != old || Clock::now() > deadline) {
        return {now, Clock::now()};
      }
      std::this_thread::sleep_for(5ms);
    }
  }

  // Every state change of `id` so far.
  std::vector<StateChange> changes_of(const std::string& id) const {
    std::lock_guard lock(mutex_);
    std::vector<StateChange> found;
    for (const auto& change : changes_) {
      if (change.output == id) {
        found.push_back(change);
      }
    }
    return found;
  }

  // Every state change so far, for failure messages.
  std::string history() const {
    std::lock_guard lock(mutex_);
    std::string text;
    for (const auto& change : changes_) {
      char line[160];
      std::snprintf(line, sizeof line, "  %7.3f s  %-6s %s", seconds_of(change.at - created_),
                    change.output.c_str(), std::string(show::to_string(change.state)).c_str());
      text += line;
      text += change.last_error.empty() ? "\n" : "  (" + change.last_error + ")\n";
    }
    return text;
  }

 private:
  std::unique_ptr<engine::Engine> make_engine(config::Config config,
                                              std::filesystem::path pipelines) {
    for (const auto& output : config.outputs) {
      redactor_.add(output.key.reveal());
    }
    if (pipelines.empty()) {
      pipelines = std::filesystem::path(HALLCAST_SOURCE_DIR) / "pipelines";
    }
    return std::make_unique<engine::Engine>(std::move(config),
                                            engine::EngineOptions{std::move(pipelines)}, redactor_);
  }

  // Declared before the engine, so they outlive it: the redactor it holds and what
  // its listener writes to until it stops.
  const Clock::time_point created_ = Clock::now();
  common::Redactor redactor_;
  mutable std::mutex mutex_;  // guards the two below (written on the engine thread)
  std::vector<StateChange> changes_;
  std::map<std::string, show::OutputState> last_state_;
  std::unique_ptr<engine::Engine> engine_;
};

}  // namespace hallcast::testing
