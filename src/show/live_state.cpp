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

// What brings a config overlay's words from the config's (`now`) to the saved ones: the
// fields of its type, and each language form set or, when the saved words lack it,
// cleared.
OverlayUpdate rewording(const std::string& id, config::OverlayType type, const OverlayText& now,
                        const OverlayText& saved) {
  OverlayUpdate update;
  update.overlay = id;
  if (type != config::OverlayType::lower_third) {
    update.text = saved.text;
    return update;
  }
  update.name = saved.name;
  update.role = saved.role;
  for (const auto& form : saved.forms) {
    update.forms.push_back({form.language, form.name, form.role});
  }
  for (const auto& form : now.forms) {
    const bool kept = std::any_of(saved.forms.begin(), saved.forms.end(),
                                  [&](const auto& f) { return f.language == form.language; });
    if (!kept) {
      update.forms.push_back({form.language, std::string(), std::string()});
    }
  }
  return update;
}

// The config's overlays deleted first (an overlay made live may have taken one's id),
// then each overlay's words or its making, then those that were shown.
void plan_overlays(const LiveState& saved, const Snapshot& fresh, RestorePlan& plan) {
  for (const auto& id : saved.deleted_overlays) {
    if (find_by_id(fresh.overlays, id) != nullptr) {
      plan.commands.emplace_back(OverlayDelete{id});
    }
  }
  auto deleted = [&](const std::string& id) {
    return std::find(saved.deleted_overlays.begin(), saved.deleted_overlays.end(), id) !=
           saved.deleted_overlays.end();
  };
  std::vector<Command> shows;
  for (const auto& overlay : saved.overlays) {
    const OverlayStatus* now = find_by_id(fresh.overlays, overlay.id);
    if (overlay.created) {
      if (now != nullptr && !deleted(overlay.id)) {
        plan.warnings.push_back("overlay " + quoted(overlay.id) +
                                ": made live, but the config has one of that id now; the "
                                "config's is kept");
        continue;
      }
      plan.commands.emplace_back(
          OverlayCreate{overlay.id, overlay.type, overlay.content.value_or(OverlayText{})});
    } else if (now == nullptr) {
      plan.warnings.push_back("overlay " + quoted(overlay.id) + ": not in the config; left out");
      continue;
    } else if (overlay.content && *overlay.content != now->content) {
      if (overlay.type != now->type) {
        plan.warnings.push_back("overlay " + quoted(overlay.id) + ": a " +
                                std::string(config::to_string(now->type)) +
                                " in the config now; its words are the config's");
      } else {
        plan.commands.emplace_back(
            rewording(overlay.id, now->type, now->content, *overlay.content));
      }
    }
    if (overlay.visible) {
      shows.emplace_back(OverlayShow{overlay.id});
    }
  }
  plan.commands.insert(plan.commands.end(), shows.begin(), shows.end());
}

// A done cue stays done if the config's list still has it at its place, written the
// same way, due at the same time, with the same command.
void plan_cues(const LiveState& saved, const config::Config& config, RestorePlan& plan) {
  for (const auto& cue : saved.cues) {
    const config::Cue* now =
        cue.index < config.schedule.size() ? &config.schedule[cue.index] : nullptr;
    const bool same = now != nullptr && now->at_text == cue.at && now->request == cue.request &&
                      config.cue_time(*now) == cue.due;
    if (same) {
      plan.cues.push_back(cue);
    } else {
      plan.warnings.push_back("cue " + std::to_string(cue.index) + " (" + cue.at +
                              "): not in the config's schedule as it was (changed or moved); "
                              "the schedule as it is now decides whether it runs");
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
    } else if (was->stopped) {
      starts.emplace_back(OutputStop{output.id});  // stopped, not armed
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

LiveState live_state(const Snapshot& snapshot, const config::Config& config) {
  LiveState live;
  live.program = snapshot.program;
  live.preview = snapshot.preview;
  for (const auto& overlay : snapshot.overlays) {
    OverlayLiveState kept;
    kept.id = overlay.id;
    kept.visible = overlay.visible;
    kept.created = overlay.created;
    const auto from_config = std::find_if(config.overlays.begin(), config.overlays.end(),
                                          [&](const auto& o) { return o.id == overlay.id; });
    if (overlay.created || from_config == config.overlays.end() ||
        overlay_text(*from_config, config) != overlay.content) {
      kept.type = overlay.type;
      kept.content = overlay.content;
    }
    live.overlays.push_back(std::move(kept));
  }
  for (const auto& overlay : config.overlays) {
    const bool kept = std::any_of(snapshot.overlays.begin(), snapshot.overlays.end(),
                                  [&](const auto& o) { return o.id == overlay.id && !o.created; });
    if (!kept) {
      live.deleted_overlays.push_back(overlay.id);
    }
  }
  live.audio = snapshot.audio;
  for (const auto& output : snapshot.outputs) {
    live.outputs.push_back({output.id, is_running(output.state), output.language,
                            output.state == OutputState::idle && !output.ready});
  }
  if (snapshot.auto_director.available) {
    live.auto_director = snapshot.auto_director.enabled;
  }
  for (const auto& cue : snapshot.schedule) {
    if (cue.done()) {
      const std::string request =
          cue.index < config.schedule.size() ? config.schedule[cue.index].request : "";
      live.cues.push_back({cue.index, cue.at_text, cue.at.time, request, cue.state, cue.ran_at,
                           cue.error, cue.message});
    }
  }
  return live;
}

bool may_change_live_state(const Event& event) {
  return std::holds_alternative<ProgramChanged>(event) ||
         std::holds_alternative<PreviewChanged>(event) ||
         std::holds_alternative<OverlayChanged>(event) ||
         std::holds_alternative<AudioChanged>(event) ||
         std::holds_alternative<OutputChanged>(event) ||
         std::holds_alternative<AutoChanged>(event) ||
         std::holds_alternative<OverlayDeleted>(event) || std::holds_alternative<CueChanged>(event);
}

RestorePlan plan_restore(const LiveState& saved, const config::Config& config) {
  const Snapshot fresh = initial_snapshot(config);
  RestorePlan plan;
  plan_scenes(saved, fresh, plan);
  plan_auto_director(saved, fresh, plan);
  plan_overlays(saved, fresh, plan);
  plan_audio(saved, fresh, plan);
  plan_outputs(saved, fresh, config, plan);
  plan_cues(saved, config, plan);
  return plan;
}

}  // namespace hallcast::show
