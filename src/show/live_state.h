// The show's live state as it is kept across a restart (SPEC §5, "Restart without
// losing the show"): what the operators set — programme and preview, the overlays (shown
// or not, their words as edited live, those made live and those deleted), faders and
// mutes, which destinations run and in which language, whether the automatic director is
// on — and what became of the cue list (which cues ran or were skipped, so that none runs
// twice); nothing that only measures (meters, counters, health, the speaker the director
// follows).
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

#include <cstddef>
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
  // Its kind and words when the words are not the config's: edited live, or those of an
  // overlay made live. nullopt (and `type` left as it is): the config's, as the config
  // says them at the restart (a typo fixed in the file between the runs is fixed on air).
  config::OverlayType type = config::OverlayType::title;
  std::optional<OverlayText> content{};
  bool created = false;  // made with overlay.create: made again after a restart
  bool operator==(const OverlayLiveState&) const = default;
};

// A cue that was done when the state was saved (it ran, failed, was skipped or its time
// had passed): after a restart it stays as it was and never runs by itself again. Known
// by its place in the list, its time as written and as due, and its command: a cue list
// edited between the runs marks no other cue, and a schedule moved since (a rehearsal
// in the morning, the show at 11:00) starts afresh.
struct CueLiveState {
  std::size_t index = 0;
  std::string at;          // as written: "-5m"
  config::WallTime due{};  // when it was due
  std::string request;     // its command as the config holds it (config::Cue::request)
  CueState state = CueState::ran;
  std::optional<config::WallTime> ran_at{};
  ErrorCode error = ErrorCode::none;  // a failed cue's, with its message
  std::string message{};
  bool operator==(const CueLiveState&) const = default;
};

struct OutputLiveState {
  std::string id;
  bool running = false;  // connecting, live or reconnecting: the operator wants it on air
  std::string language;
  // Idle, and not armed: stopped by an operator or a cue (or unable to start). A
  // destination neither running nor stopped waits armed, as the config left it.
  bool stopped = false;
  bool operator==(const OutputLiveState&) const = default;
};

struct LiveState {
  std::string program;  // scene ids
  std::string preview;
  std::vector<OverlayLiveState> overlays;     // every overlay, in the snapshot's order
  std::vector<std::string> deleted_overlays;  // the config's, deleted with overlay.delete
  std::vector<AudioChannel> audio;
  std::vector<OutputLiveState> outputs;
  // Whether the automatic director is on; nullopt for a show without one.
  std::optional<bool> auto_director;
  std::vector<CueLiveState> cues;  // the done ones, in the list's order
  bool operator==(const LiveState&) const = default;
};

// Whether a destination in `state` is on the air or trying to be.
bool is_running(OutputState state);

// The live state of `snapshot`, a show started from `config` (which tells the config's
// own overlays and cues from what was done to them).
LiveState live_state(const Snapshot& snapshot, const config::Config& config);

// Whether `event` can change the live state. Meters, thumbnails and source health
// cannot; an output's counters can come with an OutputChanged, so that one may.
bool may_change_live_state(const Event& event);

struct RestorePlan {
  // In the order to run them: scenes, the automatic director, overlays (the deleted
  // ones, then words and those made live, then those shown), faders, destinations'
  // languages, then the destinations that run.
  std::vector<Command> commands;
  // The cues to keep done: the engine takes them before its cue list starts
  // (Engine::restore_cues), so that none of them runs in between.
  std::vector<CueLiveState> cues;
  // One line per part of the saved state left out, saying what and why.
  std::vector<std::string> warnings;
};

// What brings `saved` back on a show freshly started from `config` with no
// destination running. Parts equal to how the config starts the show need no command.
// A destination the saved state does not know (new in the config) starts if the config
// enables it.
RestorePlan plan_restore(const LiveState& saved, const config::Config& config);

}  // namespace hallcast::show
