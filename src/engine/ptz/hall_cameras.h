// The hall's cameras as the show drives them: each PTZ camera's VISCA link, the
// presets a scene frames its shot with when it goes to preview (held while the camera
// is live on programme), the tally lights of the cameras on programme, and the
// automatic director's cuts from the floor microphones' levels.
//
// Lives on the engine thread and works on the engine's state through Hooks; the links'
// threads only post their news here. Decisions are show::AutoDirector's; this unit
// carries them out.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "engine/engine_thread.h"
#include "engine/gst/contain.h"
#include "engine/ptz/visca_link.h"
#include "show/auto_director.h"
#include "show/commands.h"
#include "show/events.h"
#include "show/state.h"

namespace hallcast::engine {

class HallCameras {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  struct Hooks {
    std::function<void()> publish;                 // the state changed
    std::function<void(const show::Event&)> emit;  // tell the listeners
    std::function<void(const std::string&)> cut;   // the auto director's cut to a scene
  };

  // `state` is the engine's own, which this unit updates; `failures` hears of what the
  // links' threads throw; `link_options` is the timing of every camera's link (its
  // address comes from the config).
  HallCameras(const config::Config& config, show::Snapshot& state, EngineThread& thread,
              Hooks hooks, FailureSink* failures = nullptr, ViscaLinkOptions link_options = {});
  ~HallCameras();  // closes every link
  HallCameras(const HallCameras&) = delete;
  HallCameras& operator=(const HallCameras&) = delete;

  // Open the links: tally for the programme, the preview's presets, as at a change.
  void start(TimePoint now);

  void on_program(const std::string& scene, TimePoint now);
  void on_preview(const std::string& scene);

  // ptz.recall, ptz.store, ptz.move and auto.set; anything else is not_supported.
  show::Reply execute(const show::Command& command, TimePoint now);
  show::Reply set_auto(bool enabled, const std::string& reason, TimePoint now);

  // An operator took or cut a scene: the auto director, if on, stands aside.
  void manual_switch(TimePoint now);

  // Whether on_levels has any use (an auto director is switched on).
  bool following() const { return director_ && state_.auto_director.enabled; }
  // The floor mics' latest levels.
  void on_levels(const std::vector<show::Level>& levels, TimePoint now);

 private:
  show::PtzStatus* status_of(const std::string& source);
  ViscaLink* link_of(const std::string& source);
  bool on_program_now(const std::string& source) const;
  void changed(const show::PtzStatus& status);
  void send_recall(show::PtzStatus& status, int preset);
  void update_tally();
  void on_link(const std::string& source, show::PtzLink link, const std::string& detail);
  void announce_auto(const std::string& reason);
  show::Reply recall(const show::PtzRecall& command);
  show::Reply store(const show::PtzStore& command);
  show::Reply move(const show::PtzMove& command);

  const config::Config& config_;
  show::Snapshot& state_;
  EngineThread& thread_;
  Hooks hooks_;
  FailureSink* failures_;
  ViscaLinkOptions link_options_;
  std::optional<show::AutoDirector> director_;
  std::map<std::string, std::unique_ptr<ViscaLink>> links_;
  // Posted link news checks this is still alive: it runs on the engine thread, which
  // also destroys this object, so a weak_ptr's lock is all the guard needed.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace hallcast::engine
