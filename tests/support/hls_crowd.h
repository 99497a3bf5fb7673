// A crowd of HLS viewers for the audience tier's tests and benchmark: each viewer
// fetches /watch.json and the master playlist once, then behaves like hls.js on a live
// stream — it polls the video and audio playlists once a target duration, starts three
// segments back from the live edge, fetches every new segment in order, and plays in
// real time once three segments are in, so a segment that is not there in time is a
// stall, as a viewer would see it.
//
// Every viewer keeps one HTTP/1.1 connection of its own (libsoup, one thread, one main
// context), as browsers do; what each answer says in `X-Cache-Status` is counted.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace hallcast::testing {

struct CrowdOptions {
  int port = 0;  // the audience tier (or hallcast) on 127.0.0.1
  std::string watch_json = "/watch.json";
  int viewers = 300;
  std::chrono::milliseconds duration{15000};
  // Viewers arrive spread over this long, not all at once.
  std::chrono::milliseconds arrival{2000};
  std::string language;  // the audio rendition: empty, the page's default
};

struct CrowdReport {
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;  // not 200, or no answer
  std::uint64_t segment_requests = 0;
  std::uint64_t segments_from_cache = 0;  // X-Cache-Status HIT, STALE, UPDATING, REVALIDATED
  std::uint64_t playlist_requests = 0;
  std::uint64_t bytes = 0;
  int viewers_playing = 0;  // started playback
  int viewers_stalled = 0;  // whose buffer ran dry at least once after starting
  double worst_stall_s = 0.0;
  // The request that took longest, and how it was served.
  double slowest_s = 0.0;
  std::string slowest;
  std::vector<std::string> first_errors;  // a few, for the assertion message

  double cache_ratio() const {
    return segment_requests == 0 ? 0.0
                                 : static_cast<double>(segments_from_cache) / segment_requests;
  }
  std::string summary() const;
};

// Runs the crowd for options.duration (after the arrival); blocks.
CrowdReport run_crowd(const CrowdOptions& options);

}  // namespace hallcast::testing
