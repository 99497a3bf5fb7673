#include "show/commands.h"

namespace hallcast::show {

std::string_view to_string(ErrorCode code) {
  switch (code) {
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
  }
  return "internal";
}

}  // namespace hallcast::show
