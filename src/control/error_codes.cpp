#include "control/error_codes.h"

namespace hallcast::control {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_request:
      return "bad_request";
    case ErrorCode::unknown_command:
      return "unknown_command";
    case ErrorCode::missing_field:
      return "missing_field";
    case ErrorCode::bad_type:
      return "bad_type";
    case ErrorCode::unknown_field:
      return "unknown_field";
    case ErrorCode::bad_value:
      return "bad_value";
    case ErrorCode::out_of_range:
      return "out_of_range";
    case ErrorCode::read_only:
      return "read_only";
    case ErrorCode::unauthorized:
      return "unauthorized";
    case ErrorCode::busy:
      return "busy";
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
    case ErrorCode::not_supported:
      return "not_supported";
    case ErrorCode::unavailable:
      return "unavailable";
    case ErrorCode::internal:
      return "internal";
    case ErrorCode::unknown_cue:
      return "unknown_cue";
    case ErrorCode::already_exists:
      return "already_exists";
    case ErrorCode::too_many_attempts:
      return "too_many_attempts";
    case ErrorCode::unknown_source:
      return "unknown_source";
  }
  return "internal";
}

ErrorCode from_domain(show::ErrorCode code) {
  switch (code) {
    case show::ErrorCode::unknown_scene:
      return ErrorCode::unknown_scene;
    case show::ErrorCode::unknown_overlay:
      return ErrorCode::unknown_overlay;
    case show::ErrorCode::unknown_channel:
      return ErrorCode::unknown_channel;
    case show::ErrorCode::unknown_output:
      return ErrorCode::unknown_output;
    case show::ErrorCode::unknown_language:
      return ErrorCode::unknown_language;
    case show::ErrorCode::out_of_range:
      return ErrorCode::out_of_range;
    case show::ErrorCode::not_supported:
      return ErrorCode::not_supported;
    case show::ErrorCode::unavailable:
      return ErrorCode::unavailable;
    case show::ErrorCode::busy:
      return ErrorCode::busy;
    case show::ErrorCode::unknown_cue:
      return ErrorCode::unknown_cue;
    case show::ErrorCode::already_exists:
      return ErrorCode::already_exists;
    case show::ErrorCode::bad_value:
      return ErrorCode::bad_value;
    case show::ErrorCode::none:  // not a failure: a caller bug, reported as one
    case show::ErrorCode::internal:
      return ErrorCode::internal;
    case show::ErrorCode::unknown_source:
      return ErrorCode::unknown_source;
  }
  return ErrorCode::internal;
}

}  // namespace hallcast::control
