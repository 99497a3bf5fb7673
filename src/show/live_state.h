// The show's live state as it is kept across a restart (SPEC §5, "Restart without
// losing the show"): what the operators set — programme and preview, the overlays,
// faders and mutes, which destinations run and in which language, whether the
// automatic director is on — and nothing that only measures (meters, counters, health,
// the speaker the director follows).
//
// Plain values, no file format: the store (src/store) writes and reads them.
// live_state() takes the live state from a snapshot; plan_restore() turns a saved one
// back into the typed commands an operator would give to bring it back, on a show
// built from the config as it is now (perhaps not the one it was saved with), plus one
// warning for each part that no longer fits.
//
// A new part of the show that must survive a restart adds a field here (with its
// default meaning "as the config starts it"), a key in the store's codec and a step in
// plan_restore.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "show/commands.h"
#include "show/events.h"
#include "show/state.h"

namespace hallcast::show {

struct OverlayLiveState {
  std::string id;
  bool visible = false;
  bool operator==(const OverlayLiveState&) const = default;
};

struct OutputLiveState {
  std::string id;
  bool running = false;  // connecting, live or reconnecting: the operator wants it on air
  std::string language;
  bool operator==(const OutputLiveState&) const = default;
};

struct LiveState {
  std::string program;  // scene ids
  std::string preview;
  std::vector<OverlayLiveState> overlays;  // every overlay, in the snapshot's order
  std::vector<AudioChannel> audio;
  std::vector<OutputLiveState> outputs;
  // Whether the automatic director is on; nullopt for a show without one.
  std::optional<bool> auto_director;
  bool operator==(const LiveState&) const = default;
};

// Whether a destination in `state` is on the air or trying to be.
bool is_running(OutputState state);

LiveState live_state(const Snapshot& snapshot);

// Whether `event` can change the live state. Meters, thumbnails and source health
// cannot; an output's counters can come with an OutputChanged, so that one may.
bool may_change_live_state(const Event& event);

struct RestorePlan {
  // In the order to run them: scenes, the automatic director, overlays, faders,
  // destinations' languages, then the destinations that run.
  std::vector<Command> commands;
  // One line per part of the saved state left out, saying what and why.
  std::vector<std::string> warnings;
};

// What brings `saved` back on a show freshly started from `config` with no
// destination running. Parts equal to how the config starts the show need no command.
// A destination the saved state does not know (new in the config) starts if the config
// enables it.
RestorePlan plan_restore(const LiveState& saved, const config::Config& config);

}  // namespace hallcast::show
