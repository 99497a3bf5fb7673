#include "engine/video/overlay_deck.h"

#include <algorithm>

#include "show/schedule.h"

namespace hallcast::engine {

namespace {

using namespace std::chrono_literals;

// A countdown's next second is drawn this long before it is due: time enough for the
// layout on a busy engine thread (a loaded 2-core machine has been seen to take more than
// a quarter of a second over the first one), and the picture waits in the layer for its
// frame.
constexpr auto kDrawAhead = 600ms;

config::WallTime wall_now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(config::WallClock::now());
}

}  // namespace

CaptionImage render_overlay(const show::OverlayStatus& overlay, const std::string& remaining,
                            int width, int height) {
  const auto& content = overlay.content;
  switch (overlay.type) {
    case config::OverlayType::lower_third: {
      std::vector<CaptionName> names{{content.name, content.role}};
      for (const auto& form : content.forms) {
        names.push_back({form.name, form.role});
      }
      return render_lower_third(names, width, height);
    }
    case config::OverlayType::countdown:
      return render_countdown(show::fill_countdown(content.text, remaining), width, height);
    case config::OverlayType::title:
      break;
  }
  return render_title(content.text, width, height);
}

OverlayDeck::OverlayDeck(CaptionLayer& layer, EngineThread& thread, FailureSink& failures,
                         int width, int height, std::optional<config::WallTime> start,
                         TestHooks::CaptionRender render)
    : layer_(layer),
      thread_(thread),
      failures_(failures),
      width_(width),
      height_(height),
      start_(start),
      render_(render ? std::move(render) : TestHooks::CaptionRender(render_overlay)) {}

CaptionImage OverlayDeck::picture(const show::OverlayStatus& overlay,
                                  const std::string& remaining) {
  if (failed_.count(overlay.id) != 0) {
    return {};
  }
  try {
    return render_(overlay, remaining, width_, height_);
  } catch (const std::exception& e) {
    // Left out; the other captions and the programme go on.
    failed_.insert(overlay.id);
    failures_.failed(part::kCaptions, overlay.id, e.what());
  }
  return {};
}

void OverlayDeck::draw(const show::OverlayStatus& overlay) {
  const auto now = wall_now();
  const std::string remaining = show::remaining_text(start_.value_or(now), now);
  // New words are another chance for an overlay that could not be rendered.
  failed_.erase(overlay.id);
  overlays_[overlay.id] = overlay;
  layer_.set_image(overlay.id, picture(overlay, remaining));
  if (running_at_) {
    schedule_tick();
  }
}

void OverlayDeck::set_visible(const std::string& id, bool visible, bool at_once) {
  layer_.set_visible(id, visible, at_once);
}

void OverlayDeck::remove(const std::string& id) {
  overlays_.erase(id);
  failed_.erase(id);
  layer_.remove(id);
}

void OverlayDeck::start(RunningTimeAt running_at) {
  running_at_ = std::move(running_at);
  schedule_tick();
}

void OverlayDeck::restart(const std::string& unit) {
  if (unit.empty()) {
    layer_.restart_drawing();
    return;
  }
  const auto it = overlays_.find(unit);
  if (it == overlays_.end()) {
    return;  // deleted meanwhile
  }
  const auto now = wall_now();
  const CaptionImage image =
      render_(it->second, show::remaining_text(start_.value_or(now), now), width_, height_);
  failed_.erase(unit);
  layer_.set_image(unit, image);
  if (running_at_) {
    schedule_tick();
  }
}

bool OverlayDeck::has_countdown() const {
  return std::any_of(overlays_.begin(), overlays_.end(), [&](const auto& entry) {
    return entry.second.type == config::OverlayType::countdown && failed_.count(entry.first) == 0;
  });
}

// The next moment a countdown's text changes is a whole number of seconds before the
// start: its text is drawn kDrawAhead before that.
void OverlayDeck::schedule_tick() {
  timer_.reset();
  const auto now = wall_now();
  if (!has_countdown() || !start_ || *start_ <= now) {
    return;
  }
  const auto left = *start_ - now;
  const auto next = *start_ - std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::ceil<std::chrono::seconds>(left) - 1s);
  const auto wait = std::max(std::chrono::milliseconds(0), next - kDrawAhead - now);
  timer_ = thread_.add_timeout(static_cast<unsigned>(wait.count()), [this] { tick(); });
}

void OverlayDeck::tick() {
  timer_.reset();
  const auto now = wall_now();
  if (!start_ || !has_countdown()) {
    return;
  }
  // The second to come: the first whole-second mark before the start that is still ahead.
  const auto left = *start_ - now;
  auto next = *start_ - std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::ceil<std::chrono::seconds>(left) - 1s);
  if (next <= now) {
    next = now;
  }
  const std::string remaining = show::remaining_text(*start_, next);
  const GstClockTime from = running_at_ ? running_at_(next) : 0;
  for (const auto& [id, overlay] : overlays_) {
    if (overlay.type == config::OverlayType::countdown && failed_.count(id) == 0) {
      layer_.set_image(id, picture(overlay, remaining), from);
    }
  }
  // Wait past this mark before looking for the next one.
  const auto past = std::max(std::chrono::milliseconds(1), next - now + 1ms);
  timer_ = thread_.add_timeout(static_cast<unsigned>(past.count()), [this] { schedule_tick(); });
}

}  // namespace hallcast::engine
