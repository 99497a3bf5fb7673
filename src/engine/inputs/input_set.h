// Every real input of the programme — the live ones (cameras, microphones) and the
// clips — made from the programme's list, started and stopped together; and the clips
// kept in step with the programme: those a scene on programme shows play, with their
// sound, and one that leaves is cued again once the fade away from it is over.
//
// All methods run on the engine thread.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/redactor.h"
#include "engine/engine_thread.h"
#include "engine/inputs/clip_input.h"
#include "engine/inputs/live_input.h"
#include "show/state.h"

namespace hallcast::engine {

class Programme;

class InputSet {
 public:
  using OnHealth = std::function<void(const std::string& id, show::Health health)>;

  // `failures` must outlive the inputs.
  InputSet(EngineThread& thread, const common::Redactor& redactor, FailureSink& failures,
           OnHealth on_health);
  ~InputSet();
  InputSet(const InputSet&) = delete;
  InputSet& operator=(const InputSet&) = delete;

  // The inputs `programme` takes (it must outlive them: call clear() before it goes),
  // started.
  void start(Programme& programme);
  void clear();

  // The programme now shows `sources`, reached by a fade of `fade` (0: a cut).
  void follow_programme(const std::vector<std::string>& sources, std::chrono::milliseconds fade);

 private:
  EngineThread& thread_;
  const common::Redactor& redactor_;
  FailureSink& failures_;
  OnHealth on_health_;
  Programme* programme_ = nullptr;
  std::vector<std::unique_ptr<LiveInput>> live_;
  std::vector<std::unique_ptr<ClipInput>> clips_;
  std::map<std::string, SourcePtr> cue_timers_;  // clips to cue once a fade is over
};

}  // namespace hallcast::engine
