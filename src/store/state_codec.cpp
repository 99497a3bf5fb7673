#include "store/state_codec.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>

namespace hallcast::store {

namespace {

using nlohmann::json;

constexpr const char* kFormat = "hallcast-show-state";
constexpr int kVersion = 1;

[[noreturn]] void refuse(const std::string& path, const std::string& what) {
  throw StateFormatError(path + ": " + what);
}

const json& member(const json& object, const char* key, const std::string& path) {
  auto it = object.find(key);
  if (it == object.end()) {
    refuse(path, std::string("missing \"") + key + "\"");
  }
  return *it;
}

std::string text_at(const json& object, const char* key, const std::string& path) {
  const json& value = member(object, key, path);
  if (!value.is_string()) {
    refuse(path + "." + key, "not a string");
  }
  return value.get<std::string>();
}

bool flag_at(const json& object, const char* key, const std::string& path) {
  const json& value = member(object, key, path);
  if (!value.is_boolean()) {
    refuse(path + "." + key, "not true or false");
  }
  return value.get<bool>();
}

double number_at(const json& object, const char* key, const std::string& path) {
  const json& value = member(object, key, path);
  if (!value.is_number() || !std::isfinite(value.get<double>())) {
    refuse(path + "." + key, "not a number");
  }
  return value.get<double>();
}

// Each object of the array `key` (absent: none), read by `read`.
template <typename Read>
void each_object(const json& document, const char* key, Read read) {
  auto it = document.find(key);
  if (it == document.end()) {
    return;
  }
  if (!it->is_array()) {
    refuse(key, "not an array");
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    const std::string path = std::string(key) + "[" + std::to_string(i) + "]";
    if (!(*it)[i].is_object()) {
      refuse(path, "not an object");
    }
    read((*it)[i], path);
  }
}

const json* optional_member(const json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// The value of `T` whose name (`to_string`) is the string at `key`, among `values`.
template <typename T, std::size_t N>
T named_at(const json& object, const char* key, const std::string& path,
           const std::array<T, N>& values) {
  const std::string name = text_at(object, key, path);
  for (const T value : values) {
    if (show::to_string(value) == name) {
      return value;
    }
  }
  refuse(path + "." + key, "\"" + name + "\" is none of the names it may have");
}

config::OverlayType overlay_type_at(const json& object, const std::string& path) {
  const std::string name = text_at(object, "type", path);
  for (const auto type : {config::OverlayType::lower_third, config::OverlayType::title,
                          config::OverlayType::countdown}) {
    if (config::to_string(type) == name) {
      return type;
    }
  }
  refuse(path + ".type", "no overlay type \"" + name + "\"");
}

// A time, as milliseconds since the Unix epoch.
std::int64_t milliseconds_at(const json& object, const char* key, const std::string& path) {
  const json& value = member(object, key, path);
  if (!value.is_number_integer()) {
    refuse(path + "." + key, "not a time in milliseconds");
  }
  return value.get<std::int64_t>();
}

json encode_words(const show::OverlayText& words) {
  json forms = json::array();
  for (const auto& form : words.forms) {
    forms.push_back({{"language", form.language}, {"name", form.name}, {"role", form.role}});
  }
  return {{"name", words.name}, {"role", words.role}, {"forms", forms}, {"text", words.text}};
}

show::OverlayText decode_words(const json& words, const std::string& path) {
  if (!words.is_object()) {
    refuse(path, "not an object");
  }
  show::OverlayText text{
      text_at(words, "name", path), text_at(words, "role", path), {}, text_at(words, "text", path)};
  each_object(words, "forms", [&](const json& f, const std::string& at) {
    text.forms.push_back({text_at(f, "language", path + "." + at),
                          text_at(f, "name", path + "." + at),
                          text_at(f, "role", path + "." + at)});
  });
  return text;
}

json encode_overlay(const show::OverlayLiveState& overlay) {
  json o = {{"id", overlay.id}, {"visible", overlay.visible}};
  if (overlay.content) {
    o["type"] = config::to_string(overlay.type);
    o["words"] = encode_words(*overlay.content);
  }
  if (overlay.created) {
    o["created"] = true;
  }
  return o;
}

show::OverlayLiveState decode_overlay(const json& o, const std::string& path) {
  show::OverlayLiveState overlay;
  overlay.id = text_at(o, "id", path);
  overlay.visible = flag_at(o, "visible", path);
  if (const json* words = optional_member(o, "words")) {
    overlay.type = overlay_type_at(o, path);
    overlay.content = decode_words(*words, path + ".words");
  }
  if (optional_member(o, "created") != nullptr) {
    overlay.created = flag_at(o, "created", path);
  }
  if (overlay.created && !overlay.content) {
    refuse(path, "made live, but without its words");
  }
  return overlay;
}

constexpr std::array kDoneStates{show::CueState::ran, show::CueState::failed,
                                 show::CueState::skipped, show::CueState::passed};
constexpr std::array kErrors{show::ErrorCode::unknown_scene,
                             show::ErrorCode::unknown_overlay,
                             show::ErrorCode::unknown_channel,
                             show::ErrorCode::unknown_output,
                             show::ErrorCode::unknown_language,
                             show::ErrorCode::out_of_range,
                             show::ErrorCode::not_supported,
                             show::ErrorCode::unavailable,
                             show::ErrorCode::busy,
                             show::ErrorCode::internal,
                             show::ErrorCode::unknown_source,
                             show::ErrorCode::unknown_cue,
                             show::ErrorCode::already_exists,
                             show::ErrorCode::bad_value};

json encode_cue(const show::CueLiveState& cue) {
  json c = {{"index", cue.index},
            {"at", cue.at},
            {"due_ms", cue.due.time_since_epoch().count()},
            {"request", cue.request},
            {"status", show::to_string(cue.state)}};
  if (cue.ran_at) {
    c["ran_at_ms"] = cue.ran_at->time_since_epoch().count();
  }
  if (cue.state == show::CueState::failed) {
    c["error"] = show::to_string(cue.error);
    c["message"] = cue.message;
  }
  return c;
}

show::CueLiveState decode_cue(const json& c, const std::string& path) {
  show::CueLiveState cue;
  const json& index = member(c, "index", path);
  if (!index.is_number_unsigned()) {
    refuse(path + ".index", "not a cue's place in the list");
  }
  cue.index = index.get<std::size_t>();
  cue.at = text_at(c, "at", path);
  cue.due = config::WallTime(std::chrono::milliseconds(milliseconds_at(c, "due_ms", path)));
  cue.request = text_at(c, "request", path);
  cue.state = named_at(c, "status", path, kDoneStates);
  if (optional_member(c, "ran_at_ms") != nullptr) {
    cue.ran_at = config::WallTime(std::chrono::milliseconds(milliseconds_at(c, "ran_at_ms", path)));
  }
  if (cue.state == show::CueState::failed) {
    cue.error = named_at(c, "error", path, kErrors);
    cue.message = text_at(c, "message", path);
  }
  return cue;
}

}  // namespace

std::string encode_state(const show::LiveState& state) {
  json overlays = json::array();
  for (const auto& overlay : state.overlays) {
    overlays.push_back(encode_overlay(overlay));
  }
  json audio = json::array();
  for (const auto& channel : state.audio) {
    audio.push_back(
        {{"channel", channel.channel}, {"gain_db", channel.gain_db}, {"muted", channel.muted}});
  }
  json outputs = json::array();
  for (const auto& output : state.outputs) {
    json o = {{"id", output.id}, {"running", output.running}, {"language", output.language}};
    if (output.stopped) {
      o["stopped"] = true;
    }
    outputs.push_back(o);
  }
  json document = {{"format", kFormat},        {"version", kVersion},  {"program", state.program},
                   {"preview", state.preview}, {"overlays", overlays}, {"audio", audio},
                   {"outputs", outputs}};
  if (state.auto_director) {
    document["auto"] = {{"enabled", *state.auto_director}};
  }
  document["deleted_overlays"] = state.deleted_overlays;
  json cues = json::array();
  for (const auto& cue : state.cues) {
    cues.push_back(encode_cue(cue));
  }
  document["cues"] = cues;
  return document.dump(2) + "\n";
}

show::LiveState decode_state(std::string_view text) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    throw StateFormatError(std::string("not JSON: ") + e.what());
  }
  if (!document.is_object()) {
    refuse("$", "not an object");
  }
  if (document.value("format", json()) != kFormat) {
    refuse("format", std::string("not \"") + kFormat + "\"");
  }
  const json& version = member(document, "version", "$");
  if (!version.is_number_integer() || version.get<int>() != kVersion) {
    refuse("version", "not " + std::to_string(kVersion) + " (" + version.dump() + ")");
  }
  show::LiveState state;
  state.program = text_at(document, "program", "$");
  state.preview = text_at(document, "preview", "$");
  each_object(document, "overlays", [&](const json& o, const std::string& path) {
    state.overlays.push_back(decode_overlay(o, path));
  });
  if (const json* deleted = optional_member(document, "deleted_overlays")) {
    if (!deleted->is_array()) {
      refuse("deleted_overlays", "not an array");
    }
    for (const json& id : *deleted) {
      if (!id.is_string()) {
        refuse("deleted_overlays", "not a list of overlay ids");
      }
      state.deleted_overlays.push_back(id.get<std::string>());
    }
  }
  each_object(document, "cues", [&](const json& c, const std::string& path) {
    state.cues.push_back(decode_cue(c, path));
  });
  each_object(document, "audio", [&](const json& a, const std::string& path) {
    state.audio.push_back(
        {text_at(a, "channel", path), number_at(a, "gain_db", path), flag_at(a, "muted", path)});
  });
  each_object(document, "outputs", [&](const json& o, const std::string& path) {
    state.outputs.push_back(
        {text_at(o, "id", path), flag_at(o, "running", path), text_at(o, "language", path),
         optional_member(o, "stopped") != nullptr && flag_at(o, "stopped", path)});
  });
  if (auto it = document.find("auto"); it != document.end()) {
    if (!it->is_object()) {
      refuse("auto", "not an object");
    }
    state.auto_director = flag_at(*it, "enabled", "auto");
  }
  return state;
}

}  // namespace hallcast::store
