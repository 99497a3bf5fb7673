// Captions on the programme: each overlay (a speaker's lower third, the title slate) is
// rendered once (caption_renderer) and blended onto every programme frame while it is
// shown, by an `overlaycomposition` element. Showing and hiding fade over kFade;
// a frame with no caption visible costs nothing.
//
// Captions are optional: a caption that cannot be rendered is left out (the others
// show), and drawing that fails is switched off for the frames after it; either is
// reported to the FailureSink as part "captions" (unit: the overlay, or "" for the
// drawing), and `restart` tries again. The programme's frames go on untouched.
#pragma once

#include <gst/video/video-overlay-composition.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "engine/gst/contain.h"
#include "engine/gst/gst_ptr.h"
#include "engine/test_hooks.h"
#include "engine/video/caption_renderer.h"

namespace hallcast::engine {

using CaptionRender = TestHooks::CaptionRender;

class CaptionLayer {
 public:
  static constexpr GstClockTime kFade = 300 * GST_MSECOND;

  // `render` stands in for render_caption when set (tests). `failures` must outlive
  // this object.
  CaptionLayer(const config::Config& config, FailureSink& failures, CaptionRender render = {});
  ~CaptionLayer();
  CaptionLayer(const CaptionLayer&) = delete;
  CaptionLayer& operator=(const CaptionLayer&) = delete;

  // The element that blends the captions; the caller adds and links it.
  ElementPtr make_element(const std::string& path);

  // Show or hide `overlay` from the next frame on, with a fade. Any thread.
  void set_visible(std::string_view overlay, bool visible);

  // After a failure: render `unit`'s caption again, or with "" draw again. Engine
  // thread; throws what the renderer throws.
  void restart(const std::string& unit);

 private:
  struct RectangleUnref {
    void operator()(GstVideoOverlayRectangle* p) const { gst_video_overlay_rectangle_unref(p); }
  };
  using RectanglePtr = std::unique_ptr<GstVideoOverlayRectangle, RectangleUnref>;

  struct Caption {
    const config::Overlay* overlay = nullptr;
    // Under mutex_: null if there is nothing to draw (or it could not be rendered).
    RectanglePtr rectangle;
    // Streaming thread and set_visible, under mutex_:
    bool visible = false;
    bool changed = false;          // a change not yet given a start time
    GstClockTime fade_start = 0;   // running time the current fade began
    double alpha_at_change = 0.0;  // where the fade starts from
    double alpha = 0.0;            // as drawn on the last frame
  };
  RectanglePtr render(const config::Overlay& overlay) const;  // throws
  static GstVideoOverlayComposition* on_draw(GstElement* element, GstSample* sample, gpointer self);
  GstVideoOverlayComposition* draw(GstClockTime running_time);

  const config::Config& config_;
  FailureSink& failures_;
  CaptionRender render_;
  std::mutex mutex_;
  std::vector<Caption> captions_;
  // Cleared when drawing failed, set again by restart. Read on the streaming thread.
  std::atomic<bool> drawing_{true};
  SignalConnection draw_signal_;
};

}  // namespace hallcast::engine
