// Validator rules for the hall's cameras and their direction: only cameras have a PTZ
// head, a scene's presets name cameras that have one, and the auto director follows
// floor microphones (not booths: an interpreter speaking is not a panelist speaking)
// onto scenes that exist.
#include <algorithm>

#include "config/validate.h"

namespace hallcast::config {
namespace {

// The largest preset number VISCA's memory commands carry on every camera (SPEC §5).
constexpr int kMaxPreset = 127;

void check_number(Problems& problems, const std::string& path, double value, double low,
                  double high) {
  if (!problems.unreadable(path) && (value < low || value > high)) {
    problems.add(path, "must be " + format_number(low) + ".." + format_number(high) + ", got " +
                           format_number(value));
  }
}

bool scene_exists(const Config& config, std::string_view id) {
  return std::any_of(config.scenes.begin(), config.scenes.end(),
                     [&](const Scene& scene) { return scene.id == id; });
}

void validate_presets(const Config& config, Problems& problems, bool sources_known) {
  for (std::size_t i = 0; i < config.scenes.size(); ++i) {
    const Scene& scene = config.scenes[i];
    const std::string path = index_path("scenes", i) + ".presets";
    for (std::size_t j = 0; j < scene.presets.size(); ++j) {
      const ScenePreset& preset = scene.presets[j];
      const std::string preset_path = index_path(path, j);
      check_number(problems, preset_path + ".preset", preset.preset, 0, kMaxPreset);
      const std::string source_path = preset_path + ".source";
      if (problems.unreadable(source_path) || !sources_known) {
        continue;
      }
      const Source* source = config.find_source(preset.source);
      if (source == nullptr) {
        problems.add(source_path, "unknown source " + quote(preset.source));
      } else if (!source->ptz) {
        problems.add(source_path, "source " + quote(preset.source) + " has no ptz");
      } else {
        for (std::size_t k = 0; k < j; ++k) {
          if (scene.presets[k].source == preset.source) {
            problems.add(source_path,
                         "camera " + quote(preset.source) + " already has a preset in this scene");
            break;
          }
        }
      }
    }
  }
}

void validate_auto_director(const Config& config, Problems& problems, bool sources_known) {
  if (!config.auto_director) {
    return;
  }
  const AutoDirector& director = *config.auto_director;
  const bool scenes_known = all_read(problems, "scenes", config.scenes.size(), {"id"});
  check_number(problems, "auto_director.threshold_db", director.threshold_db, -70, -10);
  check_number(problems, "auto_director.attack_ms", director.attack_ms, 50, 10000);
  check_number(problems, "auto_director.min_shot_s", director.min_shot_s, 0, 600);
  if (!problems.unreadable("auto_director.follow") && director.follow.empty()) {
    problems.add("auto_director.follow", "the auto director needs at least one mic to follow");
  }
  const auto check_scene = [&](const std::string& path, const std::string& id) {
    if (scenes_known && !problems.unreadable(path) && !scene_exists(config, id)) {
      problems.add(path, "unknown scene " + quote(id));
    }
  };
  check_scene("auto_director.fallback_scene", director.fallback_scene);
  for (std::size_t i = 0; i < director.follow.size(); ++i) {
    const AutoFollow& follow = director.follow[i];
    const std::string path = index_path("auto_director.follow", i);
    check_scene(path + ".scene", follow.scene);
    const std::string mic_path = path + ".mic";
    if (problems.unreadable(mic_path) || !sources_known) {
      continue;
    }
    const Source* mic = config.find_source(follow.mic);
    if (mic == nullptr) {
      problems.add(mic_path, "unknown source " + quote(follow.mic));
    } else if (mic->kind != SourceKind::audio) {
      problems.add(mic_path, "source " + quote(follow.mic) + " is " +
                                 std::string(to_string(mic->kind)) +
                                 ", not a floor microphone (audio)");
    } else {
      for (std::size_t k = 0; k < i; ++k) {
        if (director.follow[k].mic == follow.mic) {
          problems.add(mic_path, "mic " + quote(follow.mic) + " is already followed");
          break;
        }
      }
    }
  }
}

}  // namespace

void validate_hall(const Config& config, Problems& problems) {
  const bool sources_known = all_read(problems, "sources", config.sources.size(), {"id", "kind"});
  for (std::size_t i = 0; i < config.sources.size(); ++i) {
    const Source& source = config.sources[i];
    const std::string path = index_path("sources", i);
    if (source.ptz && !problems.unreadable(path + ".kind") && source.kind != SourceKind::video) {
      problems.add(path + ".ptz", "only video sources have a PTZ head");
    }
  }
  validate_presets(config, problems, sources_known);
  validate_auto_director(config, problems, sources_known);
}

}  // namespace hallcast::config
