#include "store/state_codec.h"

#include <cmath>
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

}  // namespace

std::string encode_state(const show::LiveState& state) {
  json overlays = json::array();
  for (const auto& overlay : state.overlays) {
    overlays.push_back({{"id", overlay.id}, {"visible", overlay.visible}});
  }
  json audio = json::array();
  for (const auto& channel : state.audio) {
    audio.push_back(
        {{"channel", channel.channel}, {"gain_db", channel.gain_db}, {"muted", channel.muted}});
  }
  json outputs = json::array();
  for (const auto& output : state.outputs) {
    outputs.push_back(
        {{"id", output.id}, {"running", output.running}, {"language", output.language}});
  }
  json document = {{"format", kFormat},        {"version", kVersion},  {"program", state.program},
                   {"preview", state.preview}, {"overlays", overlays}, {"audio", audio},
                   {"outputs", outputs}};
  if (state.auto_director) {
    document["auto"] = {{"enabled", *state.auto_director}};
  }
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
    state.overlays.push_back({text_at(o, "id", path), flag_at(o, "visible", path)});
  });
  each_object(document, "audio", [&](const json& a, const std::string& path) {
    state.audio.push_back(
        {text_at(a, "channel", path), number_at(a, "gain_db", path), flag_at(a, "muted", path)});
  });
  each_object(document, "outputs", [&](const json& o, const std::string& path) {
    state.outputs.push_back(
        {text_at(o, "id", path), flag_at(o, "running", path), text_at(o, "language", path)});
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
