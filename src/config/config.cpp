// The small behaviours of the typed config: look-ups, derived values, names of enums
// and the error that carries every problem.
#include <algorithm>
#include <cmath>

#include "config/config.h"

namespace hallcast::config {
namespace {

std::string join_lines(const std::vector<Problem>& problems) {
  std::string text;
  for (const Problem& problem : problems) {
    if (!text.empty()) {
      text += '\n';
    }
    text += problem.to_string();
  }
  return text;
}

}  // namespace

int Video::keyframe_interval_frames() const {
  const long frames = std::lround(keyframe_interval_s * fps);
  return static_cast<int>(std::max(1L, frames));
}

std::vector<std::string> Config::languages() const {
  std::vector<std::string> result{"floor"};
  for (const Source& source : sources) {
    if (source.kind == SourceKind::interpretation &&
        std::find(result.begin(), result.end(), source.language) == result.end()) {
      result.push_back(source.language);
    }
  }
  return result;
}

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) {
    return false;
  }
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '_' && c != '-'))) {
      return false;
    }
  }
  return true;
}

bool is_clip(const Source& source) {
  const auto* media = std::get_if<MediaUri>(&source.uri);
  return source.kind == SourceKind::video && media != nullptr && media->scheme == "file";
}

bool has_sound(const Source& source) {
  return source.kind != SourceKind::video || is_clip(source);
}

std::string Config::opening_scene() const {
  if (!opening.scene.empty() || scenes.empty()) {
    return opening.scene;
  }
  return scenes.front().id;
}

std::string Config::opening_preview() const {
  if (!opening.preview.empty() || scenes.empty()) {
    return opening.preview;
  }
  return scenes.size() > 1 ? scenes[1].id : scenes.front().id;
}

std::optional<ZonedTime> Config::event_start() const {
  return event.start.empty() ? std::nullopt : parse_zoned_time(event.start);
}

std::optional<WallTime> Config::cue_time(const Cue& cue) const {
  if (cue.time) {
    return cue.time->time;
  }
  const auto start = event_start();
  if (cue.offset && start) {
    return start->time + *cue.offset;
  }
  return std::nullopt;
}

void Config::shift_times(std::chrono::milliseconds delta) {
  if (const auto start = event_start()) {
    event.start = format_iso_time(start->time + delta, start->utc_offset_min);
  }
  for (Cue& cue : schedule) {
    if (cue.time) {
      cue.time->time += delta;
    }
  }
}

const Source* Config::find_source(std::string_view id) const {
  const auto it = std::find_if(sources.begin(), sources.end(),
                               [&](const Source& source) { return source.id == id; });
  return it == sources.end() ? nullptr : &*it;
}

const Speaker* Config::find_speaker(std::string_view id) const {
  const auto it = std::find_if(event.speakers.begin(), event.speakers.end(),
                               [&](const Speaker& speaker) { return speaker.id == id; });
  return it == event.speakers.end() ? nullptr : &*it;
}

ConfigError::ConfigError(std::vector<Problem> problems)
    : std::runtime_error(join_lines(problems)), problems_(std::move(problems)) {}

std::string_view to_string(SourceKind kind) {
  switch (kind) {
    case SourceKind::video:
      return "video";
    case SourceKind::audio:
      return "audio";
    case SourceKind::interpretation:
      return "interpretation";
  }
  return "unknown";
}

std::string_view to_string(OverlayType type) {
  switch (type) {
    case OverlayType::lower_third:
      return "lower_third";
    case OverlayType::title:
      return "title";
    case OverlayType::countdown:
      return "countdown";
  }
  return "unknown";
}

std::string_view to_string(OutputType type) {
  switch (type) {
    case OutputType::rtmp:
      return "rtmp";
    case OutputType::srt:
      return "srt";
    case OutputType::record:
      return "record";
    case OutputType::hls:
      return "hls";
  }
  return "unknown";
}

std::string_view to_string(PtzProtocol protocol) {
  return protocol == PtzProtocol::visca_tcp ? "visca-tcp" : "visca-udp";
}

double segment_seconds(const Output& output, const Video& video) {
  if (output.segment_s) {
    return *output.segment_s;
  }
  if (output.type == OutputType::hls) {
    return std::max(4.0, 2.0 * video.keyframe_interval_s);
  }
  return 900.0;
}

}  // namespace hallcast::config
