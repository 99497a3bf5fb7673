// The caption renderer: assertions on the pixels it hands the compositor. Set
// HALLCAST_KEEP_TEST_FILES to keep PNGs of the captions for a human to look at.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>

#include "engine/video/caption_renderer.h"
#include "support/temp_dir.h"

namespace hallcast::engine {
namespace {

constexpr const char* kLatinName = "Vasily Kashin";
constexpr const char* kLatinRole =
    "Director, Center for Comprehensive European and International Studies, HSE";
constexpr const char* kCyrillicName = "Василий Кашин";
constexpr const char* kCyrillicRole =
    "Директор Центра комплексных европейских и международных исследований НИУ ВШЭ";

struct Pixel {
  int b, g, r, a;
};

Pixel pixel_at(const CaptionImage& image, int x, int y) {
  const std::uint8_t* p = image.pixels.data() + y * image.stride + x * 4;
  return {p[0], p[1], p[2], p[3]};
}

// Text pixels: near-white and near-opaque. The bar (dark blue) and the accent stripe
// (amber, no blue) never pass.
bool bright(const Pixel& p) {
  return p.r > 190 && p.g > 190 && p.b > 190 && p.a > 200;
}

struct BrightBox {
  int count = 0;
  int left = 1 << 30, top = 1 << 30, right = -1, bottom = -1;  // inclusive
};

BrightBox bright_box(const CaptionImage& image) {
  BrightBox box;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      if (bright(pixel_at(image, x, y))) {
        ++box.count;
        box.left = std::min(box.left, x);
        box.right = std::max(box.right, x);
        box.top = std::min(box.top, y);
        box.bottom = std::max(box.bottom, y);
      }
    }
  }
  return box;
}

void expect_well_formed(const CaptionImage& image) {
  ASSERT_FALSE(image.empty());
  EXPECT_EQ(image.width % 2, 0);
  EXPECT_EQ(image.height % 2, 0);
  EXPECT_EQ(image.stride, image.width * 4);
  EXPECT_EQ(image.pixels.size(), static_cast<std::size_t>(image.stride) * image.height);
}

void expect_in_title_safe(const CaptionImage& image, int frame_width, int frame_height) {
  EXPECT_GE(image.x, frame_width * 0.05) << frame_width << "x" << frame_height;
  EXPECT_GE(image.y, frame_height * 0.05) << frame_width << "x" << frame_height;
  EXPECT_LE(image.x + image.width, frame_width * 0.95) << frame_width << "x" << frame_height;
  EXPECT_LE(image.y + image.height, frame_height * 0.95) << frame_width << "x" << frame_height;
}

// With HALLCAST_KEEP_TEST_FILES set, saves the image into one folder per run (its path
// is printed at exit).
void keep(const CaptionImage& image, const std::string& name) {
  if (!testing::keep_test_files()) {
    return;
  }
  static testing::TempDir folder("hallcast-captions");
  const auto path = folder.path() / (name + ".png");
  EXPECT_TRUE(write_png(image, path)) << path;
}

TEST(CaptionLowerThird, SitsInTheLowerLeftOfTitleSafe) {
  for (auto [w, h] : {std::pair{1280, 720}, {1920, 1080}, {320, 180}, {640, 480}, {720, 1280}}) {
    const CaptionImage image = render_lower_third(kLatinName, kLatinRole, w, h);
    expect_well_formed(image);
    expect_in_title_safe(image, w, h);
    EXPECT_EQ(image.x, static_cast<int>(std::ceil(w * 0.05 / 2)) * 2) << "left edge of title-safe";
    EXPECT_GE(image.y, h * 2 / 3) << w << "x" << h << ": in the lower third";
    EXPECT_GE(image.y + image.height, h * 0.94) << "sits on the bottom of title-safe";
    EXPECT_EQ(image.unknown_glyphs, 0);
  }
}

TEST(CaptionLowerThird, OpaqueBarWithWhiteTextInsideIt) {
  const CaptionImage image = render_lower_third(kLatinName, kLatinRole, 1280, 720);
  expect_well_formed(image);
  keep(image, "lower_third_latin_1280x720");

  // The whole image is the bar: at least the bar's opacity everywhere.
  const int min_alpha = static_cast<int>(CaptionStyle{}.bar_opacity * 255) - 1;
  int translucent = 0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      translucent += pixel_at(image, x, y).a < min_alpha;
    }
  }
  EXPECT_EQ(translucent, 0);

  // Plenty of text, all of it inside the padding: none on the stripe or the edges.
  const BrightBox text = bright_box(image);
  EXPECT_GT(text.count, 3000);
  EXPECT_GT(text.left, 720 * 0.02);
  EXPECT_GT(text.top, 720 * 0.01);
  EXPECT_LT(text.right, image.width - 720 * 0.02);
  EXPECT_LT(text.bottom, image.height - 720 * 0.01);
  // The name is large: its rows start in the top half, the role's end in the bottom.
  EXPECT_LT(text.top, image.height / 4);
  EXPECT_GT(text.bottom, image.height * 3 / 4);

  // The role's two lines are balanced, which keeps the bar compact.
  EXPECT_LT(image.width, 1280 * 0.45);

  // The accent stripe on the left edge, opaque.
  const Pixel stripe = pixel_at(image, 1, image.height / 2);
  EXPECT_EQ(stripe.a, 255);
  EXPECT_GT(stripe.r, 200);
  EXPECT_LT(stripe.b, 60);
}

TEST(CaptionLowerThird, AlphaIsStraightNotPremultiplied) {
  CaptionStyle style;
  style.bar_rgb = 0x3060C0;
  style.bar_opacity = 128 / 255.0;
  const CaptionImage image = render_lower_third(kLatinName, "", 1280, 720, style);
  expect_well_formed(image);
  // The top-right corner is bare bar.
  const Pixel corner = pixel_at(image, image.width - 1, 0);
  EXPECT_NEAR(corner.a, 128, 1);
  // Premultiplied, these would be about half: 0x18, 0x30, 0x60.
  EXPECT_NEAR(corner.r, 0x30, 2);
  EXPECT_NEAR(corner.g, 0x60, 2);
  EXPECT_NEAR(corner.b, 0xC0, 2);

  // Text drawn over the half-transparent bar is opaque white, not greyed.
  const BrightBox text = bright_box(image);
  EXPECT_GT(text.count, 500);

  // The default bar too: its colour as specified, its alpha ~88%.
  const CaptionImage house = render_lower_third(kLatinName, kLatinRole, 1280, 720);
  const Pixel bar = pixel_at(house, house.width - 1, 0);
  const std::uint32_t rgb = CaptionStyle{}.bar_rgb;
  EXPECT_NEAR(bar.a, CaptionStyle{}.bar_opacity * 255, 1);
  EXPECT_NEAR(bar.r, (rgb >> 16) & 0xFF, 2);
  EXPECT_NEAR(bar.g, (rgb >> 8) & 0xFF, 2);
  EXPECT_NEAR(bar.b, rgb & 0xFF, 2);
}

TEST(CaptionLowerThird, CyrillicRendersAsLettersNotBoxes) {
  const CaptionImage latin = render_lower_third(kLatinName, "", 1280, 720);
  const CaptionImage cyrillic = render_lower_third(kCyrillicName, "", 1280, 720);
  const CaptionImage other = render_lower_third("Тайсукэ Абиру", "", 1280, 720);
  expect_well_formed(cyrillic);
  keep(render_lower_third(kCyrillicName, kCyrillicRole, 1280, 720),
       "lower_third_cyrillic_1280x720");

  // The fonts have every glyph: no hex boxes.
  EXPECT_EQ(cyrillic.unknown_glyphs, 0);
  EXPECT_EQ(other.unknown_glyphs, 0);
  EXPECT_EQ(render_lower_third(kCyrillicName, kCyrillicRole, 1280, 720).unknown_glyphs, 0);

  // As much ink and width as a Latin name of the same length.
  const BrightBox latin_text = bright_box(latin);
  const BrightBox cyrillic_text = bright_box(cyrillic);
  EXPECT_GT(cyrillic_text.count, latin_text.count * 0.7);
  EXPECT_LT(cyrillic_text.count, latin_text.count * 1.4);
  const int latin_width = latin_text.right - latin_text.left;
  const int cyrillic_width = cyrillic_text.right - cyrillic_text.left;
  EXPECT_GT(cyrillic_width, latin_width * 0.8);
  EXPECT_LT(cyrillic_width, latin_width * 1.25);

  // Different names, different pictures.
  EXPECT_NE(cyrillic.pixels, other.pixels);

  // The counter does see a character no font has (a private-use code point), so the
  // zero above means something; such text looks different from real letters.
  const CaptionImage boxes = render_lower_third(
      "\U000F0001\U000F0002\U000F0003\U000F0004 \U000F0005\U000F0006", "", 1280, 720);
  EXPECT_GT(boxes.unknown_glyphs, 0);
}

TEST(CaptionLowerThird, EmptyRoleGivesOneLineBar) {
  const CaptionImage both = render_lower_third(kLatinName, "Professor", 1280, 720);
  const CaptionImage name_only = render_lower_third(kLatinName, "", 1280, 720);
  const CaptionImage whitespace_role = render_lower_third(kLatinName, " \t\n ", 1280, 720);
  expect_well_formed(name_only);
  keep(name_only, "lower_third_name_only_1280x720");
  EXPECT_LT(name_only.height, both.height);
  EXPECT_LT(name_only.height, 720 * 0.09);
  EXPECT_EQ(name_only.y + name_only.height, both.y + both.height);
  EXPECT_EQ(whitespace_role.height, name_only.height);
  EXPECT_EQ(whitespace_role.pixels, name_only.pixels);

  const CaptionImage role_only = render_lower_third("", "Moderator", 1280, 720);
  expect_well_formed(role_only);
  EXPECT_GT(bright_box(role_only).count, 100);

  EXPECT_TRUE(render_lower_third("", "", 1280, 720).empty());
  EXPECT_TRUE(render_lower_third("  ", "\n", 1280, 720).empty());
}

TEST(CaptionLowerThird, ScalesWithTheFrameHeight) {
  const CaptionImage small = render_lower_third(kLatinName, kLatinRole, 1280, 720);
  const CaptionImage large = render_lower_third(kLatinName, kLatinRole, 1920, 1080);
  expect_well_formed(large);
  keep(large, "lower_third_latin_1920x1080");
  EXPECT_NEAR(large.width, small.width * 1.5, 4);
  EXPECT_NEAR(large.height, small.height * 1.5, 4);
  EXPECT_NEAR(large.x, small.x * 1.5, 2);
  EXPECT_NEAR(large.y, small.y * 1.5, 4);
  // The text scales too (area: 1.5 squared).
  EXPECT_NEAR(bright_box(large).count, bright_box(small).count * 2.25,
              bright_box(small).count * 2.25 * 0.15);
}

TEST(CaptionLowerThird, LongTextStaysInTitleSafe) {
  std::string long_role;
  for (int i = 0; i < 40; ++i) {
    long_role += "Chair of the Interdepartmental Committee ";
  }
  const std::string long_name(300, 'W');
  const CaptionImage two_lines = render_lower_third(kLatinName, kLatinRole, 1280, 720);
  for (auto [w, h] : {std::pair{1280, 720}, {320, 180}, {1920, 1080}, {480, 640}}) {
    const CaptionImage role = render_lower_third(kLatinName, long_role, w, h);
    expect_well_formed(role);
    expect_in_title_safe(role, w, h);
    const CaptionImage name = render_lower_third(long_name, long_role, w, h);
    expect_well_formed(name);
    expect_in_title_safe(name, w, h);
    if (w == 1280) {
      keep(name, "lower_third_overlong_1280x720");
      // Two role lines at most: no taller than a role that needs two.
      EXPECT_LE(role.height, two_lines.height + 2);
      EXPECT_LE(name.height, two_lines.height + 2);
    }
  }
  // One unbreakable word wraps by character rather than running off.
  const CaptionImage word = render_lower_third(kLatinName, std::string(500, 'x'), 1280, 720);
  expect_in_title_safe(word, 1280, 720);
}

TEST(CaptionLowerThird, InvalidUtf8AndControlCharactersAreHarmless) {
  const std::string bad("Bad\xff\xfe Na\0me\xd0", 13);
  const CaptionImage image = render_lower_third(bad, "\x01\x1b[31mred\xc3", 1280, 720);
  expect_well_formed(image);
  EXPECT_GT(bright_box(image).count, 500);
  const CaptionImage title = render_title(bad, 1280, 720);
  expect_well_formed(title);
}

TEST(CaptionLowerThird, NonsenseFramesGiveNoImage) {
  EXPECT_TRUE(render_lower_third(kLatinName, kLatinRole, 0, 0).empty());
  EXPECT_TRUE(render_lower_third(kLatinName, kLatinRole, -1280, 720).empty());
  EXPECT_TRUE(render_lower_third(kLatinName, kLatinRole, 16, 16).empty());
  EXPECT_TRUE(render_lower_third(kLatinName, kLatinRole, 100000, 720).empty());
  EXPECT_TRUE(render_title("Title", 0, 720).empty());
}

TEST(CaptionTitle, CentredOnAnOpaqueFullFrame) {
  const CaptionImage image =
      render_title("Russia and Asia: Security in a Changing World", 1280, 720);
  expect_well_formed(image);
  keep(image, "title_1280x720");
  EXPECT_EQ(image.x, 0);
  EXPECT_EQ(image.y, 0);
  EXPECT_EQ(image.width, 1280);
  EXPECT_EQ(image.height, 720);
  int translucent = 0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      translucent += pixel_at(image, x, y).a != 255;
    }
  }
  EXPECT_EQ(translucent, 0);

  const BrightBox text = bright_box(image);
  EXPECT_GT(text.count, 10000);
  EXPECT_NEAR((text.left + text.right) / 2.0, 640, 720 * 0.02);
  EXPECT_NEAR((text.top + text.bottom) / 2.0, 360, 720 * 0.03);
  EXPECT_GE(text.left, 1280 * 0.05);
  EXPECT_LE(text.right, 1280 * 0.95);
  // The background is dark: a corner pixel.
  const Pixel corner = pixel_at(image, 0, 0);
  EXPECT_LT(corner.r + corner.g + corner.b, 3 * 100);
}

TEST(CaptionTitle, LongTextWrapsWithinTitleSafe) {
  std::string text;
  for (int i = 0; i < 30; ++i) {
    text += "Международная конференция ";
  }
  for (auto [w, h] : {std::pair{1280, 720}, {320, 180}, {1920, 1080}, {1281, 721}}) {
    const CaptionImage image = render_title(text, w, h);
    expect_well_formed(image);
    EXPECT_LE(image.width, w);
    EXPECT_LE(image.height, h);
    EXPECT_GE(image.width, w - 1);
    EXPECT_EQ(image.unknown_glyphs, 0);
    const BrightBox box = bright_box(image);
    EXPECT_GE(box.left, w * 0.05) << w << "x" << h;
    EXPECT_LE(box.right, w * 0.95) << w << "x" << h;
    EXPECT_GE(box.top, h * 0.05) << w << "x" << h;
    EXPECT_LE(box.bottom, h * 0.95) << w << "x" << h;
    if (w == 1280) {
      keep(image, "title_overlong_1280x720");
    }
  }
  const CaptionImage lines = render_title("Panel 2\nRussia and Asia", 1280, 720);
  keep(lines, "title_two_lines_1280x720");
  const BrightBox box = bright_box(lines);
  EXPECT_GT(box.bottom - box.top, 720 * 0.1) << "the line break is kept";
  EXPECT_FALSE(render_title("", 1280, 720).empty()) << "a plain slate";
}

}  // namespace
}  // namespace hallcast::engine
