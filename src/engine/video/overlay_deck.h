// The overlays' pictures, made on the engine thread and handed to the CaptionLayer:
// each overlay drawn once when it is made or its words change, and each countdown
// drawn once a second — ahead of time, to be swapped in on the frame of that second.
// The streaming thread never lays out text.
//
// Captions are optional: an overlay that cannot be rendered is left out (the others
// show), reported to the FailureSink as part "captions" with the overlay's id, and not
// drawn again (a countdown's next seconds included) until `restart` renders it again.
//
// All methods run on the engine thread.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "config/wall_time.h"
#include "engine/engine_thread.h"
#include "engine/gst/contain.h"
#include "engine/test_hooks.h"
#include "engine/video/caption_layer.h"
#include "show/state.h"

namespace hallcast::engine {

// The picture of an overlay with its words; `remaining` fills a countdown's text.
CaptionImage render_overlay(const show::OverlayStatus& overlay, const std::string& remaining,
                            int width, int height);

class OverlayDeck {
 public:
  // The running time of the programme at a wall-clock moment (0: as soon as possible).
  using RunningTimeAt = std::function<GstClockTime(config::WallTime)>;

  // `start`: what countdowns count down to (none: they show 0:00). `render` stands in
  // for render_overlay when set (tests). `failures` must outlive this object.
  OverlayDeck(CaptionLayer& layer, EngineThread& thread, FailureSink& failures, int width,
              int height, std::optional<config::WallTime> start,
              TestHooks::CaptionRender render = {});
  ~OverlayDeck() = default;
  OverlayDeck(const OverlayDeck&) = delete;
  OverlayDeck& operator=(const OverlayDeck&) = delete;

  // Draws `overlay` and puts it up from the next frame (hidden if it is new). A
  // countdown is kept current from then on.
  void draw(const show::OverlayStatus& overlay);
  void set_visible(const std::string& id, bool visible, bool at_once = false);
  void remove(const std::string& id);

  // Countdowns tick from now on, their seconds placed on the programme by `running_at`.
  void start(RunningTimeAt running_at);

  // After a failure: render overlay `unit` again, or with "" let the layer draw again.
  // Throws what the renderer throws.
  void restart(const std::string& unit);

 private:
  // The picture, or an empty one with the failure reported when it cannot be rendered.
  CaptionImage picture(const show::OverlayStatus& overlay, const std::string& remaining);
  bool has_countdown() const;  // one to keep current
  void schedule_tick();
  void tick();

  CaptionLayer& layer_;
  EngineThread& thread_;
  FailureSink& failures_;
  int width_;
  int height_;
  std::optional<config::WallTime> start_;
  TestHooks::CaptionRender render_;
  RunningTimeAt running_at_;
  std::map<std::string, show::OverlayStatus> overlays_;  // every overlay drawn, by id
  std::set<std::string> failed_;                         // left out until a restart
  SourcePtr timer_;
};

}  // namespace hallcast::engine
