// The sample-level audio pieces on synthetic signals: the limiter's ceiling, the
// voice detector's hysteresis and hold, the ducking depth and its timing.
#include "engine/audio/audio_dsp.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace hallcast::engine {
namespace {

constexpr int kRate = 48000;

std::vector<float> tone(double amplitude, double seconds, int channels = 2) {
  const std::size_t frames = static_cast<std::size_t>(seconds * kRate);
  std::vector<float> s(frames * channels);
  for (std::size_t f = 0; f < frames; ++f) {
    const float v = static_cast<float>(amplitude * std::sin(2 * M_PI * 1000.0 * f / kRate));
    for (int c = 0; c < channels; ++c)
      s[f * channels + c] = v;
  }
  return s;
}

float peak(const std::vector<float>& s, std::size_t from = 0) {
  float p = 0;
  for (std::size_t i = from; i < s.size(); ++i)
    p = std::max(p, std::fabs(s[i]));
  return p;
}

TEST(PeakLimiter, NothingPassesTheCeilingAndQuietSoundIsUntouched) {
  PeakLimiter limiter(kRate, 2, -1.0);
  auto loud = tone(3.0, 0.5);  // +9.5 dBFS
  limiter.process(loud.data(), loud.size() / 2);
  EXPECT_LE(peak(loud), db_to_gain(-1.0) + 1e-6);
  EXPECT_GT(peak(loud), db_to_gain(-1.5));  // limited, not squashed

  PeakLimiter fresh(kRate, 2, -1.0);
  auto quiet = tone(0.5, 0.2);
  const auto original = quiet;
  fresh.process(quiet.data(), quiet.size() / 2);
  EXPECT_EQ(quiet, original);
}

TEST(VoiceDetector, OpensAtTheThresholdAndHoldsThroughShortPauses) {
  VoiceDetector vad(kRate, -40.0, 400.0);
  const auto speech = tone(db_to_gain(-30.0) * std::sqrt(2.0), 0.01);  // RMS -30 dBFS
  const auto hum = tone(db_to_gain(-60.0) * std::sqrt(2.0), 0.01);     // RMS -60 dBFS
  EXPECT_FALSE(vad.update(hum.data(), hum.size() / 2, 2));
  EXPECT_TRUE(vad.update(speech.data(), speech.size() / 2, 2));
  for (int i = 0; i < 30; ++i) {  // 300 ms pause: held
    EXPECT_TRUE(vad.update(hum.data(), hum.size() / 2, 2)) << i;
  }
  for (int i = 0; i < 20; ++i) {  // past the 400 ms hold
    vad.update(hum.data(), hum.size() / 2, 2);
  }
  EXPECT_FALSE(vad.speaking());
}

TEST(DuckGain, ReachesItsDepthWithinTheAttackAndReturnsWithinTheRelease) {
  DuckGain duck(kRate, -15.0, 50.0, 500.0);
  auto block = [&](double seconds) {
    auto s = tone(0.5, seconds);
    duck.process(s.data(), s.size() / 2, 2);
  };
  block(0.1);
  EXPECT_DOUBLE_EQ(duck.gain(), 1.0);
  duck.set_ducked(true);
  block(0.05);
  EXPECT_NEAR(gain_to_db(duck.gain()), -15.0, 1.0);
  block(0.2);
  EXPECT_NEAR(gain_to_db(duck.gain()), -15.0, 0.1);
  duck.set_ducked(false);
  block(0.1);
  EXPECT_LT(gain_to_db(duck.gain()), -1.0);  // no snap back: a smooth release
  block(0.4);
  EXPECT_GT(gain_to_db(duck.gain()), -1.0);
}

}  // namespace
}  // namespace hallcast::engine
