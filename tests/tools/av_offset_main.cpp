// Reads a flash-and-beep recording (see support/av_offset.h) and prints how far the
// sound lies from the picture: one line per file with the number of flashes, the
// offsets' median, smallest and largest, and the worst |offset|, all in milliseconds.
// The A/V drift benchmark runs it on the first and the last stretch of an hour.
//
//   hallcast_test_av_offset FILE...
//
// Exits 1 if a file cannot be read or holds no measurable flash.
#include <algorithm>
#include <cstdio>
#include <exception>

#include "support/av_offset.h"
#include "support/signal_measure.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: hallcast_test_av_offset FILE...\n");
    return 2;
  }
  int status = 0;
  for (int i = 1; i < argc; ++i) {
    try {
      const auto measured = hallcast::testing::measure_av_offsets(argv[i]);
      if (measured.offsets.empty()) {
        std::fprintf(stderr, "%s: no flash with a beep (%zu flashes, %zu beeps)\n", argv[i],
                     measured.flashes.size(), measured.beeps);
        status = 1;
        continue;
      }
      const auto [low, high] =
          std::minmax_element(measured.offsets.begin(), measured.offsets.end());
      std::printf(
          "%s: %zu flashes, %zu beeps; beep minus flash ms: median %.1f, min %.1f,"
          " max %.1f, worst |%.1f|; largest audio gap %.2f ms\n",
          argv[i], measured.flashes.size(), measured.beeps,
          hallcast::testing::median(measured.offsets) * 1000.0, *low * 1000.0, *high * 1000.0,
          measured.worst() * 1000.0, measured.largest_audio_gap_s * 1000.0);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: %s\n", argv[i], e.what());
      status = 1;
    }
  }
  return status;
}
