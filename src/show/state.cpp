#include "show/state.h"

#include <algorithm>

namespace hallcast::show {

std::string_view to_string(Health health) {
  switch (health) {
    case Health::live:
      return "live";
    case Health::lost:
      return "lost";
  }
  return "lost";
}

std::string_view to_string(OutputState state) {
  switch (state) {
    case OutputState::idle:
      return "idle";
    case OutputState::connecting:
      return "connecting";
    case OutputState::live:
      return "live";
    case OutputState::reconnecting:
      return "reconnecting";
    case OutputState::error:
      return "error";
  }
  return "error";
}

std::string_view to_string(PartState state) {
  switch (state) {
    case PartState::ok:
      return "ok";
    case PartState::restarting:
      return "restarting";
  }
  return "restarting";
}

std::string_view to_string(PtzLink link) {
  return link == PtzLink::ok ? "ok" : "no_reply";
}

const OutputStatus* Snapshot::find_output(std::string_view id) const {
  auto it = std::find_if(outputs.begin(), outputs.end(), [&](auto& o) { return o.id == id; });
  return it == outputs.end() ? nullptr : &*it;
}

OutputStatus* Snapshot::find_output(std::string_view id) {
  auto it = std::find_if(outputs.begin(), outputs.end(), [&](auto& o) { return o.id == id; });
  return it == outputs.end() ? nullptr : &*it;
}

Snapshot initial_snapshot(const config::Config& config) {
  Snapshot s;
  for (const auto& scene : config.scenes) {
    SceneInfo info{scene.id, scene.name, {}, scene.presets};
    for (const auto& layer : scene.layers) {
      if (std::find(info.sources.begin(), info.sources.end(), layer.source) == info.sources.end()) {
        info.sources.push_back(layer.source);
      }
    }
    s.scenes.push_back(std::move(info));
  }
  if (!config.scenes.empty()) {
    s.program = config.scenes.front().id;
    s.preview = config.scenes.size() > 1 ? config.scenes[1].id : config.scenes.front().id;
  }
  for (const auto& source : config.sources) {
    s.sources.push_back({source.id, source.kind, source.label, source.language, Health::live});
    if (source.kind != config::SourceKind::video) {
      s.audio.push_back({source.id, 0.0, false});
    }
    if (source.ptz) {
      PtzStatus ptz;
      ptz.source = source.id;
      ptz.protocol = source.ptz->protocol;
      s.ptz.push_back(std::move(ptz));
    }
  }
  for (const auto& overlay : config.overlays) {
    std::string label = overlay.text;
    for (const auto& speaker : config.event.speakers) {
      if (overlay.type == config::OverlayType::lower_third && speaker.id == overlay.speaker) {
        label = speaker.name;
      }
    }
    s.overlays.push_back({overlay.id, overlay.type, false, label});
  }
  if (config.auto_director) {
    s.auto_director.available = true;
    s.auto_director.enabled = config.auto_director->enabled;
  }
  s.languages = config.languages();
  for (const auto& language : s.languages) {
    s.tracks.push_back({language});
  }
  for (const auto& output : config.outputs) {
    OutputStatus o;
    o.id = output.id;
    o.name = output.name;
    o.type = output.type;
    o.language = output.language;
    o.enabled = output.enabled;
    s.outputs.push_back(std::move(o));
  }
  return s;
}

}  // namespace hallcast::show
