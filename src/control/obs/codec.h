// obs-websocket messages on the wire: one JSON object per WebSocket text message
// (subprotocol obswebsocket.json) or one MessagePack map per binary message
// (obswebsocket.msgpack). nlohmann-json reads and writes both, so the rest of the edge
// only ever sees nlohmann::json values.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "control/obs/types.h"

namespace hallcast::control::obs {

// Why a connection is closed, with the reason sent in the close frame.
struct CloseWith {
  CloseCode code = CloseCode::unknown_reason;
  std::string reason;
};

// A message larger than this is not read: the connection is closed with 1009. Batches
// of a few hundred requests fit.
inline constexpr std::size_t max_message_bytes = 256 * 1024;

// One received message, decoded. Whatever cannot be read in the session's encoding
// (the wrong frame type, not JSON, not MessagePack) closes with MessageDecodeError.
std::variant<nlohmann::json, CloseWith> decode(Encoding encoding, bool binary,
                                               std::string_view payload);

// One message to send: JSON text, or MessagePack bytes for a binary frame.
std::string encode(Encoding encoding, const nlohmann::json& message);

// The encoding a negotiated subprotocol names; JSON when there is none.
Encoding encoding_of(std::string_view subprotocol);

}  // namespace hallcast::control::obs
