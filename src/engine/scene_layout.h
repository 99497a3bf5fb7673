// Where each video source sits in a scene, in pixels of the programme frame. Pure:
// the compositor pads take these values; tests check them without GStreamer.
#pragma once

#include <vector>

#include "config/config.h"

namespace hallcast::engine {

struct PadGeometry {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
  int zorder = 0;      // later layers on top
  double alpha = 0.0;  // 0: the scene does not show this source
  bool operator==(const PadGeometry&) const = default;
};

// One entry per video source of `config`, in config order. A source named by more
// than one layer takes the topmost layer's place.
std::vector<PadGeometry> layout_scene(const config::Config& config, const config::Scene& scene);

}  // namespace hallcast::engine
