#include "support/picture.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace hallcast::testing {

std::ostream& operator<<(std::ostream& out, const Rgb& c) {
  return out << "(" << c.r << "," << c.g << "," << c.b << ")";
}

std::ostream& operator<<(std::ostream& out, const Rect& r) {
  return out << r.width << "x" << r.height << "+" << r.x << "+" << r.y;
}

Rgb median_colour(const RgbImage& image, Rect region) {
  std::array<std::vector<uint8_t>, 3> channels;
  for (int y = std::max(0, region.y); y < std::min(image.height, region.y + region.height); ++y) {
    for (int x = std::max(0, region.x); x < std::min(image.width, region.x + region.width); ++x) {
      for (int c = 0; c < 3; ++c) {
        channels[c].push_back(image.at(x, y)[c]);
      }
    }
  }
  auto median = [](std::vector<uint8_t>& v) -> double {
    if (v.empty()) {
      return 0;
    }
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  return {median(channels[0]), median(channels[1]), median(channels[2])};
}

}  // namespace hallcast::testing
