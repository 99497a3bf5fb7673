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

std::string_view to_string(CueState state) {
  switch (state) {
    case CueState::pending:
      return "pending";
    case CueState::ran:
      return "ran";
    case CueState::failed:
      return "failed";
    case CueState::skipped:
      return "skipped";
    case CueState::passed:
      return "passed";
  }
  return "pending";
}

std::string_view to_string(ErrorCode error) {
  switch (error) {
    case ErrorCode::none:
      return "none";
    case ErrorCode::unknown_scene:
      return "unknown_scene";
    case ErrorCode::unknown_overlay:
      return "unknown_overlay";
    case ErrorCode::unknown_channel:
      return "unknown_channel";
    case ErrorCode::unknown_output:
      return "unknown_output";
    case ErrorCode::unknown_language:
      return "unknown_language";
    case ErrorCode::out_of_range:
      return "out_of_range";
    case ErrorCode::not_supported:
      return "not_supported";
    case ErrorCode::unavailable:
      return "unavailable";
    case ErrorCode::busy:
      return "busy";
    case ErrorCode::internal:
      return "internal";
    case ErrorCode::unknown_source:
      return "unknown_source";
    case ErrorCode::unknown_cue:
      return "unknown_cue";
    case ErrorCode::already_exists:
      return "already_exists";
    case ErrorCode::bad_value:
      return "bad_value";
  }
  return "internal";
}

const OverlayStatus* Snapshot::find_overlay(std::string_view id) const {
  auto it = std::find_if(overlays.begin(), overlays.end(), [&](auto& o) { return o.id == id; });
  return it == overlays.end() ? nullptr : &*it;
}

OverlayStatus* Snapshot::find_overlay(std::string_view id) {
  auto it = std::find_if(overlays.begin(), overlays.end(), [&](auto& o) { return o.id == id; });
  return it == overlays.end() ? nullptr : &*it;
}

std::string overlay_label(config::OverlayType type, const OverlayText& content) {
  return type == config::OverlayType::lower_third ? content.name : content.text;
}

OverlayText overlay_text(const config::Overlay& overlay, const config::Config& config) {
  OverlayText text;
  if (overlay.type == config::OverlayType::lower_third) {
    if (const auto* speaker = config.find_speaker(overlay.speaker)) {
      text.name = speaker->name;
      text.role = speaker->role;
      text.forms = speaker->forms;
    }
  } else {
    text.text = overlay.text;
  }
  return text;
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
  s.program = config.opening_scene();
  s.preview = config.opening_preview();
  for (const auto& source : config.sources) {
    s.sources.push_back({source.id, source.kind, source.label, source.language, Health::live});
    if (config::has_sound(source)) {
      s.audio.push_back({source.id, 0.0, false});
    }
    if (source.ptz) {
      PtzStatus ptz;
      ptz.source = source.id;
      ptz.protocol = source.ptz->protocol;
      s.ptz.push_back(std::move(ptz));
    }
  }
  std::uint32_t number = 0;
  for (const auto& overlay : config.overlays) {
    OverlayStatus status;
    status.id = overlay.id;
    status.type = overlay.type;
    status.visible = std::find(config.opening.overlays.begin(), config.opening.overlays.end(),
                               overlay.id) != config.opening.overlays.end();
    status.content = overlay_text(overlay, config);
    status.label = overlay_label(overlay.type, status.content);
    status.speaker = overlay.speaker;
    status.number = ++number;
    s.overlays.push_back(std::move(status));
  }
  if (config.auto_director) {
    s.auto_director.available = true;
    s.auto_director.enabled = config.auto_director->enabled;
  }
  s.event = {config.event.title, config.event.venue, config.event_start()};
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
