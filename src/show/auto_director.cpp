#include "show/auto_director.h"

namespace hallcast::show {

AutoDirector::AutoDirector(config::AutoDirector config) : config_(std::move(config)) {}

void AutoDirector::shot_started(std::string_view scene, TimePoint now) {
  program_ = scene;
  shot_start_ = now;
}

void AutoDirector::restart(TimePoint now) {
  speaker_.clear();
  candidate_.clear();
  candidate_since_ = now;
  judged_ = false;
}

const config::AutoFollow* AutoDirector::follow_of(std::string_view mic) const {
  for (const auto& follow : config_.follow) {
    if (follow.mic == mic) {
      return &follow;
    }
  }
  return nullptr;
}

std::string AutoDirector::alone_above(const std::vector<Level>& levels) const {
  std::string found;
  int count = 0;
  for (const auto& level : levels) {
    if (follow_of(level.id) != nullptr && level.rms_db >= config_.threshold_db) {
      found = level.id;
      ++count;
    }
  }
  return count == 1 ? found : std::string();
}

AutoDirector::Decision AutoDirector::update(const std::vector<Level>& levels, TimePoint now) {
  const std::string alone = alone_above(levels);
  if (!judged_ || alone != candidate_) {
    candidate_ = alone;
    candidate_since_ = now;
    judged_ = true;
  }
  const auto held = now - candidate_since_;
  const bool shot_done = now - shot_start_ >= std::chrono::duration<double>(config_.min_shot_s);
  Decision decision;
  if (!candidate_.empty()) {
    if (candidate_ == speaker_ || held < std::chrono::milliseconds(config_.attack_ms)) {
      return decision;
    }
    const auto* follow = follow_of(candidate_);
    if (follow->scene == program_) {
      // Already showing this speaker's scene (say, two mics share one camera).
      speaker_ = candidate_;
      decision.speaker_changed = true;
    } else if (shot_done) {
      speaker_ = candidate_;
      decision.speaker_changed = true;
      decision.cut = follow->scene;
    }
    return decision;
  }
  if (held < std::chrono::duration<double>(config_.min_shot_s) ||
      (speaker_.empty() && program_ == config_.fallback_scene)) {
    return decision;
  }
  if (!speaker_.empty()) {
    speaker_.clear();
    decision.speaker_changed = true;
  }
  if (program_ != config_.fallback_scene && shot_done) {
    decision.cut = config_.fallback_scene;
  }
  return decision;
}

}  // namespace hallcast::show
