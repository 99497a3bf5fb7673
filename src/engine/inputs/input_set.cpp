#include "engine/inputs/input_set.h"

#include <algorithm>

#include "engine/programme.h"

namespace hallcast::engine {

namespace {

// A cut still ramps a clip's sound: over less than a frame, and without a click.
constexpr double kShortestRampMs = 20.0;
// A clip that faded away is cued a little after the fade's last frame.
constexpr unsigned kCueAfterFadeMs = 40;

}  // namespace

InputSet::InputSet(EngineThread& thread, const common::Redactor& redactor, FailureSink& failures,
                   OnHealth on_health)
    : thread_(thread), redactor_(redactor), failures_(failures), on_health_(std::move(on_health)) {}

InputSet::~InputSet() {
  clear();
}

void InputSet::start(Programme& programme) {
  clear();
  programme_ = &programme;
  const auto element = [&](const std::string& name) {
    return adopt(gst_bin_get_by_name(GST_BIN(programme.pipeline()), name.c_str()));
  };
  for (const auto& options : programme.inputs()) {
    ElementPtr src = element("input-" + options.id);
    const std::string id = options.id;
    live_.push_back(
        std::make_unique<LiveInput>(options, src.get(), thread_, redactor_, failures_,
                                    [this, id](show::Health health) { on_health_(id, health); }));
  }
  for (const auto& options : programme.clips()) {
    ElementPtr video = element("input-" + options.id);
    ElementPtr sound = element("input-" + options.id + "-audio");
    const std::string id = options.id;
    clips_.push_back(std::make_unique<ClipInput>(
        options, video.get(), sound.get(), thread_, redactor_, failures_,
        [this, id](show::Health health) { on_health_(id, health); }));
  }
  for (auto& input : live_) {
    input->start();
  }
  for (auto& clip : clips_) {
    clip->start();
  }
}

void InputSet::clear() {
  cue_timers_.clear();
  clips_.clear();
  live_.clear();
  programme_ = nullptr;
}

void InputSet::follow_programme(const std::vector<std::string>& sources,
                                std::chrono::milliseconds fade) {
  if (programme_ == nullptr) {
    return;
  }
  const double ramp_ms = std::max<double>(kShortestRampMs, static_cast<double>(fade.count()));
  for (auto& clip : clips_) {
    const std::string id = clip->id();
    const bool shown = std::find(sources.begin(), sources.end(), id) != sources.end();
    if (shown) {
      cue_timers_.erase(id);
      clip->set_on_air(true);
      programme_->audio().set_clip_on_air(id, true, ramp_ms);
    } else if (clip->on_air() && cue_timers_.count(id) == 0) {
      programme_->audio().set_clip_on_air(id, false, ramp_ms);
      ClipInput* leaving = clip.get();
      cue_timers_[id] = thread_.add_timeout(
          static_cast<unsigned>(fade.count()) + kCueAfterFadeMs, [this, leaving, id] {
            leaving->set_on_air(false);
            cue_timers_.erase(id);  // destroys this very timer: nothing after it
          });
    }
  }
}

}  // namespace hallcast::engine
