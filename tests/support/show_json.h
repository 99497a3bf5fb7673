// The smallest show the whole program runs, as the JSON config file `hallcast run`
// reads: a 320x180 test picture and a tone, one scene, no outputs (a test adds its own).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace hallcast::testing {

// Control on 127.0.0.1:`control_port`, its token in HALLCAST_TEST_TOKEN.
inline nlohmann::json small_show_json(int control_port) {
  using nlohmann::json;
  return {
      {"event", {{"title", "hallcast integration test"}, {"speakers", json::array()}}},
      {"video",
       {{"width", 320},
        {"height", 180},
        {"fps", 30},
        {"bitrate_kbps", 600},
        {"keyframe_interval_s", 1}}},
      {"audio", {{"sample_rate", 48000}, {"bitrate_kbps", 96}}},
      {"sources",
       json::array(
           {{{"id", "cam1"}, {"kind", "video"}, {"uri", "test:video?pattern=ball"}},
            {{"id", "mic1"}, {"kind", "audio"}, {"uri", "test:audio?freq=440&volume=0.3"}}})},
      {"scenes",
       json::array(
           {{{"id", "wide"},
             {"name", "Wide"},
             {"layers",
              json::array({{{"source", "cam1"}, {"x", 0}, {"y", 0}, {"w", 1}, {"h", 1}}})}}})},
      {"overlays", json::array()},
      {"outputs", json::array()},
      {"control",
       {{"listen", "127.0.0.1:" + std::to_string(control_port)},
        {"token_env", "HALLCAST_TEST_TOKEN"}}},
  };
}

}  // namespace hallcast::testing
