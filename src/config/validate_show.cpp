// Validator rules for what the show is made of: sources and their languages, scenes
// and their layers, overlays and the speakers they name.
#include <algorithm>
#include <cmath>

#include "config/validate.h"

namespace hallcast::config {
namespace {

bool is_language_code(std::string_view code) {
  return (code.size() == 2 || code.size() == 3) &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

void check_language(const Source& source, const std::string& path,
                    std::vector<const Source*>& interpreted, Problems& problems) {
  const std::string language_path = path + ".language";
  if (problems.unreadable(language_path)) {
    return;
  }
  if (source.kind != SourceKind::interpretation) {
    if (!source.language.empty()) {
      problems.add(language_path, "only interpretation sources have a language");
    }
    return;
  }
  if (source.language.empty()) {
    problems.add(language_path, "interpretation sources need a language");
  } else if (source.language == "floor") {
    problems.add(language_path, "\"floor\" is the hall's own sound, not an interpretation");
  } else if (!is_language_code(source.language)) {
    problems.add(language_path, "expected an ISO 639 code of 2 or 3 lowercase letters, got " +
                                    quote(source.language));
  } else {
    const auto same = std::find_if(interpreted.begin(), interpreted.end(),
                                   [&](const Source* s) { return s->language == source.language; });
    if (same != interpreted.end()) {
      // Two booths on one track would talk over each other.
      problems.add(language_path, "language " + quote(source.language) + " already comes from " +
                                      quote((*same)->id));
    } else {
      interpreted.push_back(&source);
    }
  }
}

// Ducking deeper than 40 dB is muting, and a threshold outside -70..-10 dBFS would
// either hear room noise as speech or miss a quiet interpreter.
void check_interpretation_levels(const Source& source, const std::string& path,
                                 Problems& problems) {
  const auto in_range = [&](const std::string& field, double value, double low, double high) {
    if (!problems.unreadable(field) && (value < low || value > high)) {
      problems.add(field, "must be " + format_number(low) + ".." + format_number(high) + ", got " +
                              format_number(value));
    }
  };
  in_range(path + ".duck_db", source.duck_db, -40, 0);
  in_range(path + ".vad_threshold_db", source.vad_threshold_db, -70, -10);
}

// Fractions of the programme frame; 1e-9 of slack lets fractions such as 1/3 + 2/3,
// which need not sum to exactly 1 in binary, still reach the edge.
void check_geometry(const Layer& layer, const std::string& path, Problems& problems) {
  constexpr double kSlack = 1e-9;
  bool placed = true;
  for (const auto& [name, value] : {std::pair{"x", layer.x}, std::pair{"y", layer.y}}) {
    const std::string field = path + "." + name;
    if (problems.unreadable(field)) {
      placed = false;
    } else if (value < 0.0 || value > 1.0) {
      problems.add(field, "must be 0..1, got " + format_number(value));
      placed = false;
    }
  }
  bool sized = true;
  for (const auto& [name, value] : {std::pair{"w", layer.w}, std::pair{"h", layer.h}}) {
    const std::string field = path + "." + name;
    if (problems.unreadable(field)) {
      sized = false;
    } else if (value <= 0.0 || value > 1.0) {
      problems.add(field, "must be more than 0 and at most 1, got " + format_number(value));
      sized = false;
    }
  }
  if (!placed || !sized) {
    return;
  }
  // Shown rounded: the operator wrote a few decimals, not binary fractions.
  const auto sum = [](double a, double b) {
    return format_number(std::round((a + b) * 1e6) / 1e6);
  };
  if (layer.x + layer.w > 1.0 + kSlack) {
    problems.add(path + ".w", "x + w is " + sum(layer.x, layer.w) +
                                  "; the layer must end inside the frame (at most 1)");
  }
  if (layer.y + layer.h > 1.0 + kSlack) {
    problems.add(path + ".h", "y + h is " + sum(layer.y, layer.h) +
                                  "; the layer must end inside the frame (at most 1)");
  }
}

}  // namespace

void validate_sources(const Config& config, Problems& problems) {
  std::vector<const Source*> interpreted;
  bool kinds_known = !problems.unreadable("sources");
  bool has_video = false;
  for (std::size_t i = 0; i < config.sources.size(); ++i) {
    const Source& source = config.sources[i];
    const std::string path = index_path("sources", i);
    if (problems.unreadable(path + ".kind")) {
      kinds_known = false;
      continue;
    }
    has_video = has_video || source.kind == SourceKind::video;
    check_language(source, path, interpreted, problems);
    if (source.kind == SourceKind::interpretation) {
      check_interpretation_levels(source, path, problems);
    }
  }
  // With a kind unreadable, that source may well have been the video one.
  if (kinds_known && !has_video) {
    problems.add("sources", "need at least one video source");
  }
}

void validate_scenes(const Config& config, Problems& problems) {
  if (!problems.unreadable("scenes") && config.scenes.empty()) {
    problems.add("scenes", "need at least one scene");
  }
  // With no sources at all, every layer would add an "unknown source" line to the one
  // that says so.
  const bool ids_known =
      all_read(problems, "sources", config.sources.size(), {"id"}) && !config.sources.empty();
  for (std::size_t i = 0; i < config.scenes.size(); ++i) {
    const Scene& scene = config.scenes[i];
    const std::string path = index_path("scenes", i);
    if (!problems.unreadable(path + ".layers") && scene.layers.empty()) {
      problems.add(path + ".layers", "a scene needs at least one layer");
    }
    for (std::size_t j = 0; j < scene.layers.size(); ++j) {
      const Layer& layer = scene.layers[j];
      const std::string layer_path = index_path(path + ".layers", j);
      const std::string source_path = layer_path + ".source";
      if (!problems.unreadable(source_path)) {
        const Source* source = config.find_source(layer.source);
        const auto index =
            static_cast<std::size_t>(source == nullptr ? 0 : source - config.sources.data());
        if (source == nullptr) {
          if (ids_known) {
            problems.add(source_path, "unknown source " + quote(layer.source));
          }
        } else if (!problems.unreadable(index_path("sources", index) + ".kind") &&
                   source->kind != SourceKind::video) {
          problems.add(source_path, "source " + quote(layer.source) + " is " +
                                        std::string(to_string(source->kind)) + ", not video");
        }
      }
      check_geometry(layer, layer_path, problems);
    }
  }
}

void validate_overlays(const Config& config, Problems& problems) {
  const bool speakers_known =
      !problems.unreadable("event") &&
      all_read(problems, "event.speakers", config.event.speakers.size(), {"id"});
  for (std::size_t i = 0; i < config.overlays.size(); ++i) {
    const Overlay& overlay = config.overlays[i];
    const std::string path = index_path("overlays", i);
    if (problems.unreadable(path + ".type")) {
      continue;
    }
    const std::string speaker_path = path + ".speaker";
    const std::string text_path = path + ".text";
    if (overlay.type == OverlayType::lower_third) {
      if (problems.unreadable(speaker_path)) {
        // Already reported.
      } else if (overlay.speaker.empty()) {
        problems.add(speaker_path, "lower_third overlays need a speaker");
      } else if (speakers_known && config.find_speaker(overlay.speaker) == nullptr) {
        problems.add(speaker_path, "unknown speaker " + quote(overlay.speaker));
      }
      if (!overlay.text.empty()) {
        problems.add(text_path,
                     "lower_third overlays show the speaker's name and role; "
                     "they take no text");
      }
    } else {
      const std::string type(to_string(overlay.type));
      if (!problems.unreadable(text_path) && overlay.text.empty()) {
        problems.add(text_path, type + " overlays need a text");
      }
      if (!overlay.speaker.empty()) {
        problems.add(speaker_path, type + " overlays take no speaker");
      }
      if (overlay.type == OverlayType::countdown && !problems.unreadable("event") &&
          !problems.unreadable("event.start") && config.event.start.empty()) {
        problems.add(path + ".type", "a countdown counts down to event.start, which is not set");
      }
    }
  }
}

}  // namespace hallcast::config
