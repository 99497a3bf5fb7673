// JSON → the hall's cameras and their direction: a video source's `ptz`, a scene's
// `presets` and the `auto_director` section (SPEC §5). Relations to other values (a
// preset's camera has a PTZ head, a followed mic is a floor microphone) are checked by
// validate_hall.cpp.
#include "config/read.h"
#include "config/uri_syntax.h"

namespace hallcast::config {
namespace {

ScenePreset read_preset(const Json& value, const std::string& path, Problems& problems) {
  ScenePreset preset;
  ObjectReader reader(value, path, problems);
  reader.string("source", preset.source, Need::required);
  reader.whole_number("preset", preset.preset, Need::required);
  reader.reject_unknown_keys();
  return preset;
}

AutoFollow read_follow(const Json& value, const std::string& path, Problems& problems) {
  AutoFollow follow;
  ObjectReader reader(value, path, problems);
  reader.string("mic", follow.mic, Need::required);
  reader.string("scene", follow.scene, Need::required);
  reader.reject_unknown_keys();
  return follow;
}

}  // namespace

Ptz read_ptz(const Json& value, const std::string& path, Problems& problems) {
  Ptz ptz;
  ObjectReader reader(value, path, problems);
  std::string protocol;
  if (reader.string("protocol", protocol, Need::required)) {
    if (protocol == "visca-udp") {
      ptz.protocol = PtzProtocol::visca_udp;
    } else if (protocol == "visca-tcp") {
      ptz.protocol = PtzProtocol::visca_tcp;
    } else {
      problems.add(reader.path_of("protocol"),
                   "unknown protocol " + quote(protocol) + "; expected visca-udp or visca-tcp");
    }
  }
  std::string address;
  if (reader.string("address", address, Need::required)) {
    auto parsed = parse_listen_address(address);
    if (auto* message = std::get_if<std::string>(&parsed)) {
      problems.add(reader.path_of("address"), *message);
    } else {
      ptz.host = std::get<ListenAddress>(parsed).host;
      ptz.port = std::get<ListenAddress>(parsed).port;
    }
  }
  reader.reject_unknown_keys();
  return ptz;
}

std::vector<ScenePreset> read_presets(const Json& value, const std::string& path,
                                      Problems& problems) {
  std::vector<ScenePreset> presets;
  for (std::size_t i = 0; i < value.size(); ++i) {
    presets.push_back(read_preset(value[i], index_path(path, i), problems));
  }
  return presets;
}

AutoDirector read_auto_director(const Json& value, Problems& problems) {
  AutoDirector director;
  ObjectReader reader(value, "auto_director", problems);
  reader.boolean("enabled", director.enabled);
  if (const Json* follow = reader.array("follow", Need::required)) {
    const std::string path = reader.path_of("follow");
    for (std::size_t i = 0; i < follow->size(); ++i) {
      director.follow.push_back(read_follow((*follow)[i], index_path(path, i), problems));
    }
  }
  reader.string("fallback_scene", director.fallback_scene, Need::required);
  reader.number("threshold_db", director.threshold_db);
  reader.whole_number("attack_ms", director.attack_ms);
  reader.number("min_shot_s", director.min_shot_s);
  reader.reject_unknown_keys();
  return director;
}

}  // namespace hallcast::config
