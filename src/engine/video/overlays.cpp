#include "engine/video/overlays.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "show/overlay_edit.h"

namespace hallcast::engine {

namespace {

show::Reply no_overlay(const std::string& id) {
  return show::Reply::failure(show::ErrorCode::unknown_overlay, "no overlay \"" + id + "\"");
}

}  // namespace

Overlays::Overlays(std::vector<show::OverlayStatus>& state, Hooks hooks)
    : state_(state), hooks_(std::move(hooks)) {
  for (const auto& overlay : state_) {
    last_number_ = std::max(last_number_, overlay.number);
  }
}

show::OverlayStatus* Overlays::find(const std::string& id) {
  auto it = std::find_if(state_.begin(), state_.end(), [&](const auto& o) { return o.id == id; });
  return it == state_.end() ? nullptr : &*it;
}

void Overlays::attach(OverlayDeck* deck) {
  deck_ = deck;
  if (deck_ == nullptr) {
    return;
  }
  for (const auto& overlay : state_) {
    deck_->draw(overlay);
    if (overlay.visible) {
      deck_->set_visible(overlay.id, true, /*at_once=*/true);
    }
  }
}

show::Reply Overlays::set_visible(const std::string& id, bool visible) {
  show::OverlayStatus* overlay = find(id);
  if (overlay == nullptr) {
    return no_overlay(id);
  }
  if (deck_ != nullptr) {
    deck_->set_visible(id, visible);
  }
  if (overlay->visible != visible) {
    overlay->visible = visible;
    spdlog::info("overlay {}: {}", id, visible ? "shown" : "hidden");
    hooks_.changed(*overlay);
  }
  return show::Reply::success();
}

show::Reply Overlays::create(const show::OverlayCreate& command) {
  if (find(command.overlay) != nullptr) {
    return show::Reply::failure(show::ErrorCode::already_exists,
                                "overlay \"" + command.overlay + "\" already exists");
  }
  if (auto problem = show::content_problem(command.type, command.content)) {
    return show::Reply::failure(show::ErrorCode::bad_value, *problem);
  }
  state_.push_back(show::created_overlay(command, ++last_number_));
  const show::OverlayStatus& overlay = state_.back();
  if (deck_ != nullptr) {
    deck_->draw(overlay);
  }
  spdlog::info("overlay {}: created ({})", overlay.id, config::to_string(overlay.type));
  hooks_.changed(overlay);
  return show::Reply::success();
}

show::Reply Overlays::update(const show::OverlayUpdate& command) {
  show::OverlayStatus* overlay = find(command.overlay);
  if (overlay == nullptr) {
    return no_overlay(command.overlay);
  }
  show::OverlayStatus next = *overlay;
  if (auto reply = show::apply_update(next, command); !reply.ok()) {
    return reply;
  }
  if (next == *overlay) {
    return show::Reply::success();
  }
  *overlay = std::move(next);
  // Drawn here, before the reply: on air from the next frame if it is shown.
  if (deck_ != nullptr) {
    deck_->draw(*overlay);
  }
  spdlog::info("overlay {}: new words", overlay->id);
  hooks_.changed(*overlay);
  return show::Reply::success();
}

show::Reply Overlays::remove(const show::OverlayDelete& command) {
  auto it = std::find_if(state_.begin(), state_.end(),
                         [&](const auto& o) { return o.id == command.overlay; });
  if (it == state_.end()) {
    return no_overlay(command.overlay);
  }
  if (deck_ != nullptr) {
    deck_->remove(command.overlay);
  }
  state_.erase(it);
  spdlog::info("overlay {}: deleted", command.overlay);
  hooks_.deleted(command.overlay);
  return show::Reply::success();
}

}  // namespace hallcast::engine
