#include "engine/scene_layout.h"

#include <cmath>

namespace hallcast::engine {

namespace {

// Edges are rounded, not sizes, so that two layers that touch in fractions touch in
// pixels too: no one-pixel seam between side-by-side cameras.
int edge(double fraction, int size) {
  return static_cast<int>(std::lround(fraction * size));
}

}  // namespace

std::vector<PadGeometry> layout_scene(const config::Config& config, const config::Scene& scene) {
  const int width = config.video.width;
  const int height = config.video.height;
  std::vector<PadGeometry> pads;
  for (const auto& source : config.sources) {
    if (source.kind != config::SourceKind::video) {
      continue;
    }
    PadGeometry g;
    for (std::size_t i = 0; i < scene.layers.size(); ++i) {
      const auto& layer = scene.layers[i];
      if (layer.source != source.id) {
        continue;
      }
      g.x = edge(layer.x, width);
      g.y = edge(layer.y, height);
      g.width = edge(layer.x + layer.w, width) - g.x;
      g.height = edge(layer.y + layer.h, height) - g.y;
      g.zorder = static_cast<int>(i) + 1;
      g.alpha = 1.0;
    }
    pads.push_back(g);
  }
  return pads;
}

}  // namespace hallcast::engine
