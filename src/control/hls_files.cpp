#include "control/hls_files.h"

#include <algorithm>
#include <cctype>

namespace hallcast::control {

namespace {

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// hlssink2 numbers segments with "%05d": five digits, more past 99999. Ten is more
// than a show makes (a segment a second for 300 years). Before the number, the stamp of
// the attempt that wrote it and a "-".
bool segment_name(std::string_view name) {
  constexpr std::string_view prefix = "segment";
  constexpr std::string_view suffix = ".ts";
  if (!name.starts_with(prefix) || !name.ends_with(suffix)) {
    return false;
  }
  auto digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  if (const auto dash = digits.find('-'); dash != std::string_view::npos) {
    const auto stamp = digits.substr(0, dash);
    if (stamp.empty() || stamp.size() > 20 || !all_digits(stamp)) {
      return false;
    }
    digits = digits.substr(dash + 1);
  }
  return digits.size() >= 5 && digits.size() <= 10 && all_digits(digits);
}

}  // namespace

std::optional<StaticFile> resolve_hls(const HlsFolder& folder, std::string_view relative) {
  std::string_view type;
  if (relative == "/master.m3u8") {
    type = hls_playlist_type;
  } else {
    const auto slash = relative.find('/', 1);
    if (relative.empty() || relative.front() != '/' || slash == std::string_view::npos) {
      return std::nullopt;
    }
    const auto rendition = relative.substr(1, slash - 1);
    const auto name = relative.substr(slash + 1);
    if (std::find(folder.renditions.begin(), folder.renditions.end(), rendition) ==
        folder.renditions.end()) {
      return std::nullopt;
    }
    if (name == "index.m3u8") {
      type = hls_playlist_type;
    } else if (segment_name(name)) {
      type = hls_segment_type;
    } else {
      return std::nullopt;
    }
  }
  // The name is one of ours; StaticFiles still makes sure that it is a regular file
  // and that no symlink leads out of the folder. Resolved afresh each time: the folder
  // appears only once the output starts.
  auto file = StaticFiles(folder.path).resolve(relative);
  if (!file) {
    return std::nullopt;
  }
  file->content_type = type;
  return file;
}

}  // namespace hallcast::control
