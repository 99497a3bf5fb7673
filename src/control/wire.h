// The server side of the control protocol: typed replies, snapshots and events turned
// into the JSON text frames of docs/protocol.md. The only place that knows their
// shape; handlers and the engine hand over typed values and never build wire text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

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
// A Thumbnail has no text form (it is a binary frame, encode_thumbnail): "".
std::string encode_event(const show::Event& event);

// A multiview thumbnail as the payload of one binary WebSocket frame:
//   2 bytes   N, the header's length, big-endian
//   N bytes   the header, UTF-8 JSON: {"feed":"program","type":"image/jpeg"}
//   the rest  the JPEG, as the engine made it
// "" when there is no picture or the header would not fit its 2 bytes of length.
std::string encode_thumbnail(const show::Thumbnail& thumbnail);

// A packet of a signal a client listens to, as the payload of one binary WebSocket
// frame, framed like a thumbnail:
//   2 bytes   N, the header's length, big-endian
//   N bytes   the header, UTF-8 JSON: {"listen":"source:booth-ru","type":"audio/opus",
//             "rate":48000,"channels":2,"captured_ms":1717000000000.5}
//   the rest  one Opus packet (20 ms)
// "" when there is no packet or the header would not fit.
std::string encode_listen_packet(const show::ListenPacket& packet);

// {"role": ROLE}: the body of GET /session ("operator" or "viewer").
std::string encode_session(std::string_view role);

// {"error": CODE, "message": TEXT}: the body of an HTTP error answer.
std::string encode_error(const Error& error);

}  // namespace hallcast::control
