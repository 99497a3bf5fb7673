// Entry point of the validator, plus the rules on encoder settings and ids.
#include "config/validate.h"

#include <glib.h>

#include <cctype>
#include <cmath>
#include <map>
#include <memory>

#include "config/iso_time.h"

namespace hallcast::config {
namespace {

void check_range(Problems& problems, const std::string& path, double value, double low,
                 double high) {
  if (problems.unreadable(path) || (value >= low && value <= high)) {
    return;
  }
  problems.add(path, "must be " + format_number(low) + ".." + format_number(high) + ", got " +
                         format_number(value));
}

void check_dimension(Problems& problems, const std::string& path, int value, int high) {
  if (problems.unreadable(path)) {
    return;
  }
  // Encoders and 4:2:0 chroma want even sizes.
  if (value < 16 || value > high || value % 2 != 0) {
    problems.add(path, "must be an even number 16.." + std::to_string(high) + ", got " +
                           std::to_string(value));
  }
}

// The text in Unicode normalisation form C; as it is when GLib cannot normalise it.
std::string nfc(const std::string& text) {
  const std::unique_ptr<gchar, decltype(&g_free)> normal(
      g_utf8_normalize(text.data(), static_cast<gssize>(text.size()), G_NORMALIZE_NFC), &g_free);
  return normal ? std::string(normal.get()) : text;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Ids differing only in case are one id to a person reading the panel, and to a file
// system or URL that folds case (a recording's file name, /hls/ID/).
template <typename Item>
void check_ids(Problems& problems, std::string_view list, const std::vector<Item>& items) {
  std::map<std::string, std::size_t> seen;  // lowercased id → index
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string path = index_path(list, i) + ".id";
    if (problems.unreadable(path)) {
      continue;
    }
    const std::string& id = items[i].id;
    if (!is_valid_id(id)) {
      problems.add(path, "invalid id " + quote(id) +
                             ": use 1-64 letters, digits, \"_\" or \"-\", starting with a "
                             "letter or digit");
      continue;
    }
    const auto [it, fresh] = seen.emplace(lowercase(id), i);
    if (fresh) {
      continue;
    }
    const std::string& first = items[it->second].id;
    if (first == id) {
      problems.add(path, "duplicate id " + quote(id));
    } else {
      problems.add(path, "duplicate id " + quote(id) + ": differs from " +
                             index_path(list, it->second) + "'s " + quote(first) + " only in case");
    }
  }
}

// Names the panel shows, and obs-websocket clients address scenes and inputs by: two
// that read the same cannot be told apart. Compared in NFC, so that "é" typed as one
// character and as "e" plus a combining accent are the same name.
template <typename Item>
void check_names(Problems& problems, std::string_view list, const std::vector<Item>& items,
                 std::string_view field, std::string Item::*name) {
  std::map<std::string, std::size_t> seen;  // normalised name → index
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string path = index_path(list, i) + "." + std::string(field);
    if (problems.reported(path) || problems.reported(index_path(list, i) + ".id")) {
      continue;
    }
    const std::string& text = items[i].*name;
    const auto [it, fresh] = seen.emplace(nfc(text), i);
    if (!fresh) {
      problems.add(path, "same " + std::string(field) + " as " + index_path(list, it->second) +
                             ": " + quote(text));
    }
  }
}

}  // namespace

void validate(const Config& config, Problems& problems) {
  validate_media_settings(config, problems);
  validate_event(config, problems);
  validate_ids(config, problems);
  validate_sources(config, problems);
  validate_scenes(config, problems);
  validate_overlays(config, problems);
  validate_outputs(config, problems);
  validate_control(config, problems);
  validate_hall(config, problems);
  validate_relay(config, problems);
  validate_opening(config, problems);
  validate_schedule(config, problems);
}

void validate_media_settings(const Config& config, Problems& problems) {
  const Video& video = config.video;
  check_dimension(problems, "video.width", video.width, 7680);
  check_dimension(problems, "video.height", video.height, 4320);
  check_range(problems, "video.fps", video.fps, 1, 120);
  check_range(problems, "video.bitrate_kbps", video.bitrate_kbps, 100, 100000);
  check_range(problems, "video.keyframe_interval_s", video.keyframe_interval_s, 0.1, 20);

  const int rate = config.audio.sample_rate;
  if (!problems.unreadable("audio.sample_rate") && rate != 32000 && rate != 44100 &&
      rate != 48000) {
    problems.add("audio.sample_rate", "must be 32000, 44100 or 48000, got " + std::to_string(rate));
  }
  check_range(problems, "audio.bitrate_kbps", config.audio.bitrate_kbps, 32, 512);
}

// A start without its offset would mean whatever zone the machine is set to.
void validate_event(const Config& config, Problems& problems) {
  if (!config.event.start.empty() && !problems.unreadable("event.start") &&
      !parse_iso_time(config.event.start)) {
    problems.add("event.start",
                 "must be an ISO 8601 time with its offset, such as "
                 "\"2026-07-03T11:00:00+03:00\"");
  }
}

void validate_ids(const Config& config, Problems& problems) {
  check_ids(problems, "event.speakers", config.event.speakers);
  check_ids(problems, "sources", config.sources);
  check_ids(problems, "scenes", config.scenes);
  check_ids(problems, "overlays", config.overlays);
  check_ids(problems, "outputs", config.outputs);
  check_names(problems, "sources", config.sources, "label", &Source::label);
  check_names(problems, "scenes", config.scenes, "name", &Scene::name);
  check_names(problems, "outputs", config.outputs, "name", &Output::name);
}

bool is_environment_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) {
    return false;
  }
  for (const char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

bool all_read(const Problems& problems, std::string_view list, std::size_t count,
              std::initializer_list<std::string_view> fields) {
  if (problems.unreadable(list)) {
    return false;
  }
  for (std::size_t i = 0; i < count; ++i) {
    for (const std::string_view field : fields) {
      if (problems.unreadable(index_path(list, i) + "." + std::string(field))) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace hallcast::config
