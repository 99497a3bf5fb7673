#include "engine/video/caption_renderer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "engine/video/caption_drawing.h"

namespace hallcast::engine {

using namespace drawing;

CaptionImage render_lower_third(std::string_view name, std::string_view role, int frame_width,
                                int frame_height, const CaptionStyle& style) {
  return render_lower_third(std::vector<CaptionName>{{std::string(name), std::string(role)}},
                            frame_width, frame_height, style);
}

CaptionImage render_lower_third(const std::vector<CaptionName>& names, int frame_width,
                                int frame_height, const CaptionStyle& style) {
  if (!frame_ok(frame_width, frame_height)) {
    return {};
  }
  std::vector<CaptionName> blocks;
  for (const auto& block : names) {
    CaptionName clean{sanitize(block.name, false), sanitize(block.role, false)};
    if (!clean.name.empty() || !clean.role.empty()) {
      blocks.push_back(std::move(clean));
    }
  }
  if (blocks.empty()) {
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
  // Between two languages' blocks: room for a thin rule that tells them apart.
  const double block_gap = h * 0.02;
  const double rule = std::max(1.0, std::round(h * 0.002));
  // Wide enough for a typical role on two lines, narrow enough to leave the speaker
  // visible; never wider than title-safe (a 4:3 or portrait frame).
  const int max_width = std::min(safe.width(), even_down(h * 1.1));
  const int min_width = std::min(max_width, even_up(h * 0.42));
  const int max_text = static_cast<int>(max_width - stripe - pad_left - pad_right);
  if (max_text <= 0) {
    return {};
  }

  CaptionImage image;
  struct Laid {
    LayoutPtr name;
    Extents name_box;
    LayoutPtr role;
    Extents role_box;
  };
  std::vector<Laid> laid(blocks.size());
  double widest_name = 0;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (!blocks[i].name.empty()) {
      laid[i].name = make_layout(kNameFont, h * 0.044, blocks[i].name);
      pango_layout_set_single_paragraph_mode(laid[i].name.get(), TRUE);
      pango_layout_set_ellipsize(laid[i].name.get(), PANGO_ELLIPSIZE_END);
      pango_layout_set_width(laid[i].name.get(), max_text * PANGO_SCALE);
      laid[i].name_box = logical_extents(laid[i].name.get());
      image.unknown_glyphs += pango_layout_get_unknown_glyphs_count(laid[i].name.get());
      widest_name = std::max(widest_name, laid[i].name_box.width);
    }
  }
  double text_width = widest_name;
  double text_height = 0;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (!blocks[i].role.empty()) {
      laid[i].role = make_layout(kRoleFont, h * 0.030, blocks[i].role);
      pango_layout_set_single_paragraph_mode(laid[i].role.get(), TRUE);
      pango_layout_set_wrap(laid[i].role.get(), PANGO_WRAP_WORD_CHAR);
      pango_layout_set_ellipsize(laid[i].role.get(), PANGO_ELLIPSIZE_END);
      pango_layout_set_height(laid[i].role.get(), -2);  // at most two lines
      balance_lines(laid[i].role.get(), max_text, static_cast<int>(std::ceil(widest_name)));
      laid[i].role_box = logical_extents(laid[i].role.get());
      image.unknown_glyphs += pango_layout_get_unknown_glyphs_count(laid[i].role.get());
      text_width = std::max(text_width, laid[i].role_box.width);
    }
    text_height += laid[i].name_box.height + laid[i].role_box.height +
                   (laid[i].name && laid[i].role ? gap : 0.0) + (i > 0 ? block_gap : 0.0);
  }
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
  for (std::size_t i = 0; i < laid.size(); ++i) {
    if (i > 0) {
      set_source(cr, style.role_rgb, 0.45);
      cairo_rectangle(cr, text_x, std::round(text_y + (block_gap - rule) / 2.0),
                      std::min(text_width, image.width - text_x - pad_right), rule);
      cairo_fill(cr);
      text_y += block_gap;
    }
    if (laid[i].name) {
      set_source(cr, style.name_rgb);
      cairo_move_to(cr, text_x - laid[i].name_box.x, text_y - laid[i].name_box.y);
      pango_cairo_show_layout(cr, laid[i].name.get());
      text_y += laid[i].name_box.height + (laid[i].role ? gap : 0.0);
    }
    if (laid[i].role) {
      set_source(cr, style.role_rgb);
      cairo_move_to(cr, text_x - laid[i].role_box.x, text_y - laid[i].role_box.y);
      pango_cairo_show_layout(cr, laid[i].role.get());
      text_y += laid[i].role_box.height;
    }
  }
  copy_out(canvas->surface.get(), image);
  return image;
}

CaptionImage render_countdown(std::string_view text, int frame_width, int frame_height,
                              const CaptionStyle& style) {
  const std::string line = sanitize(text, false);
  if (!frame_ok(frame_width, frame_height) || line.empty()) {
    return {};
  }
  const SafeArea safe = safe_area(frame_width, frame_height);
  const double h = frame_height;
  // A slate's type size in a lower third's bar: read from across the hall's screen and
  // at home, while the hall's picture stays visible around it.
  const double stripe = std::max(2.0, std::round(h * 0.0075));
  const double pad_x = h * 0.045;
  const double pad_y = h * 0.03;
  LayoutPtr layout = make_layout(kNameFont, h * 0.072, line);
  pango_layout_set_single_paragraph_mode(layout.get(), TRUE);
  pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
  pango_layout_set_width(layout.get(),
                         static_cast<int>(safe.width() - stripe - 2 * pad_x) * PANGO_SCALE);
  const Extents box = logical_extents(layout.get());

  CaptionImage image;
  image.unknown_glyphs = pango_layout_get_unknown_glyphs_count(layout.get());
  image.width = std::min(safe.width(), even_up(stripe + 2 * pad_x + box.width));
  image.height = std::min(safe.height(), even_up(2 * pad_y + box.height));
  // Centred in the frame, on the chroma grid.
  image.x = even_down((frame_width - image.width) / 2.0);
  image.y = even_down((frame_height - image.height) / 2.0);

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
  set_source(cr, style.name_rgb);
  cairo_move_to(cr, stripe + (image.width - stripe - box.width) / 2.0 - box.x,
                (image.height - box.height) / 2.0 - box.y);
  pango_cairo_show_layout(cr, layout.get());
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
