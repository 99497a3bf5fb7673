#include "control/protocol.h"

#include <array>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "control/command_wire.h"
#include "control/request_fields.h"

namespace hallcast::control {

namespace {

using nlohmann::json;

// The connection commands, in the order of the ConnectionCommand enum. Only
// listen.start takes a field: "source" or "track", one of them.
constexpr std::array<std::string_view, 4> connection_commands{
    "multiview.subscribe",
    "multiview.unsubscribe",
    "listen.start",
    "listen.stop",
};

std::optional<ConnectionCommand> find_connection_command(std::string_view name) {
  for (std::size_t i = 0; i < connection_commands.size(); ++i) {
    if (connection_commands[i] == name) {
      return static_cast<ConnectionCommand>(i);
    }
  }
  return std::nullopt;
}

RequestId read_id(const json& object) {
  auto it = object.find("id");
  if (it == object.end() || it->is_null()) {
    return std::monostate{};
  }
  if (it->is_number_unsigned() &&
      it->get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    refuse(ErrorCode::out_of_range, "field \"id\" does not fit in 64 bits", "id");
  }
  if (it->is_number_integer()) {
    return it->get<std::int64_t>();
  }
  if (it->is_string()) {
    return it->get<std::string>();
  }
  refuse(ErrorCode::bad_type,
         "field \"id\" must be an integer or a string, not " + std::string(type_name(*it)), "id");
}

const std::string& read_command_name(const json& object) {
  auto cmd = object.find("cmd");
  if (cmd == object.end()) {
    refuse(ErrorCode::missing_field, "missing field \"cmd\"", "cmd");
  }
  if (!cmd->is_string()) {
    Fields::wrong_type("cmd", "a string", *cmd);
  }
  return cmd->get_ref<const std::string&>();
}

// listen.start's one field, as the tap it names.
std::string read_tap(const json& object) {
  const Fields fields(object);
  const auto source = fields.optional_string("source");
  const auto track = fields.optional_string("track");
  if (source && track) {
    refuse(ErrorCode::bad_request, "listen.start takes \"source\" or \"track\", not both");
  }
  if (!source && !track) {
    refuse(ErrorCode::missing_field, "listen.start needs \"source\" or \"track\"");
  }
  const std::string& id = source ? *source : *track;
  if (id.empty()) {
    refuse(ErrorCode::bad_value,
           std::string("field \"") + (source ? "source" : "track") + "\" must not be empty",
           source ? "source" : "track");
  }
  return (source ? "source:" : "track:") + id;
}

// A show command or a connection command (with its tap), by its "cmd".
std::variant<show::Command, std::pair<ConnectionCommand, std::string>> read_command(
    const json& object) {
  const std::string& name = read_command_name(object);
  if (auto connection = find_connection_command(name)) {
    if (*connection == ConnectionCommand::listen_start) {
      check_fields(object, name, {"source", "track"});
      return std::pair(*connection, read_tap(object));
    }
    check_fields(object, name, {});
    return std::pair(*connection, std::string());
  }
  if (auto command = read_show_command(name, object)) {
    return *std::move(command);
  }
  refuse(ErrorCode::unknown_command, "no command " + echoed(name), "cmd");
}

}  // namespace

ParseResult parse_request(std::string_view text) {
  if (text.size() > max_frame_bytes) {
    return Unreadable{Unreadable::Reason::too_large,
                      "a request may be at most " + std::to_string(max_frame_bytes) + " bytes"};
  }
  // Parsed without exceptions: not-JSON is the common bad input, and the result type
  // says so. (nlohmann's parser is iterative, so deep nesting cannot overflow the stack,
  // and the frame limit bounds its memory.)
  json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    return Unreadable{Unreadable::Reason::not_json, "the frame is not JSON"};
  }
  if (!document.is_object()) {
    return Rejected{{}, {ErrorCode::bad_request, "a request is a JSON object"}};
  }
  RequestId id;
  try {
    id = read_id(document);
    auto command = read_command(document);
    if (auto* connection = std::get_if<std::pair<ConnectionCommand, std::string>>(&command)) {
      return ConnectionRequest{std::move(id), connection->first, std::move(connection->second)};
    }
    return Request{std::move(id), std::get<show::Command>(std::move(command))};
  } catch (const Refusal& refusal) {
    return Rejected{std::move(id), refusal.error};
  }
}

std::variant<show::Command, Error> parse_command(std::string_view text) {
  json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    return Error{ErrorCode::bad_request, "a command is a JSON object"};
  }
  try {
    if (document.contains("id")) {
      refuse(ErrorCode::unknown_field, "a cue's command takes no \"id\"", "id");
    }
    const std::string& name = read_command_name(document);
    if (find_connection_command(name)) {
      refuse(ErrorCode::bad_value, echoed(name) + " is about a connection, not the show", "cmd");
    }
    if (auto command = read_show_command(name, document)) {
      return *std::move(command);
    }
    refuse(ErrorCode::unknown_command, "no command " + echoed(name), "cmd");
  } catch (const Refusal& refusal) {
    return refusal.error;
  }
}

std::string_view command_name(const show::Command& command) {
  return show_command_name(command);
}

std::string_view command_name(ConnectionCommand command) {
  return connection_commands[static_cast<std::size_t>(command)];
}

bool is_read_only(const show::Command& command) {
  return std::holds_alternative<show::StateGet>(command);
}

namespace {

void put_id(json& request, const RequestId& id) {
  if (const auto* number = std::get_if<std::int64_t>(&id)) {
    request["id"] = *number;
  } else if (const auto* text = std::get_if<std::string>(&id)) {
    request["id"] = *text;
  }
}

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::string format_request(const RequestId& id, ConnectionCommand command, std::string_view tap) {
  json request = json::object();
  put_id(request, id);
  request["cmd"] = command_name(command);
  if (command == ConnectionCommand::listen_start) {
    const auto colon = tap.find(':');
    const std::string_view kind = tap.substr(0, colon);
    if (colon != std::string_view::npos && (kind == "source" || kind == "track")) {
      request[std::string(kind)] = std::string(tap.substr(colon + 1));
    }
  }
  return dump(request);
}

std::string format_request(const RequestId& id, const show::Command& command) {
  json request = command_to_json(command);
  put_id(request, id);
  return dump(request);
}

}  // namespace hallcast::control
