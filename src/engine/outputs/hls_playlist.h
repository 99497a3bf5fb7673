// The HLS master playlist: one video variant and one audio rendition per language
// (EXT-X-MEDIA TYPE=AUDIO), so that a website player offers a language menu.
// hlssink2 writes each rendition's own playlist; nothing in GStreamer 1.22 writes this.
#pragma once

#include <string>
#include <vector>

namespace hallcast::engine {

struct HlsAudioRendition {
  std::string language;  // a programme track: "floor", "en", …
  std::string uri;       // its playlist, relative to the master
  bool is_default = false;
};

struct HlsVariant {
  std::string uri;  // the video playlist, relative to the master
  int bandwidth_bps = 0;
  int width = 0;
  int height = 0;
  int fps = 0;
};

std::string master_playlist(const HlsVariant& video, const std::vector<HlsAudioRendition>& audio);

}  // namespace hallcast::engine
