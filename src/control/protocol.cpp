#include "control/protocol.h"

#include <array>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <type_traits>
#include <variant>

namespace hallcast::control {

namespace {

using nlohmann::json;

// Refusals travel as an exception inside this file only: every field reader can stop
// the parse in one line, and parse_request turns it into a Rejected.
struct Refusal {
  Error error;
};

[[noreturn]] void refuse(ErrorCode code, std::string message) {
  throw Refusal{{code, std::move(message)}};
}

// Client text echoed in a message, cut short (on a UTF-8 boundary) so that a
// 60 KiB field name does not come back as a 60 KiB reply.
std::string echoed(std::string_view text) {
  constexpr std::size_t limit = 64;
  if (text.size() <= limit) {
    return "\"" + std::string(text) + "\"";
  }
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return "\"" + std::string(text.substr(0, cut)) + "…\"";
}

std::string_view type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    case json::value_t::binary:
      return "binary";
    case json::value_t::discarded:
      return "nothing";
    default:
      return "a number";
  }
}

// The fields of one request object. `cmd` and `id` are read by parse_request.
class Fields {
 public:
  explicit Fields(const json& object) : object_(object) {}

  const json* find(const char* name) const {
    auto it = object_.find(name);
    return it == object_.end() ? nullptr : &*it;
  }

  [[noreturn]] static void wrong_type(const char* name, std::string_view expected,
                                      const json& value) {
    refuse(ErrorCode::bad_type, std::string("field \"") + name + "\" must be " +
                                    std::string(expected) + ", not " +
                                    std::string(type_name(value)));
  }

  std::string string(const char* name) const {
    const json* value = find(name);
    if (value == nullptr) {
      refuse(ErrorCode::missing_field, std::string("missing field \"") + name + "\"");
    }
    if (!value->is_string()) {
      wrong_type(name, "a string", *value);
    }
    return value->get<std::string>();
  }

  std::optional<std::string> optional_string(const char* name) const {
    return find(name) == nullptr ? std::nullopt : std::optional(string(name));
  }

  std::optional<bool> optional_bool(const char* name) const {
    const json* value = find(name);
    if (value == nullptr) {
      return std::nullopt;
    }
    if (!value->is_boolean()) {
      wrong_type(name, "true or false", *value);
    }
    return value->get<bool>();
  }

  std::optional<double> optional_number(const char* name, double low, double high) const {
    const json* value = find(name);
    if (value == nullptr) {
      return std::nullopt;
    }
    if (!value->is_number()) {
      wrong_type(name, "a number", *value);
    }
    const double number = value->get<double>();
    if (!std::isfinite(number) || number < low || number > high) {
      refuse(ErrorCode::out_of_range, std::string("field \"") + name + "\" must be from " +
                                          json(low).dump() + " to " + json(high).dump());
    }
    return number;
  }

  std::optional<int> optional_integer(const char* name, int low, int high) const {
    const json* value = find(name);
    if (value == nullptr) {
      return std::nullopt;
    }
    if (!value->is_number_integer()) {
      wrong_type(name, "an integer", *value);
    }
    // Compared wide first: a huge unsigned value must not wrap into range.
    const bool in_range =
        value->is_number_unsigned()
            ? value->get<std::uint64_t>() <= static_cast<std::uint64_t>(high)
            : value->get<std::int64_t>() >= low && value->get<std::int64_t>() <= high;
    if (!in_range) {
      refuse(ErrorCode::out_of_range, std::string("field \"") + name + "\" must be from " +
                                          std::to_string(low) + " to " + std::to_string(high));
    }
    return static_cast<int>(value->get<std::int64_t>());
  }

 private:
  const json& object_;
};

show::Command read_transition(const Fields& f) {
  show::TransitionTake take;
  const std::string type = f.optional_string("type").value_or("cut");
  if (type == "cut") {
    take.type = show::TransitionType::cut;
  } else if (type == "fade") {
    take.type = show::TransitionType::fade;
  } else {
    refuse(ErrorCode::bad_value, "field \"type\" must be \"cut\" or \"fade\", not " + echoed(type));
  }
  const int fallback = take.type == show::TransitionType::fade ? default_fade_ms : 0;
  take.duration_ms = f.optional_integer("duration_ms", 0, max_transition_ms).value_or(fallback);
  return take;
}

show::Command read_audio(const Fields& f) {
  show::AudioSet set;
  set.channel = f.string("channel");
  set.gain_db = f.optional_number("gain_db", min_gain_db, max_gain_db);
  set.muted = f.optional_bool("muted");
  if (!set.gain_db && !set.muted) {
    refuse(ErrorCode::missing_field, "audio.set needs \"gain_db\", \"muted\" or both");
  }
  return set;
}

show::Command read_ptz_move(const Fields& f) {
  show::PtzMove move;
  move.source = f.string("source");
  move.pan = f.optional_number("pan", -1.0, 1.0).value_or(0.0);
  move.tilt = f.optional_number("tilt", -1.0, 1.0).value_or(0.0);
  move.zoom = f.optional_number("zoom", -1.0, 1.0).value_or(0.0);
  return move;
}

int read_preset(const Fields& f) {
  if (f.find("preset") == nullptr) {
    refuse(ErrorCode::missing_field, "missing field \"preset\"");
  }
  return *f.optional_integer("preset", 0, max_ptz_preset);
}

using FieldNames = std::array<std::string_view, 4>;

struct CommandSpec {
  std::string_view name;
  FieldNames fields;  // the fields it takes besides id and cmd
  show::Command (*read)(const Fields&);
};

// Every command of SPEC §3, in the order of the show::Command variant.
constexpr std::array<CommandSpec, 14> commands{{
    {"state.get", {}, [](const Fields&) -> show::Command { return show::StateGet{}; }},
    {"scene.preview",
     {"scene"},
     [](const Fields& f) -> show::Command { return show::ScenePreview{f.string("scene")}; }},
    {"scene.cut",
     {"scene"},
     [](const Fields& f) -> show::Command { return show::SceneCut{f.string("scene")}; }},
    {"transition.take", {"type", "duration_ms"}, &read_transition},
    {"overlay.show",
     {"overlay"},
     [](const Fields& f) -> show::Command { return show::OverlayShow{f.string("overlay")}; }},
    {"overlay.hide",
     {"overlay"},
     [](const Fields& f) -> show::Command { return show::OverlayHide{f.string("overlay")}; }},
    {"audio.set", {"channel", "gain_db", "muted"}, &read_audio},
    {"output.start",
     {"output"},
     [](const Fields& f) -> show::Command { return show::OutputStart{f.string("output")}; }},
    {"output.stop",
     {"output"},
     [](const Fields& f) -> show::Command { return show::OutputStop{f.string("output")}; }},
    {"output.set_language",
     {"output", "language"},
     [](const Fields& f) -> show::Command {
       return show::OutputSetLanguage{f.string("output"), f.string("language")};
     }},
    {"ptz.recall",
     {"source", "preset"},
     [](const Fields& f) -> show::Command {
       return show::PtzRecall{f.string("source"), read_preset(f)};
     }},
    {"ptz.store",
     {"source", "preset"},
     [](const Fields& f) -> show::Command {
       return show::PtzStore{f.string("source"), read_preset(f)};
     }},
    {"ptz.move", {"source", "pan", "tilt", "zoom"}, &read_ptz_move},
    {"auto.set",
     {"enabled"},
     [](const Fields& f) -> show::Command {
       const auto enabled = f.optional_bool("enabled");
       if (!enabled) {
         refuse(ErrorCode::missing_field, "missing field \"enabled\"");
       }
       return show::AutoSet{*enabled};
     }},
}};

static_assert(commands.size() == std::variant_size_v<show::Command>,
              "every command needs its wire spec");

const CommandSpec* find_command(std::string_view name) {
  for (const auto& spec : commands) {
    if (spec.name == name) {
      return &spec;
    }
  }
  return nullptr;
}

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
    refuse(ErrorCode::out_of_range, "field \"id\" does not fit in 64 bits");
  }
  if (it->is_number_integer()) {
    return it->get<std::int64_t>();
  }
  if (it->is_string()) {
    return it->get<std::string>();
  }
  refuse(ErrorCode::bad_type,
         "field \"id\" must be an integer or a string, not " + std::string(type_name(*it)));
}

const std::string& read_command_name(const json& object) {
  auto cmd = object.find("cmd");
  if (cmd == object.end()) {
    refuse(ErrorCode::missing_field, "missing field \"cmd\"");
  }
  if (!cmd->is_string()) {
    Fields::wrong_type("cmd", "a string", *cmd);
  }
  return cmd->get_ref<const std::string&>();
}

// Refuses any field of `object` besides id, cmd and `fields`.
void check_fields(const json& object, std::string_view command, const FieldNames& fields) {
  for (const auto& [key, value] : object.items()) {
    if (key == "id" || key == "cmd") {
      continue;
    }
    bool known = false;
    for (auto field : fields) {
      known = known || (!field.empty() && field == key);
    }
    if (!known) {
      refuse(ErrorCode::unknown_field, std::string(command) + " takes no field " + echoed(key));
    }
  }
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
           std::string("field \"") + (source ? "source" : "track") + "\" must not be empty");
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
  const CommandSpec* spec = find_command(name);
  if (spec == nullptr) {
    refuse(ErrorCode::unknown_command, "no command " + echoed(name));
  }
  check_fields(object, spec->name, spec->fields);
  return spec->read(Fields(object));
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

std::string_view command_name(const show::Command& command) {
  return commands[command.index()].name;
}

std::string_view command_name(ConnectionCommand command) {
  return connection_commands[static_cast<std::size_t>(command)];
}

bool is_read_only(const show::Command& command) {
  return std::holds_alternative<show::StateGet>(command);
}

namespace {

json request_head(const RequestId& id, std::string_view name) {
  json request = json::object();
  if (const auto* number = std::get_if<std::int64_t>(&id)) {
    request["id"] = *number;
  } else if (const auto* text = std::get_if<std::string>(&id)) {
    request["id"] = *text;
  }
  request["cmd"] = name;
  return request;
}

}  // namespace

std::string format_request(const RequestId& id, ConnectionCommand command, std::string_view tap) {
  json request = request_head(id, command_name(command));
  if (command == ConnectionCommand::listen_start) {
    const auto colon = tap.find(':');
    const std::string_view kind = tap.substr(0, colon);
    if (colon != std::string_view::npos && (kind == "source" || kind == "track")) {
      request[std::string(kind)] = std::string(tap.substr(colon + 1));
    }
  }
  return request.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string format_request(const RequestId& id, const show::Command& command) {
  json request = request_head(id, command_name(command));
  std::visit(
      [&](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, show::ScenePreview> || std::is_same_v<T, show::SceneCut>) {
          request["scene"] = c.scene;
        } else if constexpr (std::is_same_v<T, show::TransitionTake>) {
          request["type"] = c.type == show::TransitionType::fade ? "fade" : "cut";
          request["duration_ms"] = c.duration_ms;
        } else if constexpr (std::is_same_v<T, show::OverlayShow> ||
                             std::is_same_v<T, show::OverlayHide>) {
          request["overlay"] = c.overlay;
        } else if constexpr (std::is_same_v<T, show::AudioSet>) {
          request["channel"] = c.channel;
          if (c.gain_db)
            request["gain_db"] = *c.gain_db;
          if (c.muted)
            request["muted"] = *c.muted;
        } else if constexpr (std::is_same_v<T, show::OutputStart> ||
                             std::is_same_v<T, show::OutputStop>) {
          request["output"] = c.output;
        } else if constexpr (std::is_same_v<T, show::OutputSetLanguage>) {
          request["output"] = c.output;
          request["language"] = c.language;
        } else if constexpr (std::is_same_v<T, show::PtzRecall> ||
                             std::is_same_v<T, show::PtzStore>) {
          request["source"] = c.source;
          request["preset"] = c.preset;
        } else if constexpr (std::is_same_v<T, show::PtzMove>) {
          request["source"] = c.source;
          request["pan"] = c.pan;
          request["tilt"] = c.tilt;
          request["zoom"] = c.zoom;
        } else if constexpr (std::is_same_v<T, show::AutoSet>) {
          request["enabled"] = c.enabled;
        }
      },
      command);
  return request.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace hallcast::control
