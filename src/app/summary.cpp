#include "app/summary.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "config/url_secrets.h"

namespace hallcast::app {

namespace {

std::string key_origin(const config::Output& output) {
  if (!output.key_env.empty()) {
    return "key from $" + output.key_env + (output.key.empty() ? " (not set)" : " (set)");
  }
  if (!output.key.empty()) {
    return "key from the config file";
  }
  if (config::path_key(output) == config::PathKey::yes) {
    return "key in the URL";
  }
  return "no key";
}

// A folder as the operator's file manager would name it: where a relative path lands
// depends on the working directory, which a service manager may have chosen.
std::string absolute_folder(const std::string& path) {
  std::error_code error;
  const auto absolute = std::filesystem::absolute(path, error);
  return error ? path : absolute.lexically_normal().string();
}

}  // namespace

void log_startup_summary(const config::Config& config) {
  const auto& v = config.video;
  spdlog::info("hallcast: \"{}\"", config.event.title);
  spdlog::info("video {}x{}@{} H.264 {} kbit/s, keyframe every {} s; audio {} Hz AAC {} kbit/s",
               v.width, v.height, v.fps, v.bitrate_kbps, v.keyframe_interval_s,
               config.audio.sample_rate, config.audio.bitrate_kbps);
  for (const auto& s : config.sources) {
    spdlog::info("source {} ({}{}{}): {}", s.id, config::to_string(s.kind),
                 s.language.empty() ? "" : ", ", s.language, config::shown_uri(s));
  }
  for (const auto& scene : config.scenes) {
    std::string layers;
    for (const auto& layer : scene.layers) {
      layers += (layers.empty() ? "" : ", ") + layer.source;
    }
    spdlog::info("scene {} \"{}\": {}", scene.id, scene.name, layers);
  }
  for (const auto& o : config.outputs) {
    const bool network = o.type == config::OutputType::rtmp || o.type == config::OutputType::srt;
    const std::string where =
        network ? config::shown_url(o) + ", " + key_origin(o) : absolute_folder(o.path);
    spdlog::info("output {} ({}, {}, {}): {}", o.id, config::to_string(o.type), o.language,
                 o.enabled ? "enabled" : "disabled", where);
  }
}

}  // namespace hallcast::app
