#include "engine/outputs/hls_playlist.h"

#include "engine/outputs/track_names.h"

namespace hallcast::engine {

std::string master_playlist(const HlsVariant& video, const std::vector<HlsAudioRendition>& audio) {
  // Version 4 is the first with EXT-X-MEDIA audio groups that players select by
  // LANGUAGE; no CODECS attribute, since the profile is the encoder's choice.
  std::string text = "#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-INDEPENDENT-SEGMENTS\n";
  for (const auto& rendition : audio) {
    text += "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",LANGUAGE=\"" +
            track_language_code(rendition.language) + "\",NAME=\"" +
            track_title(rendition.language) +
            "\",DEFAULT=" + (rendition.is_default ? "YES" : "NO") + ",AUTOSELECT=YES,URI=\"" +
            rendition.uri + "\"\n";
  }
  text += "#EXT-X-STREAM-INF:BANDWIDTH=" + std::to_string(video.bandwidth_bps) +
          ",RESOLUTION=" + std::to_string(video.width) + "x" + std::to_string(video.height) +
          ",FRAME-RATE=" + std::to_string(video.fps) + ".000" +
          (audio.empty() ? "" : ",AUDIO=\"audio\"") + "\n" + video.uri + "\n";
  return text;
}

}  // namespace hallcast::engine
