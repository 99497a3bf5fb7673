// The show's day on the engine: the opening look, the overlays' pictures, the cue
// list, clips that follow the programme, and destinations armed rather than started.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "engine/engine_impl.h"
#include "show/schedule.h"

namespace hallcast::engine {

show::Snapshot Engine::Impl::make_state(const config::Config& config,
                                        const EngineOptions& options) {
  show::Snapshot s = show::initial_snapshot(config);
  s.schedule = show::start_schedule(
      options.schedule,
      std::chrono::time_point_cast<std::chrono::milliseconds>(config::WallClock::now()));
  return s;
}

Overlays::Hooks Engine::Impl::overlay_hooks() {
  return {[this](const show::OverlayStatus& o) {
            publish();
            emit(show::OverlayChanged{o});
          },
          [this](const std::string& id) {
            publish();
            emit(show::OverlayDeleted{id});
          }};
}

CueRunner::Changed Engine::Impl::cue_changed() {
  return [this](const show::CueStatus& cue) {
    publish();
    emit(show::CueChanged{cue});
  };
}

void Engine::Impl::on_source_health(const std::string& id, show::Health now) {
  auto it = std::find_if(state.sources.begin(), state.sources.end(),
                         [&](const auto& source) { return source.id == id; });
  if (it == state.sources.end() || it->health == now) {
    return;
  }
  it->health = now;
  publish();
  emit(show::SourceChanged{*it});
}

void Engine::Impl::open_overlays() {
  const auto start = config.event_start();
  deck = std::make_unique<OverlayDeck>(
      programme->captions(), thread, health, config.video.width, config.video.height,
      start ? std::optional(start->time) : std::nullopt, options.test_hooks.render_caption);
  overlays.attach(deck.get());
}

void Engine::Impl::go_live() {
  deck->start([this](config::WallTime when) { return programme->running_time_at(when); });
  inputs.start(*programme);
  follow_programme(std::chrono::milliseconds(0));
  // The destinations not started are armed: a cue or an operator starts them.
  for (auto& status : state.outputs) {
    set_ready(status);
  }
  publish();
  cues.start();
}

void Engine::Impl::close_show() {
  cues.stop();
  inputs.clear();
  overlays.attach(nullptr);
  deck.reset();
}

void Engine::Impl::follow_programme(std::chrono::milliseconds fade) {
  const auto scene = std::find_if(state.scenes.begin(), state.scenes.end(),
                                  [&](const auto& s) { return s.id == state.program; });
  inputs.follow_programme(scene != state.scenes.end() ? scene->sources : std::vector<std::string>{},
                          fade);
}

void Engine::Impl::set_ready(show::OutputStatus& status) const {
  const OutputDriver* unit = find_output(status.id);
  status.ready = status.state == show::OutputState::idle && unit != nullptr &&
                 unit->unstartable_reason().empty() && !disarmed.contains(status.id);
}

void Engine::Impl::disarm(const std::string& id) {
  disarmed.insert(id);
  show::OutputStatus* status = state.find_output(id);
  if (status != nullptr && status->ready) {
    status->ready = false;
    publish();
    emit(show::OutputChanged{*status});
  }
}

void Engine::Impl::restore_cues(const std::vector<show::CueLiveState>& done) {
  for (const auto& cue : done) {
    if (cue.index >= state.schedule.size()) {
      continue;
    }
    show::CueStatus& status = state.schedule[cue.index];
    status.state = cue.state;
    status.ran_at = cue.ran_at;
    status.error = cue.error;
    status.message = cue.message;
    spdlog::info("cue {} ({}): {} before the restart; it does not run again", cue.index,
                 status.at_text, show::to_string(cue.state));
  }
  publish();
}

}  // namespace hallcast::engine
