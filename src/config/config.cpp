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
