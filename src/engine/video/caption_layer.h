// Captions on the programme: each overlay (a speaker's lower third, the title slate) is
// rendered once (caption_renderer) and blended onto every programme frame while it is
// shown, by an `overlaycomposition` element. Showing and hiding fade over kFade;
// a frame with no caption visible costs nothing.
#pragma once

#include <gst/video/video-overlay-composition.h>

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "engine/gst/gst_ptr.h"

namespace hallcast::engine {

class CaptionLayer {
 public:
  static constexpr GstClockTime kFade = 300 * GST_MSECOND;

  explicit CaptionLayer(const config::Config& config);
  ~CaptionLayer();
  CaptionLayer(const CaptionLayer&) = delete;
  CaptionLayer& operator=(const CaptionLayer&) = delete;

  // The element that blends the captions; the caller adds and links it.
  ElementPtr make_element(const std::string& path);

  // Show or hide `overlay` from the next frame on, with a fade. False if unknown.
  // Any thread.
  bool set_visible(std::string_view overlay, bool visible);

 private:
  struct Caption {
    std::string id;
    GstVideoOverlayRectangle* rectangle = nullptr;  // owned; null if nothing to draw
    // Streaming thread and set_visible, under mutex_:
    bool visible = false;
    bool changed = false;          // a change not yet given a start time
    GstClockTime fade_start = 0;   // running time the current fade began
    double alpha_at_change = 0.0;  // where the fade starts from
    double alpha = 0.0;            // as drawn on the last frame
  };
  static GstVideoOverlayComposition* on_draw(GstElement* element, GstSample* sample, gpointer self);
  GstVideoOverlayComposition* draw(GstClockTime running_time);

  std::mutex mutex_;
  std::vector<Caption> captions_;
  SignalConnection draw_signal_;
};

}  // namespace hallcast::engine
