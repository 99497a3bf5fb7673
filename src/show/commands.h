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

using Command = std::variant<StateGet, ScenePreview, SceneCut, TransitionTake, OverlayShow,
                             OverlayHide, AudioSet, OutputStart, OutputStop, OutputSetLanguage>;

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
};

struct Reply {
  ErrorCode error = ErrorCode::none;
  std::string message;

  bool ok() const { return error == ErrorCode::none; }
  static Reply success() { return {}; }
  static Reply failure(ErrorCode code, std::string message) { return {code, std::move(message)}; }
};

}  // namespace hallcast::show
