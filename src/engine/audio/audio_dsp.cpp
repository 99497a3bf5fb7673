#include "engine/audio/audio_dsp.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace hallcast::engine {

namespace {

// The per-sample coefficient of a one-pole smoother that covers ~63% of a step in
// `ms` milliseconds.
double coefficient(int rate, double ms) {
  return ms <= 0.0 ? 1.0 : 1.0 - std::exp(-1.0 / (rate * ms / 1000.0));
}

}  // namespace

double db_to_gain(double db) {
  return std::pow(10.0, db / 20.0);
}

double gain_to_db(double gain) {
  return gain > 0.0 ? 20.0 * std::log10(gain) : -std::numeric_limits<double>::infinity();
}

PeakLimiter::PeakLimiter(int rate, int channels, double ceiling_db, double release_ms)
    : channels_(channels),
      ceiling_(static_cast<float>(db_to_gain(ceiling_db))),
      release_(coefficient(rate, release_ms)) {}

void PeakLimiter::process(float* samples, std::size_t frames) {
  for (std::size_t f = 0; f < frames; ++f) {
    float* frame = samples + f * channels_;
    float peak = 0.0f;
    for (int c = 0; c < channels_; ++c) {
      peak = std::max(peak, std::fabs(frame[c]));
    }
    // Recover towards unity, but never above what keeps this frame under the ceiling.
    gain_ += (1.0 - gain_) * release_;
    if (peak * gain_ > ceiling_) {
      gain_ = ceiling_ / peak;
    }
    if (gain_ < 1.0) {
      for (int c = 0; c < channels_; ++c) {
        frame[c] = static_cast<float>(frame[c] * gain_);
      }
    }
  }
}

VoiceDetector::VoiceDetector(int rate, double threshold_db, double hold_ms)
    : on_(db_to_gain(threshold_db) * db_to_gain(threshold_db)),
      off_(db_to_gain(threshold_db - 6.0) * db_to_gain(threshold_db - 6.0)),
      hold_frames_(static_cast<std::size_t>(rate * hold_ms / 1000.0)) {}

bool VoiceDetector::update(const float* samples, std::size_t frames, int channels) {
  if (frames == 0) {
    return speaking_;
  }
  double sum = 0.0;
  const std::size_t n = frames * channels;
  for (std::size_t i = 0; i < n; ++i) {
    sum += static_cast<double>(samples[i]) * samples[i];
  }
  const double mean_square = sum / n;
  if (mean_square >= on_) {
    speaking_ = true;
    quiet_frames_ = 0;
  } else if (speaking_ && mean_square < off_) {
    quiet_frames_ += frames;
    if (quiet_frames_ >= hold_frames_) {
      speaking_ = false;
    }
  } else if (speaking_) {
    quiet_frames_ = 0;  // between the two thresholds: still speaking
  }
  return speaking_;
}

DuckGain::DuckGain(int rate, double duck_db, double attack_ms, double release_ms)
    : duck_(db_to_gain(duck_db)),
      attack_(coefficient(rate, attack_ms / 4.0)),
      release_(coefficient(rate, release_ms / 4.0)) {}

void DuckGain::process(float* samples, std::size_t frames, int channels) {
  // Attack and release name the time to (nearly) complete the move: four time
  // constants cover 98% of it.
  if (gain_ == target_ && gain_ == 1.0) {
    return;
  }
  for (std::size_t f = 0; f < frames; ++f) {
    const double k = target_ < gain_ ? attack_ : release_;
    gain_ += (target_ - gain_) * k;
    for (int c = 0; c < channels; ++c) {
      samples[f * channels + c] = static_cast<float>(samples[f * channels + c] * gain_);
    }
  }
  if (std::fabs(gain_ - target_) < 1e-4) {
    gain_ = target_;
  }
}

void Gate::set_open(bool open, double ramp_ms) {
  const double samples = std::max(1.0, ramp_ms * rate_ / 1000.0);
  step_.store(1.0 / samples);
  open_.store(open);
}

void Gate::process(float* samples, std::size_t frames, int channels) {
  const double target = open_.load() ? 1.0 : 0.0;
  const double step = step_.load();
  if (gain_ == target) {
    if (target == 0.0) {
      std::fill(samples, samples + frames * channels, 0.0f);
    }
    return;
  }
  for (std::size_t f = 0; f < frames; ++f) {
    gain_ = target > gain_ ? std::min(target, gain_ + step) : std::max(target, gain_ - step);
    for (int c = 0; c < channels; ++c) {
      samples[f * channels + c] = static_cast<float>(samples[f * channels + c] * gain_);
    }
  }
}

}  // namespace hallcast::engine
