// The automatic director: which scene the programme should show, decided from the
// floor microphones' levels alone, the way a hall's conference system links each
// delegate microphone to a camera preset.
//
// Pure logic with time as an input: the engine feeds it the meters it already takes
// (about ten readings a second) with the time of each reading, and cuts when it says
// so; tests feed it synthetic level sequences and clocks.
//
// The rules (SPEC §5): one followed mic above `threshold_db` for `attack_ms`, alone,
// puts its scene on programme once the current shot has lasted `min_shot_s`; nobody, or
// several at once, for longer than `min_shot_s` puts `fallback_scene` there (after the
// same minimum shot). Brief gaps between words restart the attack but are far shorter
// than the silence that falls back, so a speaker keeps the shot through them.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "show/events.h"

namespace hallcast::show {

class AutoDirector {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // What one reading decided.
  struct Decision {
    std::optional<std::string> cut;  // the scene to cut to, if any
    bool speaker_changed = false;    // speaker() is someone else now
  };

  explicit AutoDirector(config::AutoDirector config);

  // The programme shows `scene` from `now` on (by this director's cut or anyone's).
  void shot_started(std::string_view scene, TimePoint now);

  // Start following afresh (when switched on): nobody is followed, and the mics are
  // judged from `now` on.
  void restart(TimePoint now);

  // The mics' levels (RMS dBFS by source id; mics not followed are ignored, a followed
  // mic missing counts as silent) at `now`, which never goes backwards.
  Decision update(const std::vector<Level>& levels, TimePoint now);

  // The mic being followed; "" while on the fallback scene or before anyone spoke.
  const std::string& speaker() const { return speaker_; }

 private:
  // Who alone is above the threshold now: a mic id, or "" for nobody or several.
  std::string alone_above(const std::vector<Level>& levels) const;
  const config::AutoFollow* follow_of(std::string_view mic) const;

  config::AutoDirector config_;
  std::string program_;
  TimePoint shot_start_{};
  std::string candidate_;  // alone_above() since candidate_since_
  TimePoint candidate_since_{};
  bool judged_ = false;  // a reading has set candidate_
  std::string speaker_;
};

}  // namespace hallcast::show
