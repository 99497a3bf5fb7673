// The engine's side of the hall's cameras (ptz/hall_cameras.h): made when the show goes
// on the air, told of every change of programme or preview and of each operator's take
// or cut, fed the floor mics' levels while the auto director follows them. What the
// hall throws there is the `ptz` part's failure (gst/contain.h): the scene change, the
// command and the meters go on.
#include "engine/engine_impl.h"
#include "engine/gst/contain.h"

namespace hallcast::engine {

void Engine::Impl::start_hall() {
  HallCameras::Hooks hooks{[this] { publish(); }, [this](const show::Event& e) { emit(e); },
                           [this](const std::string& id) {
                             // The auto director's cut: like scene.cut, minus the
                             // operator taking over.
                             if (const auto* scene = find_scene(id)) {
                               if (programme) {
                                 programme->mixer().cut_to(*scene, Clock::now());
                               }
                               set_program(id);
                               follow_programme(std::chrono::milliseconds(0));
                             }
                           }};
  hall = std::make_unique<HallCameras>(config, state, thread, std::move(hooks), &health);
  contain(&health, part::kPtz, "links", [this] { hall->start(Clock::now()); });
}

bool Engine::Impl::hall_follows() const {
  return hall && hall->following();
}

void Engine::Impl::hall_program(const std::string& id) {
  if (hall) {
    contain(&health, part::kPtz, "tally", [&] { hall->on_program(id, Clock::now()); });
  }
}

void Engine::Impl::hall_preview(const std::string& id) {
  if (hall) {
    contain(&health, part::kPtz, "presets", [&] { hall->on_preview(id); });
  }
}

void Engine::Impl::hall_manual_switch(Clock::time_point when) {
  if (hall) {
    contain(&health, part::kPtz, "auto director", [&] { hall->manual_switch(when); });
  }
}

void Engine::Impl::hall_levels(const std::vector<show::Level>& levels) {
  if (hall) {
    contain(&health, part::kPtz, "auto director", [&] { hall->on_levels(levels, Clock::now()); });
  }
}

show::Reply Engine::Impl::hall_execute(const show::Command& command, Clock::time_point received) {
  if (!hall) {
    return show::Reply::failure(show::ErrorCode::unavailable, "the show is not on the air");
  }
  return hall->execute(command, received);
}

}  // namespace hallcast::engine
