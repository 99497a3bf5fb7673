// Measures on decoded audio (see signal_measure.h).
#include "support/signal_measure.h"

#include <algorithm>
#include <cmath>

namespace hallcast::testing {

namespace {

// Below anything a 32-bit float stream can carry: log10(0) would give -inf.
constexpr double kFloor = 1e-20;

}  // namespace

double tone_db(const float* x, std::size_t n, double freq, int rate) {
  const double k = 2.0 * std::cos(2.0 * M_PI * freq / rate);
  double s1 = 0, s2 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double s0 = x[i] + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  // A sine of amplitude A over n samples has a power of (A n / 2)^2 at its bin.
  const double power = s1 * s1 + s2 * s2 - k * s1 * s2;
  const double half_n = n / 2.0;
  return 10.0 * std::log10(power / (half_n * half_n) + kFloor);
}

double rms_db(const float* x, std::size_t n) {
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    sum += static_cast<double>(x[i]) * x[i];
  }
  return 10.0 * std::log10(sum / std::max<std::size_t>(n, 1) + kFloor);
}

double peak_db(const std::vector<float>& x) {
  float peak = 0.0f;
  for (float v : x) {
    peak = std::max(peak, std::fabs(v));
  }
  return 20.0 * std::log10(peak + kFloor);
}

double median(std::vector<double> values) {
  if (values.empty()) {
    return NAN;
  }
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

std::vector<std::size_t> onsets(const std::vector<float>& x, std::size_t block, double threshold_db,
                                int quiet_blocks) {
  std::vector<std::size_t> found;
  int quiet = 0;
  for (std::size_t at = 0; at + block <= x.size(); at += block) {
    if (rms_db(&x[at], block) >= threshold_db) {
      if (quiet >= quiet_blocks) {
        found.push_back(at);
      }
      quiet = 0;
    } else {
      ++quiet;
    }
  }
  return found;
}

}  // namespace hallcast::testing
