// Inside the caption renderer (caption_renderer.cpp): the Pango/cairo drawing that
// every caption shares — RAII owners, text clean-up, layouts in proportion to the frame,
// the canvas and its straight-alpha copy out. No GStreamer.
#pragma once

#include <cairo.h>
#include <glib-object.h>
#include <glib.h>
#include <pango/pangocairo.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/video/caption_renderer.h"

namespace hallcast::engine::drawing {

struct SurfaceDestroy {
  void operator()(cairo_surface_t* p) const { cairo_surface_destroy(p); }
};
struct CairoDestroy {
  void operator()(cairo_t* p) const { cairo_destroy(p); }
};
struct PatternDestroy {
  void operator()(cairo_pattern_t* p) const { cairo_pattern_destroy(p); }
};
struct GObjectUnref {
  void operator()(gpointer p) const { g_object_unref(p); }
};

using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDestroy>;
using CairoPtr = std::unique_ptr<cairo_t, CairoDestroy>;
using PatternPtr = std::unique_ptr<cairo_pattern_t, PatternDestroy>;
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectUnref>;

inline constexpr const char* kNameFont = "DejaVu Sans Bold";
inline constexpr const char* kRoleFont = "DejaVu Sans";

int even_down(double v);
int even_up(double v);

// Frames outside 64..8192 pixels a side get no caption rather than a useless or huge
// image.
bool frame_ok(int frame_width, int frame_height);

// Title-safe: the middle 90% of the frame, with even edges so that an image placed
// there lines up with the chroma grid of I420.
struct SafeArea {
  int left, top, right, bottom;
  int width() const { return right - left; }
  int height() const { return bottom - top; }
};
SafeArea safe_area(int frame_width, int frame_height);

// Valid UTF-8 (bad bytes and NULs become U+FFFD), control characters and runs of
// white space folded to one space, trimmed, at most 400 characters. Title slates keep
// line breaks, since an operator may type one on purpose.
std::string sanitize(std::string_view text, bool keep_newlines);

// A layout in `font` at `pixels` high. Hinting and glyph-position rounding are off so
// that text width is proportional to the font size: a caption at 1080p is then the
// 720p one scaled, and line breaks fall in the same places.
LayoutPtr make_layout(const char* font, double pixels, const std::string& text);

struct Extents {
  double x = 0, y = 0, width = 0, height = 0;
};
Extents logical_extents(PangoLayout* layout);

// Narrows a wrapped layout as far as it goes without adding a line or an ellipsis, so
// that two lines come out of similar length instead of a full line and an orphan.
// Returns the width set, in pixels.
int balance_lines(PangoLayout* layout, int max_width, int min_width);

void set_source(cairo_t* cr, std::uint32_t rgb, double alpha = 1.0);

// cairo's premultiplied native-endian words into the image's straight-alpha BGRA.
void copy_out(cairo_surface_t* surface, CaptionImage& image);

// A cleared canvas of the image's size, or nothing if cairo cannot make one.
struct Canvas {
  SurfacePtr surface;
  CairoPtr cr;
};
std::optional<Canvas> make_canvas(int width, int height);

}  // namespace hallcast::engine::drawing
