// The overlay commands (show, hide, create, update, delete) on the show's state, and
// their pictures on the programme through the OverlayDeck. Every change is in the state
// before the command's reply, and on air from the next frame.
//
// All methods run on the engine thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/video/overlay_deck.h"
#include "show/commands.h"
#include "show/state.h"

namespace hallcast::engine {

class Overlays {
 public:
  struct Hooks {
    std::function<void(const show::OverlayStatus&)> changed;  // also for a new one
    std::function<void(const std::string&)> deleted;
  };

  // `state` is the show's list of overlays, which this keeps.
  Overlays(std::vector<show::OverlayStatus>& state, Hooks hooks);

  // The programme's deck while on the air (null after): every overlay is drawn on it,
  // those already shown (the opening look) at full strength from the first frame.
  void attach(OverlayDeck* deck);

  show::Reply set_visible(const std::string& id, bool visible);
  show::Reply create(const show::OverlayCreate& command);
  show::Reply update(const show::OverlayUpdate& command);
  show::Reply remove(const show::OverlayDelete& command);

 private:
  show::OverlayStatus* find(const std::string& id);

  std::vector<show::OverlayStatus>& state_;
  Hooks hooks_;
  OverlayDeck* deck_ = nullptr;
  std::uint32_t last_number_ = 0;
};

}  // namespace hallcast::engine
