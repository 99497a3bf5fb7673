#include "show/live_state.h"

#include <algorithm>
#include <cmath>

namespace hallcast::show {

namespace {

template <typename T>
const T* find_by_id(const std::vector<T>& items, const std::string& id) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& item) { return item.id == id; });
  return it == items.end() ? nullptr : &*it;
}

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

void plan_scenes(const LiveState& saved, const Snapshot& fresh, RestorePlan& plan) {
  auto scene_exists = [&](const std::string& id) {
    return std::any_of(fresh.scenes.begin(), fresh.scenes.end(),
                       [&](const SceneInfo& scene) { return scene.id == id; });
  };
  if (!saved.program.empty() && saved.program != fresh.program) {
    if (scene_exists(saved.program)) {
      plan.commands.emplace_back(SceneCut{saved.program});
    } else {
      plan.warnings.push_back("programme: no scene " + quoted(saved.program) +
                              " in the config; the programme shows " + quoted(fresh.program));
    }
  }
  if (!saved.preview.empty() && saved.preview != fresh.preview) {
    if (scene_exists(saved.preview)) {
      plan.commands.emplace_back(ScenePreview{saved.preview});
    } else {
      plan.warnings.push_back("preview: no scene " + quoted(saved.preview) +
                              " in the config; the preview shows " + quoted(fresh.preview));
    }
  }
}

// After the scenes: a scene.cut switches a director that is on off, as an operator's
// cut does, so one that was on is switched on again after it.
void plan_auto_director(const LiveState& saved, const Snapshot& fresh, RestorePlan& plan) {
  if (!saved.auto_director) {
    return;
  }
  const bool on = *saved.auto_director;
  if (!fresh.auto_director.available) {
    if (on) {
      plan.warnings.push_back("auto director: not in the config; left out");
    }
    return;
  }
  const bool cut = std::any_of(plan.commands.begin(), plan.commands.end(), [](const Command& c) {
    return std::holds_alternative<SceneCut>(c);
  });
  if (on != fresh.auto_director.enabled || (on && cut)) {
    plan.commands.emplace_back(AutoSet{on});
  }
}

void plan_overlays(const LiveState& saved, const Snapshot& fresh, RestorePlan& plan) {
  for (const auto& overlay : saved.overlays) {
    if (find_by_id(fresh.overlays, overlay.id) == nullptr) {
      plan.warnings.push_back("overlay " + quoted(overlay.id) + ": not in the config; left out");
    } else if (overlay.visible) {
      plan.commands.emplace_back(OverlayShow{overlay.id});
    }
  }
}

void plan_audio(const LiveState& saved, const Snapshot& fresh, RestorePlan& plan) {
  for (const auto& channel : saved.audio) {
    auto it = std::find_if(fresh.audio.begin(), fresh.audio.end(),
                           [&](const AudioChannel& c) { return c.channel == channel.channel; });
    if (it == fresh.audio.end()) {
      plan.warnings.push_back("audio channel " + quoted(channel.channel) +
                              ": not in the config; left out");
      continue;
    }
    if (!std::isfinite(channel.gain_db) || channel.gain_db < AudioSet::min_gain_db ||
        channel.gain_db > AudioSet::max_gain_db) {
      plan.warnings.push_back("audio channel " + quoted(channel.channel) + ": gain " +
                              std::to_string(channel.gain_db) +
                              " dB is out of the fader's range; left out");
      continue;
    }
    if (!(channel == *it)) {
      plan.commands.emplace_back(AudioSet{channel.channel, channel.gain_db, channel.muted});
    }
  }
}

void plan_outputs(const LiveState& saved, const Snapshot& fresh, const config::Config& config,
                  RestorePlan& plan) {
  for (const auto& output : saved.outputs) {
    if (find_by_id(fresh.outputs, output.id) == nullptr) {
      plan.warnings.push_back("output " + quoted(output.id) + ": not in the config; left out");
    }
  }
  std::vector<Command> starts;
  for (const auto& output : config.outputs) {
    const OutputLiveState* was = find_by_id(saved.outputs, output.id);
    if (was == nullptr) {
      if (output.enabled) {
        starts.emplace_back(OutputStart{output.id});
      }
      continue;
    }
    if (!was->language.empty() && was->language != output.language) {
      if (std::find(fresh.languages.begin(), fresh.languages.end(), was->language) !=
          fresh.languages.end()) {
        plan.commands.emplace_back(OutputSetLanguage{output.id, was->language});
      } else {
        plan.warnings.push_back("output " + quoted(output.id) + ": no language track " +
                                quoted(was->language) + " in the config; it carries " +
                                quoted(output.language));
      }
    }
    if (was->running) {
      starts.emplace_back(OutputStart{output.id});
    }
  }
  // Languages first: a destination goes on the air with the track it had.
  plan.commands.insert(plan.commands.end(), starts.begin(), starts.end());
}

}  // namespace

bool is_running(OutputState state) {
  return state == OutputState::connecting || state == OutputState::live ||
         state == OutputState::reconnecting;
}

LiveState live_state(const Snapshot& snapshot) {
  LiveState live;
  live.program = snapshot.program;
  live.preview = snapshot.preview;
  for (const auto& overlay : snapshot.overlays) {
    live.overlays.push_back({overlay.id, overlay.visible});
  }
  live.audio = snapshot.audio;
  for (const auto& output : snapshot.outputs) {
    live.outputs.push_back({output.id, is_running(output.state), output.language});
  }
  if (snapshot.auto_director.available) {
    live.auto_director = snapshot.auto_director.enabled;
  }
  return live;
}

bool may_change_live_state(const Event& event) {
  return std::holds_alternative<ProgramChanged>(event) ||
         std::holds_alternative<PreviewChanged>(event) ||
         std::holds_alternative<OverlayChanged>(event) ||
         std::holds_alternative<AudioChanged>(event) ||
         std::holds_alternative<OutputChanged>(event) || std::holds_alternative<AutoChanged>(event);
}

RestorePlan plan_restore(const LiveState& saved, const config::Config& config) {
  const Snapshot fresh = initial_snapshot(config);
  RestorePlan plan;
  plan_scenes(saved, fresh, plan);
  plan_auto_director(saved, fresh, plan);
  plan_overlays(saved, fresh, plan);
  plan_audio(saved, fresh, plan);
  plan_outputs(saved, fresh, config, plan);
  return plan;
}

}  // namespace hallcast::show
