// Sample-level audio processing for the programme tracks, on interleaved F32 samples.
// Plain C++ (no GStreamer), so each piece is tested on synthetic signals.
//
// Why our own rather than an element: `audiodynamic` acts per sample with no attack or
// release (a clipper, audible on speech), and the LADSPA limiters and compressors in
// Debian carry their version in their element names, which a site's upgrade would
// break. These are small and do exactly what the show needs.
#pragma once

#include <atomic>
#include <cstddef>

namespace hallcast::engine {

double db_to_gain(double db);
double gain_to_db(double gain);  // -inf for 0

// A peak limiter: the output never exceeds `ceiling` (linear). The gain drops at once
// to hold a peak down and recovers over `release_ms`, so speech is not distorted by
// clipping and not pumped by a slow attack.
class PeakLimiter {
 public:
  PeakLimiter(int rate, int channels, double ceiling_db = -1.0, double release_ms = 150.0);
  void process(float* samples, std::size_t frames);
  double gain() const { return gain_; }

 private:
  int channels_;
  float ceiling_;
  double release_;  // per-sample recovery coefficient
  double gain_ = 1.0;
};

// Whether a booth is speaking: the level of each block against a threshold, with
// hysteresis (on at `threshold_db`, off 6 dB lower) and a hold, so the floor does not
// come up between an interpreter's words.
class VoiceDetector {
 public:
  VoiceDetector(int rate, double threshold_db, double hold_ms = 400.0);
  // Feed one block; returns whether the booth counts as speaking after it.
  bool update(const float* samples, std::size_t frames, int channels);
  bool speaking() const { return speaking_; }

 private:
  double on_;   // mean square that switches on
  double off_;  // mean square below which the hold runs
  std::size_t hold_frames_;
  std::size_t quiet_frames_ = 0;
  bool speaking_ = false;
};

// The floor's gain in a language track: `duck_db` while the booth speaks, unity when
// it is silent, moving there exponentially with the attack and release times.
class DuckGain {
 public:
  DuckGain(int rate, double duck_db, double attack_ms = 50.0, double release_ms = 500.0);
  void set_ducked(bool ducked) { target_ = ducked ? duck_ : 1.0; }
  void process(float* samples, std::size_t frames, int channels);
  double gain() const { return gain_; }

 private:
  double duck_;
  double attack_;   // per-sample coefficient towards a lower gain
  double release_;  // per-sample coefficient towards a higher gain
  double target_ = 1.0;
  double gain_ = 1.0;
};

// A clip's sound following its picture: open (unity) while the clip is on programme,
// closed (silence) otherwise, moving between the two along a straight ramp so that a
// cut does not click and a fade takes the sound with the picture. set_open from any
// thread; process on the streaming thread.
class Gate {
 public:
  explicit Gate(int rate) : rate_(rate) {}
  void set_open(bool open, double ramp_ms);
  void process(float* samples, std::size_t frames, int channels);
  double gain() const { return gain_; }

 private:
  int rate_;
  std::atomic<bool> open_{false};
  std::atomic<double> step_{1.0};  // gain change per sample
  double gain_ = 0.0;              // streaming thread
};

}  // namespace hallcast::engine
