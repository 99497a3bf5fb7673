// Captions on the programme: each overlay (a lower third, a title slate, a countdown)
// is a picture made off the streaming thread (caption_renderer, by the OverlayDeck) and
// blended onto every programme frame while it is shown, by an `overlaycomposition`
// element. Showing and hiding fade over kFade; a frame with no caption visible costs
// nothing.
//
// A new picture for an overlay is swapped in whole on one frame: the next one, or the
// first at or after a given running time (a countdown's next second, drawn ahead). The
// streaming thread only swaps pointers and sets alphas.
//
// Captions are optional: drawing that fails is switched off for the frames after it,
// reported to the FailureSink as part "captions" (unit ""), and `restart_drawing` turns
// it on again. The programme's frames go on untouched. (A caption that cannot be
// rendered is the OverlayDeck's to report.)
#pragma once

#include <gst/video/video-overlay-composition.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "engine/gst/contain.h"
#include "engine/gst/gst_ptr.h"
#include "engine/video/caption_renderer.h"

namespace hallcast::engine {

class CaptionLayer {
 public:
  static constexpr GstClockTime kFade = 300 * GST_MSECOND;

  // `failures` must outlive this object.
  explicit CaptionLayer(FailureSink& failures);
  ~CaptionLayer();
  CaptionLayer(const CaptionLayer&) = delete;
  CaptionLayer& operator=(const CaptionLayer&) = delete;

  // The element that blends the captions; the caller adds and links it.
  ElementPtr make_element(const std::string& path);

  // --- any thread ----------------------------------------------------------------
  // `image` becomes overlay `id`'s picture on the first frame whose running time is
  // `from` or later (0: the next frame). An unknown id is a new overlay, hidden. An
  // empty image leaves the overlay with nothing to draw.
  void set_image(const std::string& id, const CaptionImage& image, GstClockTime from = 0);
  // Show or hide `overlay` from the next frame on, with a fade (or at once, for the
  // programme's first frame). False if unknown.
  bool set_visible(std::string_view overlay, bool visible, bool at_once = false);
  // Fades `overlay` out if it is shown, then forgets it.
  void remove(std::string_view overlay);

  // After drawing failed: draw again from the next frame. Engine thread.
  void restart_drawing() { drawing_.store(true); }

 private:
  struct RectangleUnref {
    void operator()(GstVideoOverlayRectangle* p) const { gst_video_overlay_rectangle_unref(p); }
  };
  using RectanglePtr = std::unique_ptr<GstVideoOverlayRectangle, RectangleUnref>;

  struct Caption {
    std::string id;
    RectanglePtr rectangle;    // null if nothing to draw
    RectanglePtr pending;      // the next picture
    bool has_pending = false;  // (a pending null clears the picture)
    GstClockTime pending_from = 0;
    bool visible = false;
    bool changed = false;          // a change not yet given a start time
    bool at_once = false;          // the change skips the fade
    bool removing = false;         // forgotten once faded out
    GstClockTime fade_start = 0;   // running time the current fade began
    double alpha_at_change = 0.0;  // where the fade starts from
    double alpha = 0.0;            // as drawn on the last frame
  };
  static GstVideoOverlayComposition* on_draw(GstElement* element, GstSample* sample, gpointer self);
  GstVideoOverlayComposition* draw(GstClockTime running_time);
  Caption* find(std::string_view id);  // under mutex_

  FailureSink& failures_;
  std::mutex mutex_;  // guards captions_: the streaming thread draws, others change
  std::vector<Caption> captions_;
  // Cleared when drawing failed, set again by restart_drawing. Read on the streaming
  // thread.
  std::atomic<bool> drawing_{true};
  SignalConnection draw_signal_;
};

}  // namespace hallcast::engine
