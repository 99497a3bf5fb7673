#include "control/command_wire.h"

#include <algorithm>
#include <array>
#include <type_traits>
#include <vector>

#include "control/protocol.h"
#include "control/request_fields.h"
#include "show/overlay_edit.h"

namespace hallcast::control {
namespace {

using nlohmann::json;

show::Command read_transition(const Fields& f) {
  show::TransitionTake take;
  const std::string type = f.optional_string("type").value_or("cut");
  if (type == "cut") {
    take.type = show::TransitionType::cut;
  } else if (type == "fade") {
    take.type = show::TransitionType::fade;
  } else {
    refuse(ErrorCode::bad_value, "field \"type\" must be \"cut\" or \"fade\", not " + echoed(type),
           "type");
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

show::Command read_auto_set(const Fields& f) {
  const auto enabled = f.optional_bool("enabled");
  if (!enabled) {
    refuse(ErrorCode::missing_field, "missing field \"enabled\"", "enabled");
  }
  return show::AutoSet{*enabled};
}

// `name_XX` / `role_XX`: the language code, or "" for any other key.
std::string form_language(std::string_view key) {
  for (const std::string_view prefix : {"name_", "role_"}) {
    if (key.starts_with(prefix)) {
      const auto code = key.substr(prefix.size());
      if ((code.size() == 2 || code.size() == 3) &&
          std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
        return std::string(code);
      }
    }
  }
  return {};
}

std::vector<show::FormEdit> read_forms(const Fields& f) {
  std::vector<show::FormEdit> forms;
  for (const auto& [key, value] : f.object().items()) {
    const std::string language = form_language(key);
    if (language.empty()) {
      continue;
    }
    auto form = std::find_if(forms.begin(), forms.end(),
                             [&](const auto& edit) { return edit.language == language; });
    if (form == forms.end()) {
      form = forms.insert(forms.end(), show::FormEdit{language, std::nullopt, std::nullopt});
    }
    (key.starts_with("name_") ? form->name : form->role) = f.string(key.c_str());
  }
  std::sort(forms.begin(), forms.end(),
            [](const auto& a, const auto& b) { return a.language < b.language; });
  return forms;
}

void check_length(const Fields& f, const char* name, std::size_t limit) {
  if (const json* value = f.find(name); value != nullptr && value->is_string()) {
    if (show::utf8_length(value->get_ref<const std::string&>()) > limit) {
      refuse(ErrorCode::bad_value,
             std::string("field \"") + name + "\" is longer than " + std::to_string(limit) +
                 " characters",
             name);
    }
  }
}

void check_lengths(const Fields& f) {
  for (const auto& [key, value] : f.object().items()) {
    if (!form_language(key).empty()) {
      check_length(f, key.c_str(), show::max_name_chars);
    }
  }
  check_length(f, "name", show::max_name_chars);
  check_length(f, "role", show::max_name_chars);
  check_length(f, "text", show::max_text_chars);
}

config::OverlayType read_overlay_type(const std::string& type) {
  for (const auto candidate : {config::OverlayType::lower_third, config::OverlayType::title,
                               config::OverlayType::countdown}) {
    if (config::to_string(candidate) == type) {
      return candidate;
    }
  }
  refuse(ErrorCode::bad_value,
         "field \"type\" must be \"lower_third\", \"title\" or \"countdown\", not " + echoed(type),
         "type");
}

std::string read_new_overlay_id(const Fields& f) {
  std::string id = f.string("overlay");
  if (!config::is_valid_id(id)) {
    refuse(ErrorCode::bad_value,
           "field \"overlay\" must be 1-64 letters, digits, \"_\" or \"-\", starting with a "
           "letter or digit, not " +
               echoed(id),
           "overlay");
  }
  return id;
}

// The words of a lower third or a title, with what each type takes.
void check_overlay_fields(const Fields& f, config::OverlayType type, bool creating) {
  const bool lower_third = type == config::OverlayType::lower_third;
  for (const char* name : {"name", "role"}) {
    if (!lower_third && f.find(name) != nullptr) {
      refuse(ErrorCode::unknown_field,
             "a " + std::string(config::to_string(type)) + " takes no field \"" + name + "\"",
             name);
    }
  }
  if (lower_third && f.find("text") != nullptr) {
    refuse(ErrorCode::unknown_field, "a lower_third takes no field \"text\"", "text");
  }
  if (!lower_third) {
    for (const auto& [key, value] : f.object().items()) {
      if (!form_language(key).empty()) {
        refuse(ErrorCode::unknown_field,
               "a " + std::string(config::to_string(type)) + " takes no field " + echoed(key), key);
      }
    }
  }
  if (creating) {
    const char* needed = lower_third ? "name" : "text";
    if (f.find(needed) == nullptr) {
      refuse(ErrorCode::missing_field,
             "a " + std::string(config::to_string(type)) + " needs \"" + needed + "\"", needed);
    }
  }
  check_lengths(f);
}

show::Command read_overlay_create(const Fields& f) {
  show::OverlayCreate create;
  create.overlay = read_new_overlay_id(f);
  create.type = read_overlay_type(f.string("type"));
  check_overlay_fields(f, create.type, true);
  create.content.name = f.optional_string("name").value_or("");
  create.content.role = f.optional_string("role").value_or("");
  create.content.text = f.optional_string("text").value_or("");
  for (const auto& edit : read_forms(f)) {
    config::SpeakerForm form{edit.language, edit.name.value_or(""), edit.role.value_or("")};
    if (!form.name.empty() || !form.role.empty()) {
      create.content.forms.push_back(std::move(form));
    }
  }
  if (auto problem = show::content_problem(create.type, create.content)) {
    refuse(ErrorCode::bad_value, *problem);
  }
  return create;
}

show::Command read_overlay_update(const Fields& f) {
  show::OverlayUpdate update;
  update.overlay = f.string("overlay");
  if (auto type = f.optional_string("type")) {
    update.type = read_overlay_type(*type);
    check_overlay_fields(f, *update.type, false);
  } else {
    // Without a type, which words fit is the overlay's to say (the engine's answer).
    check_lengths(f);
  }
  update.name = f.optional_string("name");
  update.role = f.optional_string("role");
  update.text = f.optional_string("text");
  update.forms = read_forms(f);
  if (!update.name && !update.role && !update.text && update.forms.empty()) {
    refuse(ErrorCode::missing_field, "overlay.update needs \"name\", \"role\" or \"text\"");
  }
  return update;
}

// The most cues a schedule may have: far more than a day's show needs.
constexpr int max_cue = 9999;

struct CommandSpec {
  std::string_view name;
  FieldNames fields;  // besides id and cmd
  bool forms;         // also name_XX and role_XX
  show::Command (*read)(const Fields&);
};

// Every show command, in the order of the show::Command variant.
const std::array<CommandSpec, 19> commands{{
    {"state.get", {}, false, [](const Fields&) -> show::Command { return show::StateGet{}; }},
    {"scene.preview",
     {"scene"},
     false,
     [](const Fields& f) -> show::Command { return show::ScenePreview{f.string("scene")}; }},
    {"scene.cut",
     {"scene"},
     false,
     [](const Fields& f) -> show::Command { return show::SceneCut{f.string("scene")}; }},
    {"transition.take", {"type", "duration_ms"}, false, &read_transition},
    {"overlay.show",
     {"overlay"},
     false,
     [](const Fields& f) -> show::Command { return show::OverlayShow{f.string("overlay")}; }},
    {"overlay.hide",
     {"overlay"},
     false,
     [](const Fields& f) -> show::Command { return show::OverlayHide{f.string("overlay")}; }},
    {"audio.set", {"channel", "gain_db", "muted"}, false, &read_audio},
    {"output.start",
     {"output"},
     false,
     [](const Fields& f) -> show::Command { return show::OutputStart{f.string("output")}; }},
    {"output.stop",
     {"output"},
     false,
     [](const Fields& f) -> show::Command { return show::OutputStop{f.string("output")}; }},
    {"output.set_language",
     {"output", "language"},
     false,
     [](const Fields& f) -> show::Command {
       return show::OutputSetLanguage{f.string("output"), f.string("language")};
     }},
    {"overlay.create", {"overlay", "type", "name", "role", "text"}, true, &read_overlay_create},
    {"overlay.update", {"overlay", "type", "name", "role", "text"}, true, &read_overlay_update},
    {"overlay.delete",
     {"overlay"},
     false,
     [](const Fields& f) -> show::Command { return show::OverlayDelete{f.string("overlay")}; }},
    {"cue.run",
     {"cue"},
     false,
     [](const Fields& f) -> show::Command {
       return show::CueRun{static_cast<std::size_t>(f.integer("cue", 0, max_cue))};
     }},
    {"cue.skip",
     {"cue"},
     false,
     [](const Fields& f) -> show::Command {
       return show::CueSkip{static_cast<std::size_t>(f.integer("cue", 0, max_cue))};
     }},
    {"ptz.recall",
     {"source", "preset"},
     false,
     [](const Fields& f) -> show::Command {
       return show::PtzRecall{f.string("source"), f.integer("preset", 0, max_ptz_preset)};
     }},
    {"ptz.store",
     {"source", "preset"},
     false,
     [](const Fields& f) -> show::Command {
       return show::PtzStore{f.string("source"), f.integer("preset", 0, max_ptz_preset)};
     }},
    {"ptz.move", {"source", "pan", "tilt", "zoom"}, false, &read_ptz_move},
    {"auto.set", {"enabled"}, false, &read_auto_set},
}};

static_assert(std::tuple_size_v<decltype(commands)> == std::variant_size_v<show::Command>,
              "every command needs its wire spec");

void put_content(json& out, const show::OverlayText& content) {
  if (!content.name.empty()) {
    out["name"] = content.name;
  }
  if (!content.role.empty()) {
    out["role"] = content.role;
  }
  if (!content.text.empty()) {
    out["text"] = content.text;
  }
  for (const auto& form : content.forms) {
    if (!form.name.empty()) {
      out["name_" + form.language] = form.name;
    }
    if (!form.role.empty()) {
      out["role_" + form.language] = form.role;
    }
  }
}

}  // namespace

void check_fields(const json& object, std::string_view command, const FieldNames& fields,
                  bool forms) {
  for (const auto& [key, value] : object.items()) {
    if (key == "id" || key == "cmd" || (forms && !form_language(key).empty())) {
      continue;
    }
    if (key.empty() || std::find(fields.begin(), fields.end(), key) == fields.end()) {
      refuse(ErrorCode::unknown_field, std::string(command) + " takes no field " + echoed(key),
             key);
    }
  }
}

std::optional<show::Command> read_show_command(std::string_view name, const json& object) {
  for (const auto& spec : commands) {
    if (spec.name == name) {
      check_fields(object, spec.name, spec.fields, spec.forms);
      return spec.read(Fields(object));
    }
  }
  return std::nullopt;
}

std::string_view show_command_name(const show::Command& command) {
  return commands[command.index()].name;
}

json command_to_json(const show::Command& command) {
  json request = json::object();
  request["cmd"] = show_command_name(command);
  std::visit(
      [&](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, show::ScenePreview> || std::is_same_v<T, show::SceneCut>) {
          request["scene"] = c.scene;
        } else if constexpr (std::is_same_v<T, show::TransitionTake>) {
          request["type"] = c.type == show::TransitionType::fade ? "fade" : "cut";
          request["duration_ms"] = c.duration_ms;
        } else if constexpr (std::is_same_v<T, show::OverlayShow> ||
                             std::is_same_v<T, show::OverlayHide> ||
                             std::is_same_v<T, show::OverlayDelete>) {
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
        } else if constexpr (std::is_same_v<T, show::OverlayCreate>) {
          request["overlay"] = c.overlay;
          request["type"] = config::to_string(c.type);
          put_content(request, c.content);
        } else if constexpr (std::is_same_v<T, show::OverlayUpdate>) {
          request["overlay"] = c.overlay;
          if (c.type)
            request["type"] = config::to_string(*c.type);
          if (c.name)
            request["name"] = *c.name;
          if (c.role)
            request["role"] = *c.role;
          if (c.text)
            request["text"] = *c.text;
          for (const auto& form : c.forms) {
            if (form.name)
              request["name_" + form.language] = *form.name;
            if (form.role)
              request["role_" + form.language] = *form.role;
          }
        } else if constexpr (std::is_same_v<T, show::CueRun> || std::is_same_v<T, show::CueSkip>) {
          request["cue"] = c.cue;
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
  return request;
}

}  // namespace hallcast::control
