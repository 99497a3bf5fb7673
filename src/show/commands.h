// What an operator can ask of the show (SPEC §3), as typed values. Every wire format
// (the WebSocket protocol, later obs-websocket) parses into these, and every answer is
// a typed Reply; nothing here knows JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace hallcast::show {

enum class TransitionType { cut, fade };

struct StateGet {};
struct ScenePreview {
  std::string scene;
};
struct SceneCut {
  std::string scene;
};
struct TransitionTake {
  TransitionType type = TransitionType::cut;
  int duration_ms = 0;
};
struct OverlayShow {
  std::string overlay;
};
struct OverlayHide {
  std::string overlay;
};
struct AudioSet {
  // A fader's range, in dB.
  static constexpr double min_gain_db = -60.0;
  static constexpr double max_gain_db = 12.0;

  std::string channel;
  std::optional<double> gain_db;
  std::optional<bool> muted;
};
struct OutputStart {
  std::string output;
};
struct OutputStop {
  std::string output;
};
struct OutputSetLanguage {
  std::string output;
  std::string language;
};

// A PTZ camera's preset memory (0..127) and its pan/tilt/zoom drive.
struct PtzRecall {
  std::string source;
  int preset = 0;
};
struct PtzStore {
  std::string source;
  int preset = 0;
};
// Speeds from -1 to 1: pan right, tilt up and zoom in are positive; all zero stops.
struct PtzMove {
  std::string source;
  double pan = 0.0;
  double tilt = 0.0;
  double zoom = 0.0;
};
// The automatic director on or off.
struct AutoSet {
  bool enabled = false;
};

using Command = std::variant<StateGet, ScenePreview, SceneCut, TransitionTake, OverlayShow,
                             OverlayHide, AudioSet, OutputStart, OutputStop, OutputSetLanguage,
                             PtzRecall, PtzStore, PtzMove, AutoSet>;

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
};

struct Reply {
  ErrorCode error = ErrorCode::none;
  std::string message;

  bool ok() const { return error == ErrorCode::none; }
  static Reply success() { return {}; }
  static Reply failure(ErrorCode code, std::string message) { return {code, std::move(message)}; }
};

}  // namespace hallcast::show
