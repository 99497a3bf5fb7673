// The audience page, /watch (SPEC §5): what it may know of the show, and which files
// make it up. It is public, so it learns only what the audience sees anyway: the
// event's title, venue and start, the languages, and where the programme's HLS is.
// Nothing of the operator's side (state, tokens, the WebSocket) is reachable from it.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace hallcast::control {

struct WatchPage {
  std::string title;
  std::string venue;
  std::string start;                   // ISO 8601 with its offset, as in the config; empty: not set
  std::string playlist;                // the first `hls` output's master playlist; empty: none
  std::vector<std::string> languages;  // "floor", then each interpretation language
  std::string language;                // the hls output's own language: the default
};

WatchPage watch_page(const config::Config& config);

// The page's facts as /watch.json serves them.
std::string encode_watch_page(const WatchPage& page);

}  // namespace hallcast::control
