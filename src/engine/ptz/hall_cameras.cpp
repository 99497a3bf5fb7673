#include "engine/ptz/hall_cameras.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "engine/ptz/visca.h"

namespace hallcast::engine {
namespace {

show::Reply no_camera(const std::string& source) {
  return show::Reply::failure(show::ErrorCode::unknown_source, "no PTZ camera \"" + source + "\"");
}

}  // namespace

HallCameras::HallCameras(const config::Config& config, show::Snapshot& state, EngineThread& thread,
                         Hooks hooks, FailureSink* failures, ViscaLinkOptions link_options)
    : config_(config),
      state_(state),
      thread_(thread),
      hooks_(std::move(hooks)),
      failures_(failures),
      link_options_(std::move(link_options)) {
  if (config.auto_director) {
    director_.emplace(*config.auto_director);
  }
}

HallCameras::~HallCameras() = default;

void HallCameras::start(TimePoint now) {
  for (const auto& source : config_.sources) {
    if (!source.ptz) {
      continue;
    }
    ViscaLinkOptions options = link_options_;
    options.ptz = *source.ptz;
    const std::string id = source.id;
    std::weak_ptr<int> alive = alive_;
    links_[id] = std::make_unique<ViscaLink>(
        id, options,
        [this, id, alive](show::PtzLink link, const std::string& detail) {
          thread_.post([this, id, alive, link, detail] {
            if (alive.lock()) {
              on_link(id, link, detail);
            }
          });
        },
        failures_);
  }
  update_tally();
  on_preview(state_.preview);
  if (director_) {
    director_->shot_started(state_.program, now);
    director_->restart(now);
  }
}

show::PtzStatus* HallCameras::status_of(const std::string& source) {
  auto it = std::find_if(state_.ptz.begin(), state_.ptz.end(),
                         [&](const show::PtzStatus& s) { return s.source == source; });
  return it == state_.ptz.end() ? nullptr : &*it;
}

ViscaLink* HallCameras::link_of(const std::string& source) {
  auto it = links_.find(source);
  return it == links_.end() ? nullptr : it->second.get();
}

bool HallCameras::on_program_now(const std::string& source) const {
  for (const auto& scene : state_.scenes) {
    if (scene.id == state_.program) {
      return std::find(scene.sources.begin(), scene.sources.end(), source) != scene.sources.end();
    }
  }
  return false;
}

void HallCameras::changed(const show::PtzStatus& status) {
  hooks_.publish();
  hooks_.emit(show::PtzChanged{status});
}

void HallCameras::on_link(const std::string& source, show::PtzLink link,
                          const std::string& detail) {
  auto* status = status_of(source);
  if (status == nullptr || status->link == link) {
    return;
  }
  if (link == show::PtzLink::ok) {
    spdlog::info("ptz {}: answers", source);
  } else {
    spdlog::warn("ptz {}: no reply ({})", source, detail);
  }
  status->link = link;
  changed(*status);
}

void HallCameras::update_tally() {
  for (auto& status : state_.ptz) {
    const bool on = on_program_now(status.source);
    if (auto* link = link_of(status.source)) {
      link->send(visca::tally(on), ViscaLink::Kind::tally);
    }
    if (status.tally != on) {
      status.tally = on;
      changed(status);
    }
  }
}

void HallCameras::send_recall(show::PtzStatus& status, int preset) {
  if (auto* link = link_of(status.source)) {
    link->send(visca::recall(preset), ViscaLink::Kind::memory);
  }
  status.preset = preset;
}

void HallCameras::on_program(const std::string& scene, TimePoint now) {
  update_tally();
  // A preset held back while its camera was live goes out once the camera is free.
  for (auto& status : state_.ptz) {
    if (status.held >= 0 && !on_program_now(status.source)) {
      spdlog::info("ptz {}: preset {} (held while on programme)", status.source, status.held);
      send_recall(status, status.held);
      status.held = -1;
      changed(status);
    }
  }
  if (director_) {
    director_->shot_started(scene, now);
  }
}

void HallCameras::on_preview(const std::string& scene_id) {
  const show::SceneInfo* scene = nullptr;
  for (const auto& s : state_.scenes) {
    if (s.id == scene_id) {
      scene = &s;
    }
  }
  for (auto& status : state_.ptz) {
    const show::PtzStatus before = status;
    status.held = -1;
    if (scene != nullptr) {
      for (const auto& preset : scene->presets) {
        if (preset.source != status.source) {
          continue;
        }
        if (on_program_now(status.source)) {
          status.held = preset.preset;  // never move a live shot
        } else {
          send_recall(status, preset.preset);
        }
      }
    }
    if (!(status == before)) {
      changed(status);
    }
  }
}

show::Reply HallCameras::execute(const show::Command& command, TimePoint now) {
  if (const auto* c = std::get_if<show::PtzRecall>(&command)) {
    return recall(*c);
  }
  if (const auto* c = std::get_if<show::PtzStore>(&command)) {
    return store(*c);
  }
  if (const auto* c = std::get_if<show::PtzMove>(&command)) {
    return move(*c);
  }
  if (const auto* c = std::get_if<show::AutoSet>(&command)) {
    return set_auto(c->enabled, "auto.set", now);
  }
  return show::Reply::failure(show::ErrorCode::not_supported, "not a camera command");
}

show::Reply HallCameras::recall(const show::PtzRecall& command) {
  auto* status = status_of(command.source);
  if (status == nullptr) {
    return no_camera(command.source);
  }
  send_recall(*status, command.preset);
  status->held = -1;
  changed(*status);
  return show::Reply::success();
}

show::Reply HallCameras::store(const show::PtzStore& command) {
  if (status_of(command.source) == nullptr) {
    return no_camera(command.source);
  }
  if (auto* link = link_of(command.source)) {
    link->send(visca::store(command.preset), ViscaLink::Kind::memory);
  }
  spdlog::info("ptz {}: stored preset {}", command.source, command.preset);
  return show::Reply::success();
}

show::Reply HallCameras::move(const show::PtzMove& command) {
  if (status_of(command.source) == nullptr) {
    return no_camera(command.source);
  }
  if (auto* link = link_of(command.source)) {
    link->send(visca::pan_tilt(command.pan, command.tilt), ViscaLink::Kind::drive);
    link->send(visca::zoom(command.zoom), ViscaLink::Kind::zoom);
  }
  return show::Reply::success();
}

void HallCameras::announce_auto(const std::string& reason) {
  hooks_.publish();
  hooks_.emit(show::AutoChanged{state_.auto_director, reason});
}

show::Reply HallCameras::set_auto(bool enabled, const std::string& reason, TimePoint now) {
  if (!director_) {
    return show::Reply::failure(show::ErrorCode::not_supported, "the config has no auto_director");
  }
  auto& status = state_.auto_director;
  if (status.enabled == enabled) {
    return show::Reply::success();
  }
  status.enabled = enabled;
  status.speaker.clear();
  director_->restart(now);
  spdlog::info("auto director: {} ({})", enabled ? "on" : "off", reason);
  announce_auto(reason);
  return show::Reply::success();
}

void HallCameras::manual_switch(TimePoint now) {
  if (following()) {
    set_auto(false, "manual", now);
  }
}

void HallCameras::on_levels(const std::vector<show::Level>& levels, TimePoint now) {
  if (!following()) {
    return;
  }
  const auto decision = director_->update(levels, now);
  if (decision.speaker_changed) {
    state_.auto_director.speaker = director_->speaker();
    announce_auto("");
  }
  if (decision.cut) {
    spdlog::info("auto director: {} speaks, scene {}",
                 director_->speaker().empty() ? "nobody alone" : director_->speaker(),
                 *decision.cut);
    hooks_.cut(*decision.cut);
  }
}

}  // namespace hallcast::engine
