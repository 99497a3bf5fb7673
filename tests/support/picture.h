// Reading colours off decoded pictures (support/media_probe.h's RgbImage): a region and
// the per-channel median colour inside it, which a blurred edge, a moving ball or a few
// codec artefacts cannot move.
#pragma once
#include <ostream>

#include "support/media_probe.h"

namespace hallcast::testing {

struct Rgb {
  double r = 0;
  double g = 0;
  double b = 0;
};

std::ostream& operator<<(std::ostream& out, const Rgb& c);

// A rectangle of pixels.
struct Rect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;

  constexpr bool contains(int px, int py) const {
    return px >= x && px < x + width && py >= y && py < y + height;
  }
  constexpr Rect grown(int by) const { return {x - by, y - by, width + 2 * by, height + 2 * by}; }
};

std::ostream& operator<<(std::ostream& out, const Rect& r);

// Per-channel median over the part of `region` inside the image (the whole image by
// default); black for an empty region.
Rgb median_colour(const RgbImage& image, Rect region = {0, 0, 1 << 20, 1 << 20});

}  // namespace hallcast::testing
