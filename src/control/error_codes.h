// The control protocol's error codes (docs/protocol.md) and the one place that turns
// any failure into the code on the wire: a request the control layer refuses itself
// (it never reaches the engine) or a domain failure the engine answered with.
#pragma once

#include <string>
#include <string_view>

#include "show/commands.h"

namespace hallcast::control {

// Stable: clients match on these names. Add at the end; never rename.
enum class ErrorCode {
  // refused by the control layer, before the engine sees anything
  bad_request,      // valid JSON, but not a request object
  unknown_command,  // "cmd" names no command
  missing_field,    // a required field is absent
  bad_type,         // a field has the wrong JSON type
  unknown_field,    // a field the command does not take
  bad_value,        // a string outside its allowed set, e.g. a transition "wipe"
  out_of_range,     // a number outside its allowed range
  read_only,        // a viewer asked for a change
  unauthorized,     // no valid token (HTTP 401 bodies)
  busy,             // too many of this client's commands are still waiting for replies
  // answered by the engine (show::ErrorCode)
  unknown_scene,
  unknown_overlay,
  unknown_channel,
  unknown_output,
  unknown_language,
  not_supported,
  unavailable,
  internal,
  unknown_cue,
  already_exists,
  // refused by the control layer (HTTP 429 bodies)
  too_many_attempts,  // too many wrong tokens from this address, or from everyone
  // answered by the engine
  unknown_source,  // no such source, or not a PTZ camera
};

struct Error {
  Error() = default;
  Error(ErrorCode c, std::string m, std::string f = {})
      : code(c), message(std::move(m)), field(std::move(f)) {}

  ErrorCode code = ErrorCode::internal;
  std::string message;
  // The request's field at fault, where there is one ("scene"): a cue's problem is
  // reported at `schedule[i].FIELD`. Not on the wire.
  std::string field;
};

std::string_view to_string(ErrorCode code);

// The wire code for an engine failure; `code` must not be show::ErrorCode::none.
ErrorCode from_domain(show::ErrorCode code);

}  // namespace hallcast::control
