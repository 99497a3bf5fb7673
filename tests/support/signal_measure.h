// Measures on decoded audio for assertions: the level of one tone among others, the
// RMS and peak of a stretch, and where a burst of sound begins. Plain functions on
// float samples, so a test states in dB what it expects of what it heard.
#pragma once

#include <cstddef>
#include <vector>

namespace hallcast::testing {

// The amplitude of the sine at `freq` in `x[0..n)`, in dB relative to full scale: a
// full-scale sine reads 0 dB, one of amplitude 0.1 reads -20 dB. Goertzel over a
// rectangular window: a block holding a whole number of cycles of each tone present
// reads each tone without leakage from the others.
double tone_db(const float* x, std::size_t n, double freq, int rate);

// RMS of `x[0..n)` in dB relative to full scale (a full-scale square wave reads 0 dB).
double rms_db(const float* x, std::size_t n);

// The largest absolute sample, in dB relative to full scale.
double peak_db(const std::vector<float>& x);

double median(std::vector<double> values);

// The start of every burst of sound in `x`: the first sample of each `block`-sample
// block whose RMS reaches `threshold_db` after at least `quiet_blocks` blocks below
// it. In samples.
std::vector<std::size_t> onsets(const std::vector<float>& x, std::size_t block, double threshold_db,
                                int quiet_blocks);

}  // namespace hallcast::testing
