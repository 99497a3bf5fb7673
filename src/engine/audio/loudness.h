// EBU R128 loudness of one programme track (libebur128): momentary (400 ms) and
// short-term (3 s) loudness in LUFS. Samples come in on a streaming thread; readings
// are taken on the engine thread.
#pragma once

#include <memory>
#include <mutex>

namespace hallcast::engine {

class LoudnessMeter {
 public:
  LoudnessMeter(int rate, int channels);
  ~LoudnessMeter();
  LoudnessMeter(const LoudnessMeter&) = delete;
  LoudnessMeter& operator=(const LoudnessMeter&) = delete;

  void add(const float* interleaved, std::size_t frames);
  // Start measuring afresh (after the analysis failed).
  void reset();

  // LUFS; -inf (as -HUGE_VAL) before enough sound has been measured or for silence.
  double momentary() const;
  double short_term() const;

 private:
  struct State;  // libebur128's state, kept out of this header
  int rate_;
  int channels_;
  mutable std::mutex mutex_;  // guards state_
  std::unique_ptr<State> state_;
};

}  // namespace hallcast::engine
