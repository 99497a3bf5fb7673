#include "support/av_offset.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "support/media_probe.h"
#include "support/signal_measure.h"

namespace hallcast::testing {
namespace {

// 4x4 by area averaging: each frame's mean colour; black is 0, the flash 255.
std::vector<double> flash_times(const std::filesystem::path& file) {
  const auto frames = decode_rgb_frames(file, 4, 4);
  const auto times = video_frame_times(file);
  std::vector<double> flashes;
  for (std::size_t i = 0; i < std::min(frames.size(), times.size()); ++i) {
    const auto& pixels = frames[i].pixels;
    const double mean = std::accumulate(pixels.begin(), pixels.end(), 0.0) / pixels.size();
    if (mean > 128.0) {
      flashes.push_back(times[i]);
    }
  }
  return flashes;
}

// Onsets: found as the first 5 ms block at -30 dBFS or more (the beep is at -9 dBFS RMS,
// the gaps between beeps digital silence) after 100 ms of quiet; then, to the sample,
// the first sample from one block before that reaching a quarter of the beep's peak.
// Without that second step the onset would be known only to the 5 ms grid of blocks
// that starts with the file's first sample.
std::vector<double> beep_times(const DecodedAudio& audio) {
  std::vector<double> beeps;
  const auto left = audio.channel(0);
  const std::size_t block = static_cast<std::size_t>(audio.sample_rate) / 200;
  for (std::size_t at : onsets(left, block, -30.0, 20)) {
    const std::size_t from = at >= block ? at - block : 0;
    const std::size_t to = std::min(left.size(), at + 10 * block);
    float peak = 0.0F;
    for (std::size_t i = at; i < to; ++i) {
      peak = std::max(peak, std::fabs(left[i]));
    }
    std::size_t first = at;
    for (std::size_t i = from; i < to; ++i) {
      if (std::fabs(left[i]) >= peak / 4) {
        first = i;
        break;
      }
    }
    beeps.push_back(audio.start_s + static_cast<double>(first) / audio.sample_rate);
  }
  return beeps;
}

}  // namespace

double AvOffsets::worst() const {
  double worst = 0.0;
  for (double offset : offsets) {
    worst = std::max(worst, std::fabs(offset));
  }
  return worst;
}

AvOffsets measure_av_offsets(const std::filesystem::path& file) {
  AvOffsets result;
  result.flashes = flash_times(file);
  const auto audio = decode_audio(file, 0);
  result.largest_audio_gap_s = audio.largest_gap_s;
  const auto beeps = beep_times(audio);
  result.beeps = beeps.size();
  const double audio_end = audio.start_s + static_cast<double>(audio.frames()) / audio.sample_rate;
  for (double flash : result.flashes) {
    if (flash + 0.2 > audio_end || flash < audio.start_s + 0.15 || beeps.empty()) {
      continue;
    }
    const double beep = *std::min_element(beeps.begin(), beeps.end(), [&](double a, double b) {
      return std::fabs(a - flash) < std::fabs(b - flash);
    });
    result.offsets.push_back(beep - flash);
  }
  return result;
}

}  // namespace hallcast::testing
