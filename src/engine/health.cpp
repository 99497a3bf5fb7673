#include "engine/health.h"

#include <spdlog/spdlog.h>

namespace hallcast::engine {

namespace {

std::string label(const std::string& part, const std::string& unit) {
  return unit.empty() ? part : part + " " + unit;
}

}  // namespace

HealthBoard::HealthBoard(const common::Redactor& redactor) : redactor_(redactor) {}

void HealthBoard::attach(EngineThread& thread, Changed on_change) {
  thread_ = &thread;
  on_change_ = std::move(on_change);
}

void HealthBoard::on_restart(std::string_view part, Restart restart) {
  restarts_[std::string(part)] = std::move(restart);
}

void HealthBoard::clear_restarts() {
  restarts_.clear();
  for (auto& [key, unit] : units_) {
    unit.wait.reset();
    if (unit.restarting) {
      unit.restarting = false;
      publish(key.first);
    }
  }
}

void HealthBoard::failed(std::string_view part, std::string_view unit,
                         std::string_view what) noexcept {
  try {
    if (thread_ == nullptr) {
      spdlog::error("{}: {}", label(std::string(part), std::string(unit)), redactor_.scrub(what));
      return;
    }
    // Always on a later turn, even from the engine thread: the piece that failed may be
    // in the middle of changing itself.
    thread_->post([this, p = std::string(part), u = std::string(unit), w = std::string(what)] {
      take(p, u, w);
    });
  } catch (...) {
    // Out of memory while reporting a failure: nothing more can be done about it here.
  }
}

void HealthBoard::take(const std::string& part, const std::string& unit_name,
                       const std::string& what) {
  const Key key{part, unit_name};
  auto [it, inserted] = units_.try_emplace(key, std::hash<std::string>{}(part + "/" + unit_name));
  Unit& unit = it->second;
  const std::string text = redactor_.scrub(what);
  if (unit.restarting) {
    // The same failure heard again (a branch's error and its bus message): it is
    // already switched off and waiting.
    spdlog::debug("{}: {}", label(part, unit_name), text);
    return;
  }
  const auto now = Clock::now();
  if (unit.last_failure != Clock::time_point{} && now - unit.last_failure > kHeldFor) {
    unit.backoff.reset();
  }
  unit.last_failure = now;
  log(unit, key, text);

  show::PartHealth& health = parts_[part];
  health.part = part;
  ++health.failures;
  health.last_error = unit_name.empty() ? text : unit_name + ": " + text;
  if (restarts_.count(part) != 0) {
    unit.restarting = true;
    const auto wait = unit.backoff.next();
    unit.wait =
        thread_->add_timeout(static_cast<unsigned>(wait.count()), [this, key] { restart(key); });
  }
  publish(part);
}

void HealthBoard::restart(const Key& key) {
  Unit& unit = units_.at(key);
  unit.restarting = false;
  auto it = restarts_.find(key.first);
  if (it != restarts_.end()) {
    try {
      it->second(key.second);
    } catch (const std::exception& e) {
      take(key.first, key.second, e.what());
      return;
    }
    spdlog::info("{}: running again", label(key.first, key.second));
  }
  publish(key.first);
}

void HealthBoard::log(Unit& unit, const Key& key, const std::string& text) {
  const auto now = Clock::now();
  if (unit.last_logged != Clock::time_point{} && now - unit.last_logged < kLogEvery) {
    ++unit.unlogged;
    return;
  }
  if (unit.unlogged > 0) {
    spdlog::error("{}: {} (and {} more since the last report)", label(key.first, key.second), text,
                  unit.unlogged);
  } else {
    spdlog::error("{}: {}", label(key.first, key.second), text);
  }
  unit.last_logged = now;
  unit.unlogged = 0;
}

void HealthBoard::publish(const std::string& part) {
  auto it = parts_.find(part);
  if (it == parts_.end()) {
    return;
  }
  bool restarting = false;
  for (const auto& [key, unit] : units_) {
    restarting |= key.first == part && unit.restarting;
  }
  it->second.state = restarting ? show::PartState::restarting : show::PartState::ok;
  if (on_change_) {
    on_change_(it->second);
  }
}

}  // namespace hallcast::engine
