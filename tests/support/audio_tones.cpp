// Test-tone measurements on decoded audio (see audio_tones.h).
#include "support/audio_tones.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "support/process.h"

namespace hallcast::testing {

std::vector<float> decode_audio_track(const std::filesystem::path& file, int audio_index) {
  const std::vector<std::string> argv = {
      "ffmpeg", "-nostdin",    "-v",   "error",
      "-i",     file.string(), "-map", "0:a:" + std::to_string(audio_index),
      "-ac",    "1",           "-ar",  std::to_string(kToneRate),
      "-f",     "f32le",       "-"};
  const CommandResult result = run_command(argv);
  EXPECT_EQ(result.exit_code, 0) << describe_command(argv) << ": " << result.stderr_text;
  if (result.exit_code != 0) {
    return {};
  }
  std::vector<float> samples(result.stdout_text.size() / sizeof(float));
  std::memcpy(samples.data(), result.stdout_text.data(), samples.size() * sizeof(float));
  return samples;
}

double tone_db(const float* x, std::size_t n, double freq) {
  const double k = 2.0 * std::cos(2.0 * M_PI * freq / kToneRate);
  double s1 = 0, s2 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double s0 = x[i] + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const double power = s1 * s1 + s2 * s2 - k * s1 * s2;
  const auto blocks = static_cast<double>(n);
  return 10.0 * std::log10(power / (blocks * blocks) + 1e-20);
}

double median(std::vector<double> values) {
  if (values.empty()) {
    return -999;
  }
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2),
                   values.end());
  return values[values.size() / 2];
}

}  // namespace hallcast::testing
