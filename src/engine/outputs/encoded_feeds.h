// What a destination sees of the programme: its encoded streams and the languages they
// come in. Nothing else of the programme (mixer, captions, inputs) is a destination's
// business, so the outputs depend on this and not on the programme itself.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/outputs/stream_tap.h"

namespace hallcast::engine {

class EncodedFeeds {
 public:
  // The H.264 programme video.
  virtual StreamTap& video_tap() = 0;
  // The AAC track of `language` ("floor" or an interpretation language); null if the
  // programme has no such track.
  virtual StreamTap* audio_tap(std::string_view language) = 0;
  // Every track's language, "floor" first.
  virtual const std::vector<std::string>& languages() const = 0;

 protected:
  ~EncodedFeeds() = default;
};

}  // namespace hallcast::engine
