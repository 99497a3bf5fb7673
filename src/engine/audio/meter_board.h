// The operator's audio meters: the latest reading of every `level` element in the
// programme (posted on its bus as "level-<source id>" and "level-track-<language>"),
// gathered on the engine thread into one Meters event about ten times a second.
#pragma once

#include <gst/gst.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "show/events.h"

namespace hallcast::engine {

class AudioTracks;

// How often the meters are read: each `level` element posts a reading, and the engine
// sends a Meters event, this often (ten a second, what a meter needs to look live).
inline constexpr std::chrono::milliseconds kMeterInterval{100};

class MeterBoard {
 public:
  explicit MeterBoard(const config::Config& config);

  // A bus message: taken in if it is a meter reading.
  void take(GstMessage* message);

  // Everything as of now, loudness from `tracks`.
  show::Meters read(const AudioTracks& tracks) const;
  std::vector<show::TrackStatus> loudness(const AudioTracks& tracks) const;

  // The floor of every reading: silence, and what -inf becomes on the wire.
  static constexpr double kSilence = -100.0;

 private:
  std::vector<std::string> inputs_;            // audio and interpretation sources, config order
  std::vector<std::string> languages_;         // "floor" first
  std::map<std::string, show::Level> latest_;  // by element name
};

}  // namespace hallcast::engine
