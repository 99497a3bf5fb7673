// HLS for a website's player: one hlssink2 per rendition (the video; each language's
// audio), each writing MPEG-TS segments and a sliding playlist into a folder of its
// own, and a master playlist that ties them together and offers every language.
//
// The output's folder may hold other things (a player page, someone's notes): HLS
// removes only what it writes itself — playlists and segments by their names, in the
// renditions' folders — and leaves anything else alone. Like a recording, it is live
// once segments really reach the disk, and a folder or file it cannot write is a
// failure tried again later.
#pragma once

#include <vector>

#include "engine/outputs/destination.h"
#include "engine/outputs/numbered_files.h"

namespace hallcast::engine {

class HlsDestination : public Destination {
 public:
  explicit HlsDestination(DestinationContext context);

  std::string prepare() override;
  BuiltPipeline build(const std::vector<std::string>& languages) override;
  std::string before_play() override;
  std::string describe() const override;
  std::unique_ptr<ProgressSensor> sensor(BuiltPipeline& built, FeedSession& session) override;
  void after_attempt() override;

  // The names HLS writes in a rendition's folder, and so may remove.
  static bool written_by_hls(const std::string& file_name);

 private:
  struct Rendition {
    std::string folder;    // "video", "audio-en": under the output's folder
    std::string language;  // "" for the video
  };

  // The video, then one per programme language: decided once, used by every attempt.
  std::vector<Rendition> renditions_;
  // The segments of the attempt built last, one series per rendition.
  std::vector<NumberedFiles> segments_;
};

}  // namespace hallcast::engine
