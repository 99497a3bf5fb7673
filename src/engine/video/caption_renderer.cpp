#include "engine/video/caption_renderer.h"

#include <cairo.h>
#include <glib-object.h>
#include <glib.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

namespace hallcast::engine {
namespace {

struct SurfaceDestroy {
  void operator()(cairo_surface_t* p) const { cairo_surface_destroy(p); }
};
struct CairoDestroy {
  void operator()(cairo_t* p) const { cairo_destroy(p); }
};
struct PatternDestroy {
  void operator()(cairo_pattern_t* p) const { cairo_pattern_destroy(p); }
};
struct FontOptionsDestroy {
  void operator()(cairo_font_options_t* p) const { cairo_font_options_destroy(p); }
};
struct FontDescriptionFree {
  void operator()(PangoFontDescription* p) const { pango_font_description_free(p); }
};
struct GObjectUnref {
  void operator()(gpointer p) const { g_object_unref(p); }
};
struct GFree {
  void operator()(gpointer p) const { g_free(p); }
};

using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDestroy>;
using CairoPtr = std::unique_ptr<cairo_t, CairoDestroy>;
using PatternPtr = std::unique_ptr<cairo_pattern_t, PatternDestroy>;
using FontOptionsPtr = std::unique_ptr<cairo_font_options_t, FontOptionsDestroy>;
using FontDescriptionPtr = std::unique_ptr<PangoFontDescription, FontDescriptionFree>;
using ContextPtr = std::unique_ptr<PangoContext, GObjectUnref>;
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectUnref>;
using GCharPtr = std::unique_ptr<gchar, GFree>;

// Beyond this a caption is unreadable anyway, and Pango's cost grows with the text.
constexpr int kMaxChars = 400;
// Frames outside this range get no caption rather than a useless or huge image.
constexpr int kMinFrameSide = 64;
constexpr int kMaxFrameSide = 8192;

constexpr const char* kNameFont = "DejaVu Sans Bold";
constexpr const char* kRoleFont = "DejaVu Sans";

int even_down(double v) {
  return static_cast<int>(std::floor(v / 2.0)) * 2;
}
int even_up(double v) {
  return static_cast<int>(std::ceil(v / 2.0)) * 2;
}

bool frame_ok(int frame_width, int frame_height) {
  return frame_width >= kMinFrameSide && frame_height >= kMinFrameSide &&
         frame_width <= kMaxFrameSide && frame_height <= kMaxFrameSide;
}

// Title-safe: the middle 90% of the frame, with even edges so that an image placed
// there lines up with the chroma grid of I420.
struct SafeArea {
  int left, top, right, bottom;
  int width() const { return right - left; }
  int height() const { return bottom - top; }
};

SafeArea safe_area(int frame_width, int frame_height) {
  return {even_up(frame_width * 0.05), even_up(frame_height * 0.05), even_down(frame_width * 0.95),
          even_down(frame_height * 0.95)};
}

// Valid UTF-8 (bad bytes and NULs become U+FFFD), control characters and runs of
// white space folded to one space, trimmed, at most kMaxChars characters. Title
// slates keep line breaks, since an operator may type one on purpose.
std::string sanitize(std::string_view text, bool keep_newlines) {
  if (text.empty()) {
    return {};
  }
  GCharPtr valid(g_utf8_make_valid(text.data(), static_cast<gssize>(text.size())));
  std::string out;
  bool pending_space = false;
  int chars = 0;
  for (const gchar* p = valid.get(); *p != '\0' && chars < kMaxChars; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (keep_newlines && c == '\n') {
      out += '\n';
      pending_space = false;
      ++chars;
      continue;
    }
    if (g_unichar_isspace(c) || g_unichar_iscntrl(c) || c == 0x2028 || c == 0x2029) {
      pending_space = !out.empty() && out.back() != '\n';
      continue;
    }
    if (pending_space) {
      out += ' ';
      pending_space = false;
      ++chars;
    }
    out.append(p, static_cast<std::size_t>(g_utf8_next_char(p) - p));
    ++chars;
  }
  while (!out.empty() && out.back() == '\n') {
    out.pop_back();
  }
  return out;
}

// A layout in `font` at `pixels` high. Hinting and glyph-position rounding are off so
// that text width is proportional to the font size: a caption at 1080p is then the
// 720p one scaled, and line breaks fall in the same places.
LayoutPtr make_layout(const char* font, double pixels, const std::string& text) {
  // The default font map is per thread, so the engine thread may render while
  // a test or another thread does too.
  ContextPtr context(pango_font_map_create_context(pango_cairo_font_map_get_default()));
  FontOptionsPtr options(cairo_font_options_create());
  cairo_font_options_set_antialias(options.get(), CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style(options.get(), CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(options.get(), CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options(context.get(), options.get());
  pango_context_set_round_glyph_positions(context.get(), FALSE);

  LayoutPtr layout(pango_layout_new(context.get()));
  FontDescriptionPtr description(pango_font_description_from_string(font));
  pango_font_description_set_absolute_size(description.get(), pixels * PANGO_SCALE);
  pango_layout_set_font_description(layout.get(), description.get());
  pango_layout_set_text(layout.get(), text.c_str(), -1);
  return layout;
}

struct Extents {
  double x = 0, y = 0, width = 0, height = 0;
};

Extents logical_extents(PangoLayout* layout) {
  PangoRectangle logical{};
  pango_layout_get_extents(layout, nullptr, &logical);
  return {static_cast<double>(logical.x) / PANGO_SCALE,
          static_cast<double>(logical.y) / PANGO_SCALE,
          static_cast<double>(logical.width) / PANGO_SCALE,
          static_cast<double>(logical.height) / PANGO_SCALE};
}

// Narrows a wrapped layout as far as it goes without adding a line or an ellipsis, so
// that two lines come out of similar length instead of a full line and an orphan.
// Returns the width set, in pixels.
int balance_lines(PangoLayout* layout, int max_width, int min_width) {
  pango_layout_set_width(layout, max_width * PANGO_SCALE);
  const int lines = pango_layout_get_line_count(layout);
  if (lines < 2 || pango_layout_is_ellipsized(layout)) {
    return max_width;
  }
  auto fits = [&](int width) {
    pango_layout_set_width(layout, width * PANGO_SCALE);
    return pango_layout_get_line_count(layout) == lines && !pango_layout_is_ellipsized(layout);
  };
  int low = std::clamp(min_width, 1, max_width);
  int high = max_width;
  while (low < high) {
    int middle = low + (high - low) / 2;
    if (fits(middle)) {
      high = middle;
    } else {
      low = middle + 1;
    }
  }
  pango_layout_set_width(layout, high * PANGO_SCALE);
  return high;
}

void set_source(cairo_t* cr, std::uint32_t rgb, double alpha = 1.0) {
  cairo_set_source_rgba(cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
                        (rgb & 0xFF) / 255.0, alpha);
}

// cairo keeps premultiplied alpha in native-endian 32-bit words; the compositor wants
// straight alpha as the bytes B, G, R, A. Without undoing the premultiplication every
// semi-transparent pixel (the bar, the text's edges) would come out darker on air.
void copy_out(cairo_surface_t* surface, CaptionImage& image) {
  cairo_surface_flush(surface);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  const int source_stride = cairo_image_surface_get_stride(surface);
  image.stride = image.width * 4;
  image.pixels.assign(static_cast<std::size_t>(image.stride) * image.height, 0);
  for (int y = 0; y < image.height; ++y) {
    const unsigned char* row = data + static_cast<std::ptrdiff_t>(y) * source_stride;
    std::uint8_t* out = image.pixels.data() + static_cast<std::ptrdiff_t>(y) * image.stride;
    for (int x = 0; x < image.width; ++x, out += 4) {
      std::uint32_t word;
      std::memcpy(&word, row + x * 4, sizeof word);
      const std::uint32_t a = word >> 24;
      std::uint32_t r = (word >> 16) & 0xFF;
      std::uint32_t g = (word >> 8) & 0xFF;
      std::uint32_t b = word & 0xFF;
      if (a == 0) {
        r = g = b = 0;
      } else if (a < 255) {
        r = std::min<std::uint32_t>(255, (r * 255 + a / 2) / a);
        g = std::min<std::uint32_t>(255, (g * 255 + a / 2) / a);
        b = std::min<std::uint32_t>(255, (b * 255 + a / 2) / a);
      }
      out[0] = static_cast<std::uint8_t>(b);
      out[1] = static_cast<std::uint8_t>(g);
      out[2] = static_cast<std::uint8_t>(r);
      out[3] = static_cast<std::uint8_t>(a);
    }
  }
}

// A cleared canvas of the image's size, or nothing if cairo cannot make one.
struct Canvas {
  SurfacePtr surface;
  CairoPtr cr;
};

std::optional<Canvas> make_canvas(int width, int height) {
  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return std::nullopt;
  }
  CairoPtr cr(cairo_create(surface.get()));
  if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
    return std::nullopt;
  }
  return Canvas{std::move(surface), std::move(cr)};
}

}  // namespace

CaptionImage render_lower_third(std::string_view name, std::string_view role, int frame_width,
                                int frame_height, const CaptionStyle& style) {
  const std::string name_text = sanitize(name, false);
  const std::string role_text = sanitize(role, false);
  if (!frame_ok(frame_width, frame_height) || (name_text.empty() && role_text.empty())) {
    return {};
  }
  const SafeArea safe = safe_area(frame_width, frame_height);
  const double h = frame_height;

  // Everything in proportion to the frame height (name 4.4%, role 3.0%): legibility
  // depends on the share of the picture, not on the pixel count.
  const double stripe = std::max(2.0, std::round(h * 0.0075));
  const double pad_left = h * 0.026;
  const double pad_right = h * 0.032;
  const double pad_top = h * 0.013;
  const double pad_bottom = h * 0.017;
  const double gap = h * 0.004;
  // Wide enough for a typical role on two lines, narrow enough to leave the speaker
  // visible; never wider than title-safe (a 4:3 or portrait frame).
  const int max_width = std::min(safe.width(), even_down(h * 1.1));
  const int min_width = std::min(max_width, even_up(h * 0.42));
  const int max_text = static_cast<int>(max_width - stripe - pad_left - pad_right);
  if (max_text <= 0) {
    return {};
  }

  CaptionImage image;
  LayoutPtr name_layout;
  Extents name_box;
  if (!name_text.empty()) {
    name_layout = make_layout(kNameFont, h * 0.044, name_text);
    pango_layout_set_single_paragraph_mode(name_layout.get(), TRUE);
    pango_layout_set_ellipsize(name_layout.get(), PANGO_ELLIPSIZE_END);
    pango_layout_set_width(name_layout.get(), max_text * PANGO_SCALE);
    name_box = logical_extents(name_layout.get());
    image.unknown_glyphs += pango_layout_get_unknown_glyphs_count(name_layout.get());
  }
  LayoutPtr role_layout;
  Extents role_box;
  if (!role_text.empty()) {
    role_layout = make_layout(kRoleFont, h * 0.030, role_text);
    pango_layout_set_single_paragraph_mode(role_layout.get(), TRUE);
    pango_layout_set_wrap(role_layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_ellipsize(role_layout.get(), PANGO_ELLIPSIZE_END);
    pango_layout_set_height(role_layout.get(), -2);  // at most two lines
    balance_lines(role_layout.get(), max_text, static_cast<int>(std::ceil(name_box.width)));
    role_box = logical_extents(role_layout.get());
    image.unknown_glyphs += pango_layout_get_unknown_glyphs_count(role_layout.get());
  }

  const double text_width = std::max(name_box.width, role_box.width);
  const double text_height =
      name_box.height + role_box.height + (name_layout && role_layout ? gap : 0.0);
  image.width =
      std::clamp(even_up(stripe + pad_left + text_width + pad_right), min_width, max_width);
  image.height = std::min(safe.height(), even_up(pad_top + text_height + pad_bottom));
  image.x = safe.left;
  image.y = safe.bottom - image.height;

  auto canvas = make_canvas(image.width, image.height);
  if (!canvas) {
    return {};
  }
  cairo_t* cr = canvas->cr.get();
  cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
  set_source(cr, style.bar_rgb, std::clamp(style.bar_opacity, 0.0, 1.0));
  cairo_paint(cr);
  set_source(cr, style.accent_rgb);
  cairo_rectangle(cr, 0, 0, stripe, image.height);
  cairo_fill(cr);

  cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
  const double text_x = stripe + pad_left;
  double text_y = pad_top;
  if (name_layout) {
    set_source(cr, style.name_rgb);
    cairo_move_to(cr, text_x - name_box.x, text_y - name_box.y);
    pango_cairo_show_layout(cr, name_layout.get());
    text_y += name_box.height + gap;
  }
  if (role_layout) {
    set_source(cr, style.role_rgb);
    cairo_move_to(cr, text_x - role_box.x, text_y - role_box.y);
    pango_cairo_show_layout(cr, role_layout.get());
  }
  copy_out(canvas->surface.get(), image);
  return image;
}

CaptionImage render_title(std::string_view text, int frame_width, int frame_height,
                          const CaptionStyle& style) {
  if (!frame_ok(frame_width, frame_height)) {
    return {};
  }
  const std::string title = sanitize(text, true);
  const SafeArea safe = safe_area(frame_width, frame_height);
  const double h = frame_height;

  CaptionImage image;
  image.width = even_down(frame_width);
  image.height = even_down(frame_height);
  auto canvas = make_canvas(image.width, image.height);
  if (!canvas) {
    return {};
  }
  cairo_t* cr = canvas->cr.get();
  // A gentle top-to-bottom gradient reads as a designed slate rather than a dead feed.
  PatternPtr gradient(cairo_pattern_create_linear(0, 0, 0, image.height));
  auto stop = [&](double offset, std::uint32_t rgb) {
    cairo_pattern_add_color_stop_rgb(gradient.get(), offset, ((rgb >> 16) & 0xFF) / 255.0,
                                     ((rgb >> 8) & 0xFF) / 255.0, (rgb & 0xFF) / 255.0);
  };
  stop(0.0, style.slate_top_rgb);
  stop(1.0, style.slate_bottom_rgb);
  cairo_set_source(cr, gradient.get());
  cairo_paint(cr);

  if (!title.empty()) {
    const double rule_gap = h * 0.035;
    const double rule_height = std::max(2.0, std::round(h * 0.006));
    LayoutPtr layout = make_layout(kNameFont, h * 0.072, title);
    pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
    // Four lines is as much as a viewer reads off a slate; the rest is ellipsized. Four
    // lines at this size, centred, leave room in title-safe for the rule below them.
    pango_layout_set_height(layout.get(), -4);
    const int width = balance_lines(layout.get(), safe.width(), safe.width() / 3);
    const Extents box = logical_extents(layout.get());
    image.unknown_glyphs = pango_layout_get_unknown_glyphs_count(layout.get());

    const double top = (image.height - box.height) / 2.0;
    set_source(cr, style.name_rgb);
    cairo_move_to(cr, (image.width - width) / 2.0, top - box.y);
    pango_cairo_show_layout(cr, layout.get());

    const double rule_width = std::round(h * 0.12);
    set_source(cr, style.accent_rgb);
    cairo_rectangle(cr, std::round((image.width - rule_width) / 2.0),
                    std::round(top + box.height + rule_gap), rule_width, rule_height);
    cairo_fill(cr);
  }
  copy_out(canvas->surface.get(), image);
  return image;
}

CaptionImage render_caption(const config::Overlay& overlay, const config::Config& config) {
  const int w = config.video.width;
  const int h = config.video.height;
  if (overlay.type == config::OverlayType::lower_third) {
    const auto* speaker = config.find_speaker(overlay.speaker);
    return speaker != nullptr ? render_lower_third(speaker->name, speaker->role, w, h)
                              : CaptionImage{};
  }
  return render_title(overlay.text, w, h);
}

bool write_png(const CaptionImage& image, const std::filesystem::path& path) {
  if (image.empty() || image.stride < image.width * 4 ||
      image.pixels.size() < static_cast<std::size_t>(image.stride) * image.height) {
    return false;
  }
  auto canvas = make_canvas(image.width, image.height);
  if (!canvas) {
    return false;
  }
  cairo_surface_t* surface = canvas->surface.get();
  cairo_surface_flush(surface);
  unsigned char* data = cairo_image_surface_get_data(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  // Back to cairo's premultiplied words; its PNG writer undoes that again.
  for (int y = 0; y < image.height; ++y) {
    const std::uint8_t* in = image.pixels.data() + static_cast<std::ptrdiff_t>(y) * image.stride;
    unsigned char* row = data + static_cast<std::ptrdiff_t>(y) * stride;
    for (int x = 0; x < image.width; ++x, in += 4) {
      const std::uint32_t a = in[3];
      auto premultiply = [a](std::uint32_t c) { return (c * a + 127) / 255; };
      const std::uint32_t word =
          (a << 24) | (premultiply(in[2]) << 16) | (premultiply(in[1]) << 8) | premultiply(in[0]);
      std::memcpy(row + x * 4, &word, sizeof word);
    }
  }
  cairo_surface_mark_dirty(surface);
  return cairo_surface_write_to_png(surface, path.c_str()) == CAIRO_STATUS_SUCCESS;
}

}  // namespace hallcast::engine
