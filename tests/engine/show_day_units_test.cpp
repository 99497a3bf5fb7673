// The small pieces of the show's day, without a pipeline: bilingual lower thirds and
// countdowns as the renderer draws them, an overlay's picture from its words, and the
// gate that lets a clip's sound into the floor.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "engine/audio/audio_dsp.h"
#include "engine/video/caption_renderer.h"
#include "engine/video/overlay_deck.h"

namespace hallcast::engine {
namespace {

// Rows of `image` with a bright (text) pixel.
int text_rows(const CaptionImage& image) {
  int rows = 0;
  for (int y = 0; y < image.height; ++y) {
    bool bright = false;
    for (int x = 0; x < image.width && !bright; ++x) {
      const std::uint8_t* p =
          image.pixels.data() + static_cast<std::size_t>(y) * image.stride + x * 4;
      bright = p[0] > 200 && p[1] > 200 && p[2] > 200 && p[3] > 200;
    }
    rows += bright ? 1 : 0;
  }
  return rows;
}

TEST(BilingualLowerThird, LatinOverCyrillicInOneBar) {
  const CaptionImage latin =
      render_lower_third("Taisuke Abiru", "Senior Research Fellow", 1280, 720);
  const CaptionImage both =
      render_lower_third(std::vector<CaptionName>{{"Taisuke Abiru", "Senior Research Fellow"},
                                                  {"Тайсукэ Абиру", "Старший научный сотрудник"}},
                         1280, 720);
  ASSERT_FALSE(latin.empty());
  ASSERT_FALSE(both.empty());
  EXPECT_EQ(both.unknown_glyphs, 0) << "Cyrillic drawn as letters";
  // The same corner of title-safe, taller by a second name and role.
  EXPECT_EQ(both.x, latin.x);
  EXPECT_EQ(both.y + both.height, latin.y + latin.height);
  EXPECT_GT(both.height, latin.height * 17 / 10);
  EXPECT_GT(text_rows(both), text_rows(latin) * 17 / 10);
  // One block is the plain lower third, pixel for pixel.
  const CaptionImage one = render_lower_third(
      std::vector<CaptionName>{{"Taisuke Abiru", "Senior Research Fellow"}}, 1280, 720);
  EXPECT_EQ(one.pixels, latin.pixels);
  // A form with neither name nor role is left out.
  const CaptionImage empty_form = render_lower_third(
      std::vector<CaptionName>{{"Taisuke Abiru", "Senior Research Fellow"}, {" ", ""}}, 1280, 720);
  EXPECT_EQ(empty_form.pixels, latin.pixels);
  EXPECT_TRUE(render_lower_third(std::vector<CaptionName>{}, 1280, 720).empty());
}

TEST(CountdownCaption, CentredOverThePictureOnTheBar) {
  const CaptionImage image = render_countdown("Starts in 4:59", 1280, 720);
  ASSERT_FALSE(image.empty());
  EXPECT_NEAR(image.x + image.width / 2.0, 640, 2);
  EXPECT_NEAR(image.y + image.height / 2.0, 360, 2);
  EXPECT_LT(image.width, 1280 * 9 / 10) << "the picture shows around it";
  EXPECT_EQ(image.x % 2, 0);
  EXPECT_EQ(image.y % 2, 0);
  // Every second's text is as wide: the bar does not jump as the digits change.
  EXPECT_EQ(render_countdown("Starts in 0:00", 1280, 720).width, image.width);
  EXPECT_EQ(render_countdown("Начало через 1:00", 1280, 720).unknown_glyphs, 0);
  EXPECT_TRUE(render_countdown("", 1280, 720).empty());
}

TEST(OverlayPicture, FromTheOverlaysWords) {
  show::OverlayStatus lower_third;
  lower_third.type = config::OverlayType::lower_third;
  lower_third.content = {"Vasily Kashin", "Director", {{"ru", "Василий Кашин", "Директор"}}, ""};
  const CaptionImage drawn = render_overlay(lower_third, "", 640, 360);
  const CaptionImage expected = render_lower_third(
      std::vector<CaptionName>{{"Vasily Kashin", "Director"}, {"Василий Кашин", "Директор"}}, 640,
      360);
  EXPECT_EQ(drawn.pixels, expected.pixels);

  show::OverlayStatus countdown;
  countdown.type = config::OverlayType::countdown;
  countdown.content.text = "T-{remaining}";
  EXPECT_EQ(render_overlay(countdown, "0:42", 640, 360).pixels,
            render_countdown("T-0:42", 640, 360).pixels);

  show::OverlayStatus title;
  title.type = config::OverlayType::title;
  title.content.text = "Перерыв";
  EXPECT_EQ(render_overlay(title, "", 640, 360).pixels, render_title("Перерыв", 640, 360).pixels);
}

TEST(ClipGate, ClosedSilentOpenUnityWithARampBetween) {
  constexpr int rate = 48000;
  Gate gate(rate);
  std::vector<float> block(480 * 2, 0.5f);
  gate.process(block.data(), 480, 2);
  EXPECT_EQ(block.front(), 0.0f) << "closed at first";
  EXPECT_EQ(block.back(), 0.0f);

  gate.set_open(true, 20.0);  // 960 samples
  std::vector<float> ramp(1920 * 2, 1.0f);
  gate.process(ramp.data(), 1920, 2);
  EXPECT_NEAR(ramp[0], 1.0 / 960, 1e-3) << "no jump: a click";
  EXPECT_NEAR(ramp[480 * 2], 0.5, 0.01) << "halfway at 10 ms";
  EXPECT_EQ(ramp[1000 * 2], 1.0f) << "open after 20 ms";
  EXPECT_EQ(ramp.back(), 1.0f);

  gate.set_open(false, 1000.0);  // a one-second fade away from the clip
  std::vector<float> fade(24000 * 2, 1.0f);
  gate.process(fade.data(), 24000, 2);
  EXPECT_NEAR(fade.back(), 0.5, 0.01) << "halfway through the fade";
}

}  // namespace
}  // namespace hallcast::engine
