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

// A bus's compositor pads: one per appearance of a video source, so that a scene may
// show one camera more than once (the wide shot and a cut-out of the lectern). Each
// video source, in config order, gets as many pads as the most layers any one scene
// gives it, at least one. For each pad: the index of its source among the video
// sources (what the bus links it to).
std::vector<std::size_t> pad_sources(const config::Config& config);

// One entry per pad of pad_sources(config): the n-th layer that names a source takes
// that source's n-th pad; pads the scene does not use are hidden.
std::vector<PadGeometry> layout_scene(const config::Config& config, const config::Scene& scene);

}  // namespace hallcast::engine
