// The server side of the control protocol: typed replies, snapshots and events turned
// into the JSON text frames of docs/protocol.md. The only place that knows their
// shape; handlers and the engine hand over typed values and never build wire text.
#pragma once

#include <optional>
#include <string>

#include "control/error_codes.h"
#include "control/protocol.h"
#include "show/events.h"
#include "show/state.h"

namespace hallcast::control {

// {"id": 7, "ok": true} or {"id": 7, "ok": false, "error": CODE, "message": TEXT};
// "id" is left out when the request had none.
std::string encode_reply(const RequestId& id, const std::optional<Error>& error);

// {"event": "state", …the full snapshot…}
std::string encode_state(const show::Snapshot& snapshot);

// {"event": NAME, …}: "program", "preview", "output", "source", "overlay", "audio".
std::string encode_event(const show::Event& event);

// {"error": CODE, "message": TEXT}: the body of an HTTP error answer.
std::string encode_error(const Error& error);

}  // namespace hallcast::control
