// JSON document → typed Config, section by section.
#include "config/read.h"

#include <algorithm>
#include <optional>

#include "config/uri_syntax.h"

namespace hallcast::config {
namespace {

template <typename Item, typename ReadItem>
std::vector<Item> read_list(ObjectReader& parent, std::string_view key, Need need,
                            Problems& problems, ReadItem read_item) {
  std::vector<Item> items;
  const Json* list = parent.array(key, need);
  if (list == nullptr) {
    return items;
  }
  const std::string path = parent.path_of(key);
  for (std::size_t i = 0; i < list->size(); ++i) {
    items.push_back(read_item((*list)[i], index_path(path, i), problems));
  }
  return items;
}

std::optional<SourceKind> source_kind(std::string_view text) {
  for (const SourceKind kind : {SourceKind::video, SourceKind::audio, SourceKind::interpretation}) {
    if (to_string(kind) == text) {
      return kind;
    }
  }
  return std::nullopt;
}

std::optional<OverlayType> overlay_type(std::string_view text) {
  for (const OverlayType type :
       {OverlayType::lower_third, OverlayType::title, OverlayType::countdown}) {
    if (to_string(type) == text) {
      return type;
    }
  }
  return std::nullopt;
}

std::optional<OutputType> output_type(std::string_view text) {
  for (const OutputType type :
       {OutputType::rtmp, OutputType::srt, OutputType::record, OutputType::hls}) {
    if (to_string(type) == text) {
      return type;
    }
  }
  return std::nullopt;
}

// `name_XX` / `role_XX`: the language code of a speaker's form, or "" for any other key.
std::string form_language(std::string_view key) {
  for (const std::string_view prefix : {"name_", "role_"}) {
    if (key.starts_with(prefix)) {
      const auto code = key.substr(prefix.size());
      const bool letters =
          std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
      if ((code.size() == 2 || code.size() == 3) && letters) {
        return std::string(code);
      }
    }
  }
  return {};
}

Speaker read_speaker(const Json& value, const std::string& path, Problems& problems) {
  Speaker speaker;
  ObjectReader reader(value, path, problems);
  reader.string("id", speaker.id, Need::required);
  reader.string("name", speaker.name, Need::required, Text::name);
  reader.string("role", speaker.role, Need::optional, Text::line);
  for (const std::string& key : reader.keys()) {
    const std::string language = form_language(key);
    if (language.empty()) {
      continue;
    }
    auto form = std::find_if(speaker.forms.begin(), speaker.forms.end(),
                             [&](const SpeakerForm& f) { return f.language == language; });
    if (form == speaker.forms.end()) {
      form = speaker.forms.insert(speaker.forms.end(), SpeakerForm{language, "", ""});
    }
    if (key.starts_with("name_")) {
      reader.string(key, form->name, Need::optional, Text::name);
    } else {
      reader.string(key, form->role, Need::optional, Text::line);
    }
  }
  reader.reject_unknown_keys();
  return speaker;
}

Event read_event(const Json& value, Problems& problems) {
  Event event;
  ObjectReader reader(value, "event", problems);
  reader.string("title", event.title, Need::optional, Text::line);
  reader.string("venue", event.venue, Need::optional, Text::line);
  reader.string("start", event.start, Need::optional);
  event.speakers = read_list<Speaker>(reader, "speakers", Need::optional, problems, read_speaker);
  reader.reject_unknown_keys();
  return event;
}

Video read_video(const Json& value, Problems& problems) {
  Video video;
  ObjectReader reader(value, "video", problems);
  reader.whole_number("width", video.width);
  reader.whole_number("height", video.height);
  reader.whole_number("fps", video.fps);
  reader.whole_number("bitrate_kbps", video.bitrate_kbps);
  reader.number("keyframe_interval_s", video.keyframe_interval_s);
  reader.reject_unknown_keys();
  return video;
}

Audio read_audio(const Json& value, Problems& problems) {
  Audio audio;
  ObjectReader reader(value, "audio", problems);
  reader.whole_number("sample_rate", audio.sample_rate);
  reader.whole_number("bitrate_kbps", audio.bitrate_kbps);
  reader.reject_unknown_keys();
  return audio;
}

Source read_source(const Json& value, const std::string& path, Problems& problems) {
  Source source;
  ObjectReader reader(value, path, problems);
  reader.string("id", source.id, Need::required);
  std::string kind_text;
  std::optional<SourceKind> kind;
  if (reader.string("kind", kind_text, Need::required)) {
    kind = source_kind(kind_text);
    if (!kind) {
      problems.add(reader.path_of("kind"), "unknown kind " + quote(kind_text) +
                                               "; expected video, audio or interpretation");
    }
  }
  const bool has_uri = reader.string("uri", source.uri_text, Need::required);
  const bool has_label = reader.string("label", source.label, Need::optional, Text::name);
  reader.string("language", source.language);
  const bool has_duck = reader.number("duck_db", source.duck_db);
  const bool has_threshold = reader.number("vad_threshold_db", source.vad_threshold_db);
  if (const Json* ptz = reader.object("ptz")) {
    source.ptz = read_ptz(*ptz, reader.path_of("ptz"), problems);
  }
  const bool has_loop = reader.boolean("loop", source.loop);
  reader.reject_unknown_keys();

  source.kind = kind.value_or(SourceKind::video);
  if (source.kind != SourceKind::interpretation || !kind) {
    if (has_duck) {
      problems.add(reader.path_of("duck_db"), "only interpretation sources duck the floor");
    }
    if (has_threshold) {
      problems.add(reader.path_of("vad_threshold_db"),
                   "only interpretation sources have a voice threshold");
    }
  }
  if (!has_label) {
    source.label = source.id;
  }
  // Whether a URI fits depends on the kind; with the kind unknown there is nothing to
  // check it against.
  if (has_uri && kind) {
    auto parsed = parse_source_uri(source.uri_text, *kind);
    if (auto* message = std::get_if<std::string>(&parsed)) {
      problems.add(reader.path_of("uri"), *message);
    } else {
      source.uri = std::get<SourceUri>(std::move(parsed));
      if (has_loop && !is_clip(source)) {
        problems.add(reader.path_of("loop"), "only file:// video sources (clips) loop");
      }
    }
  }
  return source;
}

Layer read_layer(const Json& value, const std::string& path, Problems& problems) {
  Layer layer;
  ObjectReader reader(value, path, problems);
  reader.string("source", layer.source, Need::required);
  reader.number("x", layer.x);
  reader.number("y", layer.y);
  reader.number("w", layer.w);
  reader.number("h", layer.h);
  reader.reject_unknown_keys();
  return layer;
}

Scene read_scene(const Json& value, const std::string& path, Problems& problems) {
  Scene scene;
  ObjectReader reader(value, path, problems);
  reader.string("id", scene.id, Need::required);
  const bool has_name = reader.string("name", scene.name, Need::optional, Text::name);
  scene.layers = read_list<Layer>(reader, "layers", Need::required, problems, read_layer);
  if (const Json* presets = reader.array("presets")) {
    scene.presets = read_presets(*presets, reader.path_of("presets"), problems);
  }
  reader.reject_unknown_keys();
  if (!has_name) {
    scene.name = scene.id;
  }
  return scene;
}

Overlay read_overlay(const Json& value, const std::string& path, Problems& problems) {
  Overlay overlay;
  ObjectReader reader(value, path, problems);
  reader.string("id", overlay.id, Need::required);
  std::string type_text;
  if (reader.string("type", type_text, Need::required)) {
    if (const auto type = overlay_type(type_text)) {
      overlay.type = *type;
    } else {
      problems.add(reader.path_of("type"), "unknown type " + quote(type_text) +
                                               "; expected lower_third, title or countdown");
    }
  }
  reader.string("speaker", overlay.speaker);
  reader.string("text", overlay.text, Need::optional, Text::paragraph);
  reader.reject_unknown_keys();
  return overlay;
}

Output read_output(const Json& value, const std::string& path, Problems& problems) {
  Output output;
  ObjectReader reader(value, path, problems);
  reader.string("id", output.id, Need::required);
  const bool has_name = reader.string("name", output.name, Need::optional, Text::name);
  std::string type_text;
  if (reader.string("type", type_text, Need::required)) {
    if (const auto type = output_type(type_text)) {
      output.type = *type;
    } else {
      problems.add(reader.path_of("type"),
                   "unknown type " + quote(type_text) + "; expected rtmp, srt, record or hls");
    }
  }
  reader.string("url", output.url);
  reader.string("key_env", output.key_env);
  std::string key;
  if (reader.string("key", key, Need::optional, Text::secret)) {
    output.key = Secret(std::move(key));
  }
  reader.string("language", output.language);
  reader.boolean("enabled", output.enabled);
  reader.string("path", output.path);
  if (double segment = 0; reader.number("segment_s", segment)) {
    output.segment_s = segment;
  }
  reader.reject_unknown_keys();
  if (!has_name) {
    output.name = output.id;
  }
  return output;
}

// `HOST:PORT` into host and port; a problem at `path` otherwise.
void read_listen(ObjectReader& reader, std::string& host, int& port, Problems& problems) {
  std::string listen;
  if (!reader.string("listen", listen)) {
    return;
  }
  auto parsed = parse_listen_address(listen);
  if (auto* message = std::get_if<std::string>(&parsed)) {
    problems.add(reader.path_of("listen"), *message);
    return;
  }
  const auto& address = std::get<ListenAddress>(parsed);
  host = address.host;
  port = address.port;
}

ObsWebsocket read_obs_websocket(const Json& value, Problems& problems) {
  ObsWebsocket obs;
  ObjectReader reader(value, "control.obs_websocket", problems);
  read_listen(reader, obs.host, obs.port, problems);
  reader.string("password_env", obs.password_env);
  reader.reject_unknown_keys();
  return obs;
}

Control read_control(const Json& value, Problems& problems) {
  Control control;
  ObjectReader reader(value, "control", problems);
  read_listen(reader, control.host, control.port, problems);
  reader.string("token_env", control.token_env);
  reader.string("viewer_token_env", control.viewer_token_env);
  if (const Json* obs = reader.object("obs_websocket")) {
    control.obs_websocket = read_obs_websocket(*obs, problems);
  }
  reader.reject_unknown_keys();
  return control;
}

}  // namespace

Config read_config(const Json& document, Problems& problems) {
  Config config;
  ObjectReader root(document, "$", problems);
  if (!root.is_object()) {
    return config;
  }
  if (const Json* event = root.object("event")) {
    config.event = read_event(*event, problems);
  }
  if (const Json* video = root.object("video")) {
    config.video = read_video(*video, problems);
  }
  if (const Json* audio = root.object("audio")) {
    config.audio = read_audio(*audio, problems);
  }
  config.sources = read_list<Source>(root, "sources", Need::required, problems, read_source);
  config.scenes = read_list<Scene>(root, "scenes", Need::required, problems, read_scene);
  config.overlays = read_list<Overlay>(root, "overlays", Need::optional, problems, read_overlay);
  config.outputs = read_list<Output>(root, "outputs", Need::optional, problems, read_output);
  if (const Json* control = root.object("control")) {
    config.control = read_control(*control, problems);
  }
  if (const Json* director = root.object("auto_director")) {
    config.auto_director = read_auto_director(*director, problems);
  }
  if (const Json* relay = root.object("relay")) {
    config.relay = read_relay(*relay, problems);
  }
  if (const Json* opening = root.object("opening")) {
    config.opening = read_opening(*opening, problems);
  }
  if (const Json* schedule = root.array("schedule")) {
    config.schedule = read_schedule(*schedule, problems);
  }
  if (const Json* captions = root.object("captions")) {
    config.captions = read_captions(*captions, problems);
  }
  root.reject_unknown_keys();
  return config;
}

}  // namespace hallcast::config
