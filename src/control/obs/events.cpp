#include "control/obs/events.h"

#include <algorithm>

#include "control/obs/fields.h"

namespace hallcast::control::obs {
namespace {

using nlohmann::json;

constexpr const char* output_state_names[] = {
    "OBS_WEBSOCKET_OUTPUT_STARTING",     "OBS_WEBSOCKET_OUTPUT_STARTED",
    "OBS_WEBSOCKET_OUTPUT_STOPPING",     "OBS_WEBSOCKET_OUTPUT_STOPPED",
    "OBS_WEBSOCKET_OUTPUT_RECONNECTING", "OBS_WEBSOCKET_OUTPUT_RECONNECTED"};
enum ObsOutputState { starting, started, stopping, stopped, reconnecting, reconnected };

// The programme is stereo: a mono reading shows on both channels, as OBS shows a mono
// source on a stereo mix.
constexpr int meter_channels = 2;

json scene_data(const show::Snapshot& snapshot, const std::string& id) {
  return {{"sceneName", scene_name(snapshot, id)}, {"sceneUuid", id}};
}

}  // namespace

EventTranslator::EventTranslator(const config::Config& config, const show::Snapshot& initial) {
  for (const auto& output : config.outputs) {
    if (output.type == config::OutputType::record) {
      record_folders_[output.id] = output.path;
    }
  }
  reset(initial);
}

void EventTranslator::reset(const show::Snapshot& snapshot) {
  audio_.clear();
  for (const auto& channel : snapshot.audio) {
    audio_[channel.channel] = channel;
  }
  overlays_.clear();
  for (const auto& overlay : snapshot.overlays) {
    overlays_[overlay.id] = overlay;
  }
  outputs_.clear();
  for (const auto& output : snapshot.outputs) {
    outputs_[output.id] = {output.type == config::OutputType::record, output.state};
  }
}

EventTranslator::Phase EventTranslator::phase(bool record) const {
  bool any_live = false;
  bool any_reconnecting = false;
  bool any_connecting = false;
  for (const auto& [id, entry] : outputs_) {
    if (entry.first != record) {
      continue;
    }
    any_live = any_live || entry.second == show::OutputState::live;
    any_reconnecting = any_reconnecting || entry.second == show::OutputState::reconnecting;
    any_connecting = any_connecting || entry.second == show::OutputState::connecting;
  }
  return any_live           ? Phase::started
         : any_reconnecting ? Phase::reconnecting
         : any_connecting   ? Phase::starting
                            : Phase::stopped;
}

void EventTranslator::output_events(bool record, Phase before, std::vector<ObsEvent>& out) const {
  const Phase now = phase(record);
  if (now == before) {
    return;
  }
  std::vector<ObsOutputState> states;
  switch (now) {
    case Phase::started:
      if (before == Phase::reconnecting) {
        states = {reconnected};
      } else if (before == Phase::stopped) {
        states = {starting, started};
      } else {
        states = {started};
      }
      break;
    case Phase::reconnecting:
      states = {reconnecting};
      break;
    case Phase::starting:
      if (before == Phase::stopped) {
        states = {starting};
      }
      break;
    case Phase::stopped:
      if (before == Phase::starting) {
        states = {stopped};
      } else {
        states = {stopping, stopped};
      }
      break;
  }
  std::string folder;
  for (const auto& [id, path] : record_folders_) {
    if (folder.empty()) {
      folder = path;
    }
  }
  for (const ObsOutputState state : states) {
    json data = {{"outputActive", state == started || state == reconnected},
                 {"outputState", output_state_names[state]}};
    if (record) {
      data["outputPath"] = state == stopped ? json(folder) : json(nullptr);
    }
    out.push_back({record ? "RecordStateChanged" : "StreamStateChanged", subscription::outputs,
                   std::move(data)});
  }
}

void EventTranslator::transition_events(const show::ProgramChanged& change,
                                        const show::Snapshot& snapshot, Studio& studio,
                                        std::vector<ObsEvent>& out) const {
  // A take ordered over obs-websocket ran the transition chosen there; any other change
  // of programme (a cut, the panel, the auto director) is announced as a cut.
  const Take take = studio.pending_take.value_or(Take{});
  studio.pending_take.reset();
  const bool fade = take.type == show::TransitionType::fade && take.duration_ms > 0;
  const json transition = {{"transitionName", fade ? "Fade" : "Cut"},
                           {"transitionUuid", fade ? "fade" : "cut"}};
  out.push_back({"SceneTransitionStarted", subscription::transitions, transition});
  out.push_back(
      {"CurrentProgramSceneChanged", subscription::scenes, scene_data(snapshot, change.scene)});
  out.push_back({"SceneTransitionEnded", subscription::transitions, transition,
                 std::chrono::milliseconds(fade ? take.duration_ms : 0)});
}

std::vector<ObsEvent> EventTranslator::translate(const show::Event& event,
                                                 const show::Snapshot& snapshot, Studio& studio) {
  std::vector<ObsEvent> out;
  if (const auto* program = std::get_if<show::ProgramChanged>(&event)) {
    transition_events(*program, snapshot, studio, out);
  } else if (const auto* preview = std::get_if<show::PreviewChanged>(&event)) {
    out.push_back(
        {"CurrentPreviewSceneChanged", subscription::scenes, scene_data(snapshot, preview->scene)});
  } else if (const auto* overlay = std::get_if<show::OverlayChanged>(&event)) {
    // The overlay is an item of every scene; a new one (overlay.create) appears in each.
    const auto& status = overlay->status;
    const auto known = overlays_.find(status.id);
    const auto& overlays = snapshot.overlays;
    const auto at = std::find_if(overlays.begin(), overlays.end(),
                                 [&](const auto& o) { return o.id == status.id; });
    if (known == overlays_.end()) {
      for (const auto& scene : snapshot.scenes) {
        out.push_back({"SceneItemCreated",
                       subscription::scene_items,
                       {{"sceneName", scene.name},
                        {"sceneUuid", scene.id},
                        {"sourceName", status.id},
                        {"sourceUuid", status.id},
                        {"sceneItemId", scene_item_id(status)},
                        {"sceneItemIndex", at - overlays.begin()}}});
      }
    }
    if (known == overlays_.end() ? status.visible : known->second.visible != status.visible) {
      for (const auto& scene : snapshot.scenes) {
        out.push_back({"SceneItemEnableStateChanged",
                       subscription::scene_items,
                       {{"sceneName", scene.name},
                        {"sceneUuid", scene.id},
                        {"sceneItemId", scene_item_id(status)},
                        {"sceneItemEnabled", status.visible}}});
      }
    }
    overlays_[status.id] = status;
  } else if (const auto* deleted = std::get_if<show::OverlayDeleted>(&event)) {
    const auto known = overlays_.find(deleted->id);
    if (known != overlays_.end()) {
      for (const auto& scene : snapshot.scenes) {
        out.push_back({"SceneItemRemoved",
                       subscription::scene_items,
                       {{"sceneName", scene.name},
                        {"sceneUuid", scene.id},
                        {"sourceName", deleted->id},
                        {"sourceUuid", deleted->id},
                        {"sceneItemId", scene_item_id(known->second)}}});
      }
      overlays_.erase(known);
    }
  } else if (const auto* audio = std::get_if<show::AudioChanged>(&event)) {
    const auto& now = audio->channel;
    const auto known = audio_.find(now.channel);
    const std::string name = input_name(snapshot, now.channel);
    if (known == audio_.end() || known->second.muted != now.muted) {
      out.push_back({"InputMuteStateChanged",
                     subscription::inputs,
                     {{"inputName", name}, {"inputUuid", now.channel}, {"inputMuted", now.muted}}});
    }
    if (known == audio_.end() || known->second.gain_db != now.gain_db) {
      out.push_back({"InputVolumeChanged",
                     subscription::inputs,
                     {{"inputName", name},
                      {"inputUuid", now.channel},
                      {"inputVolumeMul", db_to_mul(now.gain_db)},
                      {"inputVolumeDb", now.gain_db}}});
    }
    audio_[now.channel] = now;
  } else if (const auto* output = std::get_if<show::OutputChanged>(&event)) {
    const bool record = output->status.type == config::OutputType::record;
    const Phase before = phase(record);
    outputs_[output->status.id] = {record, output->status.state};
    output_events(record, before, out);
  } else if (const auto* meters = std::get_if<show::Meters>(&event)) {
    levels_ = meters->inputs;
  }
  return out;
}

json EventTranslator::volume_meters(const show::Snapshot& snapshot) const {
  json inputs = json::array();
  for (const auto& channel : snapshot.audio) {
    const auto level = std::find_if(levels_.begin(), levels_.end(),
                                    [&](const auto& l) { return l.id == channel.channel; });
    const double peak_db = level != levels_.end() ? level->peak_db : -100.0;
    const double rms_db = level != levels_.end() ? level->rms_db : -100.0;
    const auto linear = [](double db) { return db <= -100.0 ? 0.0 : db_to_mul(db); };
    const double magnitude = channel.muted ? 0.0 : linear(rms_db + channel.gain_db);
    const double peak = channel.muted ? 0.0 : linear(peak_db + channel.gain_db);
    const double input_peak = linear(peak_db);
    json levels = json::array();
    for (int c = 0; c < meter_channels; ++c) {
      levels.push_back(json::array({magnitude, peak, input_peak}));
    }
    inputs.push_back({{"inputName", input_name(snapshot, channel.channel)},
                      {"inputUuid", channel.channel},
                      {"inputLevelsMul", std::move(levels)}});
  }
  return {{"inputs", std::move(inputs)}};
}

}  // namespace hallcast::control::obs
