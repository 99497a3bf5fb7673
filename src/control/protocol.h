// The request side of the control protocol (SPEC §3, docs/protocol.md) as pure
// functions: one text frame in, a typed show::Command or the reason it is refused out.
// No sockets, no engine, no state: the WebSocket server, the fuzzer and any later
// wire format (obs-websocket) share this one definition of what a valid request is.
//
// Checks made here are the ones that need no show state: the command exists, every
// field is known, present when required, of the right JSON type, and in range. Whether
// a scene or output exists is the engine's answer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "control/error_codes.h"
#include "show/commands.h"

namespace hallcast::control {

// A frame longer than this is not read: the connection is closed (1009).
inline constexpr std::size_t max_frame_bytes = 64 * 1024;

// Allowed ranges of the numeric fields.
inline constexpr double min_gain_db = show::AudioSet::min_gain_db;
inline constexpr double max_gain_db = show::AudioSet::max_gain_db;
inline constexpr int max_transition_ms = 10'000;
inline constexpr int max_ptz_preset = 127;
// A fade asked for without a duration.
inline constexpr int default_fade_ms = 500;

// The request's "id", echoed in its reply: absent (or null), an integer or a string.
using RequestId = std::variant<std::monostate, std::int64_t, std::string>;

// A well-formed request, ready for the engine.
struct Request {
  RequestId id;
  show::Command command;
};

// JSON, but not a valid request: answered with ok: false; the connection stays.
struct Rejected {
  RequestId id;
  Error error;
};

// Not a request at all: the connection that sent it is closed.
struct Unreadable {
  enum class Reason { not_json, too_large };
  Reason reason = Reason::not_json;
  std::string message;
};

// Requests about the connection itself rather than the show: the control server
// answers them without the engine, and any authenticated client may send them.
enum class ConnectionCommand {
  multiview_subscribe,    // "multiview.subscribe": send me the multiview thumbnails
  multiview_unsubscribe,  // "multiview.unsubscribe": stop sending them
  listen_start,           // "listen.start": send me this signal to listen to
  listen_stop,            // "listen.stop": stop sending it
};

// A well-formed connection request.
struct ConnectionRequest {
  RequestId id;
  ConnectionCommand command = ConnectionCommand::multiview_subscribe;
  // listen.start: "source:<id>" (its "source" field) or "track:<language>" (its
  // "track"); whether the show has it is checked against the state.
  std::string tap;
};

using ParseResult = std::variant<Request, Rejected, Unreadable, ConnectionRequest>;

ParseResult parse_request(std::string_view text);

// A command as a cue of the schedule gives it: a JSON object with "cmd" and its fields
// (no "id"). A connection command is refused: a cue acts on the show. The error names
// the field at fault, if one is.
std::variant<show::Command, Error> parse_command(std::string_view text);

// The wire name of a command, e.g. "scene.preview" or "multiview.subscribe".
std::string_view command_name(const show::Command& command);
std::string_view command_name(ConnectionCommand command);

// True for commands that change nothing, which a read-only viewer may send.
bool is_read_only(const show::Command& command);

// The request text for `command`, which parse_request reads back as the same command.
// For clients written in C++ (tests, benchmarks) and for checking the parser.
std::string format_request(const RequestId& id, const show::Command& command);
std::string format_request(const RequestId& id, ConnectionCommand command,
                           std::string_view tap = {});

}  // namespace hallcast::control
