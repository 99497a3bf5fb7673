#include "app/summary.h"

#include <spdlog/spdlog.h>

#include "engine/outputs/rtmp_target.h"

namespace hallcast::app {

namespace {

std::string key_origin(const config::Output& output) {
  if (!output.key_env.empty()) {
    return "key from $" + output.key_env + (output.key.empty() ? " (not set)" : " (set)");
  }
  if (!output.key.empty()) {
    return "key from the config file";
  }
  return "no key";
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
                 s.language.empty() ? "" : ", ", s.language, s.uri_text);
  }
  for (const auto& scene : config.scenes) {
    std::string layers;
    for (const auto& layer : scene.layers) {
      layers += (layers.empty() ? "" : ", ") + layer.source;
    }
    spdlog::info("scene {} \"{}\": {}", scene.id, scene.name, layers);
  }
  for (const auto& o : config.outputs) {
    std::string where = o.path;
    if (o.type == config::OutputType::rtmp) {
      // The URL as configured (the key is never part of it), normalised.
      auto target = engine::parse_rtmp_target(o.url, "x");
      where = (target ? target->public_url() : std::string("?")) + ", " + key_origin(o);
    } else if (o.type == config::OutputType::srt) {
      where = "srt (" + key_origin(o) + ")";
    }
    spdlog::info("output {} ({}, {}, {}): {}", o.id, config::to_string(o.type), o.language,
                 o.enabled ? "enabled" : "disabled", where);
  }
}

}  // namespace hallcast::app
