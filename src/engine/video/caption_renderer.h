// On-screen captions (a speaker's lower third, a title slate) rendered once into an
// image that the engine hands to the video compositor as a still, so the per-frame
// cost is only the blend. Text is laid out by Pango and drawn by cairo; no GStreamer
// here, so the look can be tested and inspected without a pipeline.
//
// Sizes are proportional to the frame height, so a caption keeps its look from 320x180
// to 1920x1080, and everything stays inside the title-safe area (the middle 90% of
// the frame).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace hallcast::engine {

// A caption ready for the compositor. Empty (width == 0) when there is nothing to show
// or the frame is too small to hold any text.
struct CaptionImage {
  int x = 0;  // where the image sits in the programme frame, in pixels
  int y = 0;
  int width = 0;  // even, for the I420/A420 conversion downstream
  int height = 0;
  int stride = 0;  // bytes per row
  // Straight (not premultiplied) alpha, bytes B, G, R, A per pixel, row-major: the
  // layout of GStreamer's "BGRA" video format, which is what the compositor blends.
  std::vector<std::uint8_t> pixels;
  // Characters the installed fonts have no glyph for (drawn as hex boxes); the engine
  // can warn the operator instead of putting boxes on air.
  int unknown_glyphs = 0;

  bool empty() const { return width == 0 || height == 0; }
};

// Colours of the captions; the defaults are the house style.
struct CaptionStyle {
  std::uint32_t bar_rgb = 0x0C2452;     // deep blue
  double bar_opacity = 0.88;            // lets a little of the picture through
  std::uint32_t accent_rgb = 0xF2A900;  // the stripe beside the text, amber
  std::uint32_t name_rgb = 0xFFFFFF;
  std::uint32_t role_rgb = 0xE1E8F2;  // a touch dimmer than the name, for hierarchy
  std::uint32_t slate_top_rgb = 0x132C55;
  std::uint32_t slate_bottom_rgb = 0x070F1F;
};

// A speaker's lower third: `name` (bold) over `role` (smaller, at most two lines, the
// rest ellipsized) on a semi-opaque bar with an accent stripe, left-aligned in the
// lower-left corner of title-safe. An empty role gives a single-line bar; an empty
// name and role give an empty image. Input is UTF-8; invalid bytes become U+FFFD.
CaptionImage render_lower_third(std::string_view name, std::string_view role, int frame_width,
                                int frame_height, const CaptionStyle& style = {});

// One language's name and role in a lower third.
struct CaptionName {
  std::string name;
  std::string role;
};

// A lower third for several audiences at once: each language's name and role, one
// under the other in the order given (Latin over Cyrillic), a thin rule between them.
// The programme is encoded once for every platform, so each audience finds its own.
// Blocks with neither name nor role are left out; none left gives an empty image.
CaptionImage render_lower_third(const std::vector<CaptionName>& names, int frame_width,
                                int frame_height, const CaptionStyle& style = {});

// A countdown (or any one-line notice over the picture): `text` large on the lower
// third's bar, centred in the frame, so the hall's picture stays visible around it.
CaptionImage render_countdown(std::string_view text, int frame_width, int frame_height,
                              const CaptionStyle& style = {});

// A title slate: `text` large and centred on an opaque full-frame background, wrapped
// within title-safe (ellipsized if it would not fit).
CaptionImage render_title(std::string_view text, int frame_width, int frame_height,
                          const CaptionStyle& style = {});

// Writes `image` as a PNG, for an operator or a test to look at. False on failure.
bool write_png(const CaptionImage& image, const std::filesystem::path& path);

}  // namespace hallcast::engine
