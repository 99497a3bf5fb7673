// The show's state as every client sees it: an immutable snapshot (SPEC §3).
//
// Plain values only: no GStreamer, no JSON. The engine thread owns the live copy and
// publishes a new shared_ptr<const Snapshot> on every change; readers on any thread
// keep whichever snapshot they hold for as long as they like.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "show/commands.h"

namespace hallcast::show {

enum class Health { live, lost };
enum class OutputState { idle, connecting, live, reconnecting, error };
enum class PartState { ok, restarting };
// Whether a PTZ camera answers its VISCA commands.
enum class PtzLink { ok, no_reply };
// Where a cue is: waiting for its time, run (ran, or failed: its command was refused),
// skipped by an operator, or passed (its time had gone by when hallcast started).
enum class CueState { pending, ran, failed, skipped, passed };

std::string_view to_string(Health health);
std::string_view to_string(OutputState state);
std::string_view to_string(PartState state);
std::string_view to_string(PtzLink link);
std::string_view to_string(CueState state);
// Stable names, for what is kept on disk (the control protocol has codes of its own).
std::string_view to_string(ErrorCode error);

struct SceneInfo {
  std::string id;
  std::string name;
  // The sources its layers show, bottom to top, each once: what is on air (tally)
  // while the scene is on programme or preview.
  std::vector<std::string> sources;
  // The camera presets it frames its shot with when it goes to preview.
  std::vector<config::ScenePreset> presets{};
  bool operator==(const SceneInfo&) const = default;
};

struct SourceStatus {
  std::string id;
  config::SourceKind kind = config::SourceKind::video;
  std::string label;
  std::string language;  // interpretation sources
  Health health = Health::live;
  bool operator==(const SourceStatus&) const = default;
};

struct OverlayStatus {
  std::string id;
  config::OverlayType type = config::OverlayType::title;
  bool visible = false;
  // What an operator reads on its button: the speaker's name, or the title's text.
  std::string label;
  OverlayText content;
  std::string speaker;  // the config's speaker a lower third was made from; "" if none
  // Stays this overlay's for the show's life and is never given to another: a handle
  // for protocols that want numbers (obs-websocket's scene item ids). Config overlays
  // are 1, 2, … in config order; created ones follow.
  std::uint32_t number = 0;
  bool created = false;  // made with overlay.create rather than by the config
  bool operator==(const OverlayStatus&) const = default;
};

// One audio or interpretation source's fader.
struct AudioChannel {
  std::string channel;
  double gain_db = 0.0;
  bool muted = false;
  bool operator==(const AudioChannel&) const = default;
};

// One destination's health. Never holds its key.
struct OutputStatus {
  std::string id;
  std::string name;
  config::OutputType type = config::OutputType::record;
  std::string language;
  bool enabled = true;
  OutputState state = OutputState::idle;
  double bitrate_kbps = 0.0;
  std::uint64_t bytes = 0;
  double uptime_s = 0.0;  // of the current session
  int reconnects = 0;
  std::string last_error;
  // Wall clock, milliseconds since the Unix epoch: when it entered `state`, and when
  // `last_error` was set (0: never).
  std::int64_t since_ms = 0;
  std::int64_t last_error_ms = 0;
  // Sessions given up for taking no data (the far end stopped reading), since start.
  std::uint64_t stalls = 0;
  // Idle and able to go on the air now (its key is there): armed for a cue or an
  // operator to start it.
  bool ready = false;
  bool operator==(const OutputStatus&) const = default;
};

// The event, for panels to show the clock and the time to the start.
struct EventInfo {
  std::string title;
  std::string venue;
  std::optional<config::ZonedTime> start;
  bool operator==(const EventInfo&) const = default;
};

// One cue of the schedule and what became of it. Cues keep the config's order: their
// index is their place in the config's list.
struct CueStatus {
  std::size_t index = 0;
  config::ZonedTime at;  // when it is due, in the event's UTC offset
  std::string at_text;   // as written: "-5m" or an ISO time
  Command command;
  CueState state = CueState::pending;
  // A cue that ran: when, and the command's error (none when it succeeded).
  std::optional<config::WallTime> ran_at;
  ErrorCode error = ErrorCode::none;
  std::string message;

  bool done() const { return state != CueState::pending; }
  bool operator==(const CueStatus&) const = default;
};

// How long scene switches took: from the command's arrival to the first encoded
// frame of the new picture, over the most recent switches.
struct LatencyStats {
  std::uint64_t count = 0;  // switches measured since start
  double last_ms = 0.0;
  double p50_ms = 0.0;
  double p99_ms = 0.0;
  double max_ms = 0.0;
  bool operator==(const LatencyStats&) const = default;
};

// Counters of the programme itself.
struct ProgrammeStats {
  double uptime_s = 0.0;
  std::uint64_t frames_encoded = 0;
  std::uint64_t frames_dropped = 0;  // frames the programme could not deliver in time
  // How far the programme's latest encoded frame trails the clock: tens of milliseconds
  // normally, growing without end on a machine that cannot keep up.
  std::uint64_t behind_ms = 0;
  LatencyStats switch_latency;        // to the first encoded frame of the new picture
  LatencyStats switch_latency_mixer;  // to the mixer's output frame (before encoding)
  bool operator==(const ProgrammeStats&) const = default;
};

// One programme audio track ("floor" or a language): its EBU R128 loudness, and for a
// language track whether its booth is speaking (the floor is ducked). Loudness is in
// LUFS, -100 for silence or before enough sound has been measured.
struct TrackStatus {
  std::string language;
  double momentary_lufs = -100.0;
  double short_term_lufs = -100.0;
  bool booth_speaking = false;
  bool operator==(const TrackStatus&) const = default;
};

// A part of the engine that failed while the programme went on: the multiview, the
// captions, the meters, the audio processing (limiter, ducking, voice detection), the
// vision mixer's or an input's callbacks, or the engine's own work. Listed from its
// first failure on; a show with nothing listed has had none.
struct PartHealth {
  std::string part;
  // restarting: switched off after a failure, to be started again after a wait; ok:
  // running (again).
  PartState state = PartState::ok;
  std::uint64_t failures = 0;  // since start
  std::string last_error;      // which piece failed and how, scrubbed of secrets
  bool operator==(const PartHealth&) const = default;
};

// A PTZ camera: whether it answers, its tally, and the presets the show asked of it.
struct PtzStatus {
  std::string source;
  config::PtzProtocol protocol = config::PtzProtocol::visca_udp;
  PtzLink link = PtzLink::no_reply;  // no_reply until it first answers
  bool tally = false;                // on while a scene on programme shows it
  int preset = -1;                   // the last preset recalled, -1 for none
  // A preset the scene on preview wants but that waits, because the camera is on
  // programme and moving it would move a live shot; -1 for none. Recalled as soon as the
  // camera leaves programme while that scene is still on preview.
  int held = -1;
  bool operator==(const PtzStatus&) const = default;
};

// The automatic director (show/auto_director.h).
struct AutoStatus {
  bool available = false;  // the config has an auto_director
  bool enabled = false;
  std::string speaker;  // the mic it is following, "" for none (fallback scene)
  bool operator==(const AutoStatus&) const = default;
};

struct Snapshot {
  ProgrammeStats programme;
  std::string program;  // scene id
  std::string preview;  // scene id
  std::vector<SceneInfo> scenes;
  std::vector<SourceStatus> sources;
  std::vector<OverlayStatus> overlays;
  std::vector<AudioChannel> audio;
  std::vector<std::string> languages;  // programme tracks: "floor" first
  std::vector<TrackStatus> tracks;     // one per language, same order
  std::vector<OutputStatus> outputs;
  std::vector<PartHealth> health;  // in the order of their first failure
  std::vector<PtzStatus> ptz;      // the cameras with a PTZ head, in source order
  AutoStatus auto_director;
  EventInfo event;
  std::vector<CueStatus> schedule;

  const OverlayStatus* find_overlay(std::string_view id) const;
  OverlayStatus* find_overlay(std::string_view id);
  const OutputStatus* find_output(std::string_view id) const;
  OutputStatus* find_output(std::string_view id);
};

// The state a show starts in: its opening look (by default the first scene on
// programme, the second on preview, every overlay hidden), every fader at 0 dB, every
// output idle, no cue run.
Snapshot initial_snapshot(const config::Config& config);

// What an overlay's button reads: a lower third's name, a title's text.
std::string overlay_label(config::OverlayType type, const OverlayText& content);

// A config overlay's words: a lower third's from its speaker.
OverlayText overlay_text(const config::Overlay& overlay, const config::Config& config);

}  // namespace hallcast::show
