#include "engine/video/caption_drawing.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace hallcast::engine::drawing {
namespace {

struct FontOptionsDestroy {
  void operator()(cairo_font_options_t* p) const { cairo_font_options_destroy(p); }
};
struct FontDescriptionFree {
  void operator()(PangoFontDescription* p) const { pango_font_description_free(p); }
};
struct GFree {
  void operator()(gpointer p) const { g_free(p); }
};
using FontOptionsPtr = std::unique_ptr<cairo_font_options_t, FontOptionsDestroy>;
using FontDescriptionPtr = std::unique_ptr<PangoFontDescription, FontDescriptionFree>;
using ContextPtr = std::unique_ptr<PangoContext, GObjectUnref>;
using GCharPtr = std::unique_ptr<gchar, GFree>;

// Beyond this a caption is unreadable anyway, and Pango's cost grows with the text.
constexpr int kMaxChars = 400;
constexpr int kMinFrameSide = 64;
constexpr int kMaxFrameSide = 8192;

}  // namespace

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

SafeArea safe_area(int frame_width, int frame_height) {
  return {even_up(frame_width * 0.05), even_up(frame_height * 0.05), even_down(frame_width * 0.95),
          even_down(frame_height * 0.95)};
}

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

void set_source(cairo_t* cr, std::uint32_t rgb, double alpha) {
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

}  // namespace hallcast::engine::drawing
