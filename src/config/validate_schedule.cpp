// Validator rules for the show's day: the opening look names scenes and overlays that
// exist, and every cue can be placed in time. What a cue's command says is the control
// protocol's to check (the app does, with the config at hand).
#include <algorithm>

#include "config/validate.h"

namespace hallcast::config {
namespace {

bool has_scene(const Config& config, std::string_view id) {
  return std::any_of(config.scenes.begin(), config.scenes.end(),
                     [&](const Scene& scene) { return scene.id == id; });
}

bool has_overlay(const Config& config, std::string_view id) {
  return std::any_of(config.overlays.begin(), config.overlays.end(),
                     [&](const Overlay& overlay) { return overlay.id == id; });
}

}  // namespace

void validate_opening(const Config& config, Problems& problems) {
  const Opening& opening = config.opening;
  const bool scenes_known = all_read(problems, "scenes", config.scenes.size(), {"id"});
  for (const auto& [key, id] : {std::pair{"opening.scene", &opening.scene},
                                std::pair{"opening.preview", &opening.preview}}) {
    if (!id->empty() && !problems.unreadable(key) && scenes_known && !has_scene(config, *id)) {
      problems.add(key, "unknown scene " + quote(*id));
    }
  }
  const bool overlays_known = all_read(problems, "overlays", config.overlays.size(), {"id"});
  for (std::size_t i = 0; i < opening.overlays.size(); ++i) {
    const std::string path = index_path("opening.overlays", i);
    const std::string& id = opening.overlays[i];
    if (problems.unreadable(path) || !overlays_known) {
      continue;
    }
    if (!has_overlay(config, id)) {
      problems.add(path, "unknown overlay " + quote(id));
    } else if (std::find(opening.overlays.begin(), opening.overlays.begin() + static_cast<long>(i),
                         id) != opening.overlays.begin() + static_cast<long>(i)) {
      problems.add(path, "overlay " + quote(id) + " is listed twice");
    }
  }
}

void validate_schedule(const Config& config, Problems& problems) {
  const bool start_known = !problems.unreadable("event") && !problems.unreadable("event.start");
  for (std::size_t i = 0; i < config.schedule.size(); ++i) {
    const std::string path = index_path("schedule", i) + ".at";
    const Cue& cue = config.schedule[i];
    if (!problems.unreadable(path) && cue.offset && config.event.start.empty() && start_known) {
      problems.add(path, "an offset counts from event.start, which is not set");
    }
  }
}

}  // namespace hallcast::config
