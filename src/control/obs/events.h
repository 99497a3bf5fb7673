// The engine's events as obs-websocket events, each with its subscription category.
// Every change reaches obs-websocket clients whoever made it (the panel, a schedule, an
// obs-websocket client), because all of them come from the engine's events.
//
// Where OBS has events hallcast's engine has no counterpart for, they are derived here:
// the stream and record states are the combined state of the destinations behind OBS's
// two buttons, and a programme change is announced as a transition (the one an
// obs-websocket take ran, or a cut). Used on the obs-websocket service thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/config.h"
#include "control/obs/requests.h"
#include "show/events.h"
#include "show/state.h"

namespace hallcast::control::obs {

struct ObsEvent {
  std::string type;
  std::uint32_t intent = 0;
  nlohmann::json data;                 // eventData; null for none
  std::chrono::milliseconds delay{0};  // sent this long after the others (a fade's end)
};

class EventTranslator {
 public:
  // `initial` is the state the events that follow start from.
  EventTranslator(const config::Config& config, const show::Snapshot& initial);

  std::vector<ObsEvent> translate(const show::Event& event, const show::Snapshot& snapshot,
                                  Studio& studio);
  // After events were lost: start again from `snapshot`.
  void reset(const show::Snapshot& snapshot);

  // InputVolumeMeters' eventData from the latest readings, as OBS's meters give them:
  // per input `inputLevelsMul`, per channel [magnitude, peak, input peak], linear.
  // Magnitude and peak are after the fader (0 while muted), the input peak before it.
  nlohmann::json volume_meters(const show::Snapshot& snapshot) const;

 private:
  // OBS's stream and record buttons each stand for a group of destinations; what the
  // group as a whole is doing.
  enum class Phase { stopped, starting, started, reconnecting };
  Phase phase(bool record) const;
  void output_events(bool record, Phase before, std::vector<ObsEvent>& out) const;
  void transition_events(const show::ProgramChanged& change, const show::Snapshot& snapshot,
                         Studio& studio, std::vector<ObsEvent>& out) const;

  std::map<std::string, std::string> record_folders_;                  // output id → folder
  std::map<std::string, show::AudioChannel> audio_;                    // channel id → last fader
  std::map<std::string, show::OverlayStatus> overlays_;                // overlay id → last seen
  std::map<std::string, std::pair<bool, show::OutputState>> outputs_;  // id → (record, state)
  std::vector<show::Level> levels_;                                    // latest input meters
};

}  // namespace hallcast::control::obs
