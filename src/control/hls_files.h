// Which files under an HLS output's folder are served at /hls/ID/: only those hallcast
// writes there (engine/outputs/output_unit.cpp), by name, never whatever else the
// folder holds. An operator may point `path` at a folder with other files in it (the
// config with its inline key, notes, an old recording): none of them is served.
//
//   master.m3u8                          the master playlist
//   RENDITION/index.m3u8                 a rendition's playlist
//   RENDITION/segmentSTAMP-NNNNN.ts      its segments (five digits or more, after the
//                                        stamp of the attempt that wrote them)
//
// where RENDITION is `video` or `audio-LANGUAGE` for a language of the show.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "control/static_files.h"

namespace hallcast::control {

struct HlsFolder {
  std::filesystem::path path;
  std::vector<std::string> renditions;  // "video", "audio-floor", "audio-en", …
};

inline constexpr std::string_view hls_playlist_type = "application/vnd.apple.mpegurl";
inline constexpr std::string_view hls_segment_type = "video/mp2t";

// The file `relative` (the URL path after /hls/ID, starting with '/') names, if it is
// one hallcast writes and it exists as a regular file inside the folder.
std::optional<StaticFile> resolve_hls(const HlsFolder& folder, std::string_view relative);

}  // namespace hallcast::control
