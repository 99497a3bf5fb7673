#include "engine/outputs/hls_destination.h"

#include <chrono>
#include <cmath>
#include <regex>

#include "engine/gst/gst_build.h"
#include "engine/outputs/file_progress.h"
#include "engine/outputs/hls_playlist.h"

namespace hallcast::engine {

namespace {

// Segments in each playlist, and on disk (a player still fetching one that just left
// the playlist finds it).
constexpr int kPlaylistLength = 6;
constexpr int kFilesKept = 12;
constexpr const char* kPlaylist = "index.m3u8";
constexpr const char* kMaster = "master.m3u8";

}  // namespace

HlsDestination::HlsDestination(DestinationContext context) : Destination(std::move(context)) {
  renditions_.push_back({"video", ""});
  for (const auto& language : this->context().languages) {
    renditions_.push_back({"audio-" + language, language});
  }
}

bool HlsDestination::written_by_hls(const std::string& file_name) {
  // The playlist, the segments hlssink2 numbers (after their attempt's stamp), and the
  // temporary file GIO writes a playlist to before moving it into place (left behind if
  // hallcast was killed then).
  static const std::regex written(
      R"(index\.m3u8|segment(\d{1,20}-)?\d{5}\.ts|\.goutputstream-\w{6})");
  return std::regex_match(file_name, written);
}

std::string HlsDestination::prepare() {
  const std::filesystem::path root(config().path);
  for (const auto& rendition : renditions_) {
    const auto folder = root / rendition.folder;
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) {
      return "cannot create folder " + scrub(folder.string()) + ": " + ec.message();
    }
    // An earlier session's segments would linger next to the new playlist.
    for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end;
         it.increment(ec)) {
      std::error_code ignored;
      if (it->is_regular_file(ignored) && written_by_hls(it->path().filename().string())) {
        std::filesystem::remove(it->path(), ignored);
      }
    }
    if (ec) {
      return "cannot read folder " + scrub(folder.string()) + ": " + ec.message();
    }
  }
  return {};
}

// HLS carries every programme track: `languages` are the renditions' own.
BuiltPipeline HlsDestination::build(const std::vector<std::string>& /*languages*/) {
  const auto segment_s =
      static_cast<int>(std::lround(config::segment_seconds(config(), context().video)));
  std::string text;
  for (const auto& rendition : renditions_) {
    text += render({{"id", config().id},
                    {"rendition", rendition.folder},
                    {"segment_s", std::to_string(segment_s)},
                    {"playlist_length", std::to_string(kPlaylistLength)},
                    {"files_kept", std::to_string(kFilesKept)}}) +
            " ";
  }
  const std::string& path = context().path;
  BuiltPipeline built;
  built.pipeline = PipelineOwner(parse_pipeline(text, "output-" + config().id, path + ".type"));
  segments_.clear();
  const std::filesystem::path root(config().path);
  // hlssink2 numbers every attempt's segments from 0: the attempt's start, in ms, makes
  // each segment's name its own for good, so that a cache in front (the audience tier,
  // docs/deployment.md) may keep a segment as long as it likes and never serves an
  // earlier attempt's segment under a name the playlist now means for another.
  const auto stamp = std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
  for (const auto& rendition : renditions_) {
    ElementPtr mux =
        child_by_name(built.pipeline.get(), ("mux-" + rendition.folder).c_str(), path + ".type");
    built.feeds.push_back(add_feed(built.pipeline.bin(), rendition.language, mux.get(), true));
    const auto folder = root / rendition.folder;
    if (has_property(mux.get(), "playlist-location")) {
      const auto segments = (folder / ("segment" + stamp + "-%05d.ts")).string();
      const auto playlist = (folder / kPlaylist).string();
      g_object_set(mux.get(), "location", segments.c_str(), "playlist-location", playlist.c_str(),
                   nullptr);
      segments_.emplace_back(folder / ("segment" + stamp + "-"), 5, ".ts");
    }
  }
  return built;
}

std::string HlsDestination::before_play() {
  std::vector<HlsAudioRendition> audio;
  for (const auto& rendition : renditions_) {
    if (!rendition.language.empty()) {
      audio.push_back({rendition.language, rendition.folder + "/" + kPlaylist,
                       rendition.language == config().language});
    }
  }
  const auto& video = context().video;
  const int bandwidth = (video.bitrate_kbps + context().audio.bitrate_kbps) * 1000 * 11 / 10;
  const std::string text = master_playlist({renditions_.front().folder + "/" + kPlaylist, bandwidth,
                                            video.width, video.height, video.fps},
                                           audio);
  // Written aside and moved into place: a player never reads half a playlist.
  const auto file = (std::filesystem::path(config().path) / kMaster).string();
  GError* raw = nullptr;
  if (!g_file_set_contents(file.c_str(), text.data(), static_cast<gssize>(text.size()), &raw)) {
    ErrorPtr error(raw);
    return "cannot write " + scrub(file) + ": " +
           (error && error->message ? error->message : "unknown error");
  }
  return {};
}

std::string HlsDestination::describe() const {
  return "writing HLS into " + scrub(config().path);
}

std::unique_ptr<ProgressSensor> HlsDestination::sensor(BuiltPipeline& built, FeedSession&) {
  std::vector<NumberedFiles*> files;
  for (auto& series : segments_) {
    files.push_back(&series);
  }
  return std::make_unique<FileProgress>(built.feeds, std::move(files));
}

void HlsDestination::after_attempt() {
  for (auto& series : segments_) {
    series.remove_empty();
  }
}

}  // namespace hallcast::engine
