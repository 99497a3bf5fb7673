#include "engine/video/scene_layout.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace hallcast::engine {

namespace {

// Edges are rounded, not sizes, so that two layers that touch in fractions touch in
// pixels too: no one-pixel seam between side-by-side cameras.
int edge(double fraction, int size) {
  return static_cast<int>(std::lround(fraction * size));
}

// The ids of the video sources, in config order.
std::vector<std::string> video_sources(const config::Config& config) {
  std::vector<std::string> ids;
  for (const auto& source : config.sources) {
    if (source.kind == config::SourceKind::video) {
      ids.push_back(source.id);
    }
  }
  return ids;
}

}  // namespace

std::vector<std::size_t> pad_sources(const config::Config& config) {
  const auto ids = video_sources(config);
  std::vector<std::size_t> pads;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::size_t copies = 1;
    for (const auto& scene : config.scenes) {
      const auto in_scene = static_cast<std::size_t>(
          std::count_if(scene.layers.begin(), scene.layers.end(),
                        [&](const config::Layer& layer) { return layer.source == ids[i]; }));
      copies = std::max(copies, in_scene);
    }
    pads.insert(pads.end(), copies, i);
  }
  return pads;
}

std::vector<PadGeometry> layout_scene(const config::Config& config, const config::Scene& scene) {
  const int width = config.video.width;
  const int height = config.video.height;
  const auto ids = video_sources(config);
  const auto sources = pad_sources(config);
  std::vector<PadGeometry> pads(sources.size());
  // Where each source's pads begin in `pads`, and how many of them are in use.
  std::vector<std::size_t> first(ids.size(), 0);
  for (std::size_t k = sources.size(); k-- > 0;) {
    first[sources[k]] = k;
  }
  std::vector<std::size_t> used(ids.size(), 0);
  for (std::size_t i = 0; i < scene.layers.size(); ++i) {
    const auto& layer = scene.layers[i];
    const auto found = std::find(ids.begin(), ids.end(), layer.source);
    if (found == ids.end()) {
      continue;  // not a video source: validation names it
    }
    const auto source = static_cast<std::size_t>(found - ids.begin());
    PadGeometry& g = pads[first[source] + used[source]++];
    g.x = edge(layer.x, width);
    g.y = edge(layer.y, height);
    g.width = edge(layer.x + layer.w, width) - g.x;
    g.height = edge(layer.y + layer.h, height) - g.y;
    g.zorder = static_cast<int>(i) + 1;
    g.alpha = 1.0;
  }
  return pads;
}

}  // namespace hallcast::engine
