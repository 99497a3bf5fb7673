// What an operator can ask of the show (SPEC §3), as typed values. Every wire format
// (the WebSocket protocol, later obs-websocket) parses into these, and every answer is
// a typed Reply; nothing here knows JSON.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.h"

namespace hallcast::show {

enum class TransitionType { cut, fade };

// The words an overlay shows: a lower third's name and role (and their forms in other
// languages, shown under them), or a title's or countdown's text.
struct OverlayText {
  std::string name;
  std::string role;
  std::vector<config::SpeakerForm> forms;
  std::string text;
  bool operator==(const OverlayText&) const = default;
};

// A change to one language form of a lower third: a field given replaces it, "" clears it.
struct FormEdit {
  std::string language;
  std::optional<std::string> name;
  std::optional<std::string> role;
  bool operator==(const FormEdit&) const = default;
};

struct StateGet {
  bool operator==(const StateGet&) const = default;
};
struct ScenePreview {
  std::string scene;
  bool operator==(const ScenePreview&) const = default;
};
struct SceneCut {
  std::string scene;
  bool operator==(const SceneCut&) const = default;
};
struct TransitionTake {
  TransitionType type = TransitionType::cut;
  int duration_ms = 0;
  bool operator==(const TransitionTake&) const = default;
};
struct OverlayShow {
  std::string overlay;
  bool operator==(const OverlayShow&) const = default;
};
struct OverlayHide {
  std::string overlay;
  bool operator==(const OverlayHide&) const = default;
};
struct AudioSet {
  // A fader's range, in dB.
  static constexpr double min_gain_db = -60.0;
  static constexpr double max_gain_db = 12.0;

  std::string channel;
  std::optional<double> gain_db;
  std::optional<bool> muted;
  bool operator==(const AudioSet&) const = default;
};
struct OutputStart {
  std::string output;
  bool operator==(const OutputStart&) const = default;
};
struct OutputStop {
  std::string output;
  bool operator==(const OutputStop&) const = default;
};
struct OutputSetLanguage {
  std::string output;
  std::string language;
  bool operator==(const OutputSetLanguage&) const = default;
};
// A caption made live (a questioner from the floor), hidden until shown.
struct OverlayCreate {
  std::string overlay;
  config::OverlayType type = config::OverlayType::title;
  OverlayText content;
  bool operator==(const OverlayCreate&) const = default;
};
// New words for an overlay, on air at the next frame if it is shown. Fields left out
// keep their value; `type`, if given, must be the overlay's own.
struct OverlayUpdate {
  std::string overlay;
  std::optional<config::OverlayType> type;
  std::optional<std::string> name;
  std::optional<std::string> role;
  std::optional<std::string> text;
  std::vector<FormEdit> forms;
  bool operator==(const OverlayUpdate&) const = default;
};
struct OverlayDelete {
  std::string overlay;
  bool operator==(const OverlayDelete&) const = default;
};
// Run cue `cue` (an index into the schedule) now, whatever its time and state.
struct CueRun {
  std::size_t cue = 0;
  bool operator==(const CueRun&) const = default;
};
// Never run cue `cue`, which has not run yet.
struct CueSkip {
  std::size_t cue = 0;
  bool operator==(const CueSkip&) const = default;
};

// A PTZ camera's preset memory (0..127) and its pan/tilt/zoom drive.
struct PtzRecall {
  std::string source;
  int preset = 0;
  bool operator==(const PtzRecall&) const = default;
};
struct PtzStore {
  std::string source;
  int preset = 0;
  bool operator==(const PtzStore&) const = default;
};
// Speeds from -1 to 1: pan right, tilt up and zoom in are positive; all zero stops.
struct PtzMove {
  std::string source;
  double pan = 0.0;
  double tilt = 0.0;
  double zoom = 0.0;
  bool operator==(const PtzMove&) const = default;
};
// The automatic director on or off.
struct AutoSet {
  bool enabled = false;
  bool operator==(const AutoSet&) const = default;
};

using Command =
    std::variant<StateGet, ScenePreview, SceneCut, TransitionTake, OverlayShow, OverlayHide,
                 AudioSet, OutputStart, OutputStop, OutputSetLanguage, OverlayCreate, OverlayUpdate,
                 OverlayDelete, CueRun, CueSkip, PtzRecall, PtzStore, PtzMove, AutoSet>;

// Why a command failed. Each wire format maps these to its own stable codes (the
// control protocol's are in control/error_codes.h and docs/protocol.md).
enum class ErrorCode {
  none,
  unknown_scene,
  unknown_overlay,
  unknown_channel,
  unknown_output,
  unknown_language,
  out_of_range,
  not_supported,
  unavailable,  // exists, but cannot do that now (e.g. an output without its key)
  busy,
  internal,
  unknown_source,  // no such source, or (PTZ commands) not a camera with a PTZ head
  unknown_cue,
  already_exists,  // an overlay.create for an id that is taken
  bad_value,       // a value that does not fit what it is applied to (a role for a title)
};

struct Reply {
  ErrorCode error = ErrorCode::none;
  std::string message;

  bool ok() const { return error == ErrorCode::none; }
  static Reply success() { return {}; }
  static Reply failure(ErrorCode code, std::string message) { return {code, std::move(message)}; }
};

}  // namespace hallcast::show
