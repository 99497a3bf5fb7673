#include "engine/audio/loudness.h"

#include <ebur128.h>

#include <cmath>

namespace hallcast::engine {

struct LoudnessMeter::State {
  ebur128_state* meter = nullptr;
  ~State() {
    if (meter != nullptr) {
      ebur128_destroy(&meter);
    }
  }
};

namespace {

ebur128_state* new_meter(int rate, int channels) {
  return ebur128_init(static_cast<unsigned>(channels), static_cast<unsigned long>(rate),
                      EBUR128_MODE_M | EBUR128_MODE_S);
}

}  // namespace

LoudnessMeter::LoudnessMeter(int rate, int channels)
    : rate_(rate), channels_(channels), state_(std::make_unique<State>()) {
  state_->meter = new_meter(rate_, channels_);
}

LoudnessMeter::~LoudnessMeter() = default;

void LoudnessMeter::add(const float* interleaved, std::size_t frames) {
  std::lock_guard lock(mutex_);
  if (state_->meter != nullptr) {
    ebur128_add_frames_float(state_->meter, interleaved, frames);
  }
}

void LoudnessMeter::reset() {
  auto fresh = std::make_unique<State>();
  fresh->meter = new_meter(rate_, channels_);
  std::lock_guard lock(mutex_);
  state_.swap(fresh);
}

double LoudnessMeter::momentary() const {
  std::lock_guard lock(mutex_);
  double lufs = -HUGE_VAL;
  if (state_->meter == nullptr ||
      ebur128_loudness_momentary(state_->meter, &lufs) != EBUR128_SUCCESS) {
    return -HUGE_VAL;
  }
  return lufs;
}

double LoudnessMeter::short_term() const {
  std::lock_guard lock(mutex_);
  double lufs = -HUGE_VAL;
  if (state_->meter == nullptr ||
      ebur128_loudness_shortterm(state_->meter, &lufs) != EBUR128_SUCCESS) {
    return -HUGE_VAL;
  }
  return lufs;
}

}  // namespace hallcast::engine
