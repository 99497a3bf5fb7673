// Changes the engine announces to whoever listens (the control layer, the logs).
// Typed values; each edge (WebSocket, obs-websocket, metrics) serialises them itself.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "show/state.h"

namespace hallcast::show {

struct ProgramChanged {
  std::string scene;
};
struct PreviewChanged {
  std::string scene;
};
struct OutputChanged {
  OutputStatus status;
};
struct SourceChanged {
  SourceStatus status;
};

// Shown or hidden, new words, or made (an id not seen before).
struct OverlayChanged {
  OverlayStatus status;
};
struct OverlayDeleted {
  std::string id;
};
// A cue ran (its result in `status`), or an operator skipped it.
struct CueChanged {
  CueStatus status;
};
struct AudioChanged {
  AudioChannel channel;
};
// A part of the engine failed, or came back after a failure (Snapshot::health).
struct HealthChanged {
  PartHealth health;
};

// A multiview picture: a small JPEG of the programme, the preview or one source, a
// few times a second, only while multiview is wanted (Engine::set_multiview_active).
struct Thumbnail {
  std::string feed;  // "program", "preview" or "source:<id>"
  std::shared_ptr<const std::vector<std::uint8_t>> jpeg;
};

// Listening: one Opus packet (20 ms) of a signal an operator listens to, only while
// someone does (Engine::set_listening).
struct ListenPacket {
  std::string tap;  // "source:<id>" (before its fader) or "track:<language>"
  std::shared_ptr<const std::vector<std::uint8_t>> opus;
  std::int64_t captured_us = 0;  // its first sample in the hall: wall clock, µs since the epoch
  int rate = 48000;
  int channels = 2;
};

// A meter reading in dBFS (-100 for silence).
struct Level {
  std::string id;  // a source id, or a track's language
  double peak_db = -100.0;
  double rms_db = -100.0;
  bool operator==(const Level&) const = default;
};

// About ten times a second: every audio input (before its fader) and every programme
// track (what is encoded), with the tracks' loudness.
struct Meters {
  std::vector<Level> inputs;
  std::vector<Level> tracks;
  std::vector<TrackStatus> loudness;  // same order as tracks
};

// A PTZ camera's link, tally or presets changed.
struct PtzChanged {
  PtzStatus status;
};

// The automatic director switched on or off, or follows someone else. `reason` says
// why it switched off: "manual" (an operator took or cut a scene), "auto.set"; empty
// when it did not switch.
struct AutoChanged {
  AutoStatus status;
  std::string reason;
};

using Event = std::variant<ProgramChanged, PreviewChanged, OutputChanged, SourceChanged,
                           OverlayChanged, AudioChanged, Thumbnail, Meters, HealthChanged,
                           PtzChanged, AutoChanged, ListenPacket, OverlayDeleted, CueChanged>;

}  // namespace hallcast::show
