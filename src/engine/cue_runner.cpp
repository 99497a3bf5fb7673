#include "engine/cue_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "show/schedule.h"

namespace hallcast::engine {

namespace {

config::WallTime wall_now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(config::WallClock::now());
}

show::Reply no_cue(std::size_t index, std::size_t count) {
  return show::Reply::failure(
      show::ErrorCode::unknown_cue,
      "no cue " + std::to_string(index) + " (the schedule has " + std::to_string(count) + ")");
}

}  // namespace

CueRunner::CueRunner(EngineThread& thread, std::vector<show::CueStatus>& schedule, Execute execute,
                     Changed changed)
    : thread_(thread),
      schedule_(schedule),
      execute_(std::move(execute)),
      changed_(std::move(changed)) {}

void CueRunner::start() {
  running_ = true;
  for (const auto& cue : schedule_) {
    if (cue.state == show::CueState::passed) {
      spdlog::info("cue {} ({}): its time had passed when the show started; not run", cue.index,
                   cue.at_text);
    }
  }
  arm();
}

void CueRunner::stop() {
  running_ = false;
  timer_.reset();
}

void CueRunner::arm() {
  timer_.reset();
  if (!running_) {
    return;
  }
  const auto next = show::next_due(schedule_);
  if (!next) {
    return;
  }
  const auto wait = std::clamp(*next - wall_now(), std::chrono::milliseconds(0), kLongestWait);
  timer_ = thread_.add_timeout(static_cast<unsigned>(wait.count()), [this] { run_due(); });
}

void CueRunner::run_due() {
  timer_.reset();
  for (const std::size_t index : show::due_cues(schedule_, wall_now())) {
    // An earlier cue of this batch may have run or skipped this one.
    if (index < schedule_.size() && schedule_[index].state == show::CueState::pending) {
      run(schedule_[index]);
    }
  }
  arm();
}

void CueRunner::run(show::CueStatus& cue) {
  const std::size_t index = cue.index;
  // Marked before it runs: a cue that runs or skips itself finds itself done.
  cue.state = show::CueState::ran;
  cue.ran_at = wall_now();
  active_.push_back(index);
  const show::Reply reply = execute_(cue.command);
  active_.pop_back();
  show::CueStatus& done = schedule_[index];  // still there: the list never changes size
  done.state = reply.ok() ? show::CueState::ran : show::CueState::failed;
  done.error = reply.error;
  done.message = reply.message;
  if (reply.ok()) {
    spdlog::info("cue {} ({}): ran", index, done.at_text);
  } else {
    spdlog::warn("cue {} ({}): failed: {}", index, done.at_text, reply.message);
  }
  changed_(done);
}

show::Reply CueRunner::run_now(std::size_t index) {
  if (index >= schedule_.size()) {
    return no_cue(index, schedule_.size());
  }
  if (std::find(active_.begin(), active_.end(), index) != active_.end()) {
    return show::Reply::failure(
        show::ErrorCode::unavailable,
        "cue " + std::to_string(index) + " is running: it cannot run itself");
  }
  spdlog::info("cue {}: run now", index);
  run(schedule_[index]);
  arm();
  // The reply is the cue's command's own: a panel shows why it failed.
  const auto& cue = schedule_[index];
  return cue.state == show::CueState::failed ? show::Reply::failure(cue.error, cue.message)
                                             : show::Reply::success();
}

show::Reply CueRunner::skip(std::size_t index) {
  if (index >= schedule_.size()) {
    return no_cue(index, schedule_.size());
  }
  show::CueStatus& cue = schedule_[index];
  if (cue.state != show::CueState::pending) {
    const char* what = cue.state == show::CueState::passed    ? "had passed when the show started"
                       : cue.state == show::CueState::skipped ? "is skipped already"
                                                              : "has run already";
    return show::Reply::failure(show::ErrorCode::unavailable,
                                "cue " + std::to_string(index) + " " + what);
  }
  cue.state = show::CueState::skipped;
  spdlog::info("cue {} ({}): skipped", index, cue.at_text);
  changed_(cue);
  arm();
  return show::Reply::success();
}

}  // namespace hallcast::engine
