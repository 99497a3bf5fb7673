// Captions made, reworded and deleted while the show runs, on the decoded programme: a
// questioner's lower third typed in Latin, corrected to Cyrillic, then deleted, each
// state compared with the renderer's own picture of those words. The correction is
// ordered together with a cut, whose frame is known exactly: the new words must be on
// that very frame (or the next), never a frame of nothing or of both in between.
#include <gtest/gtest.h>

#include <iostream>
#include <sstream>

#include "show_day_support.h"

namespace hallcast::engine::test {
namespace {

using namespace std::chrono_literals;
using testing::median_colour;

const show::OverlayText kLatin{"Maria Ivanova", "MGIMO University", {}, ""};
const show::OverlayText kCyrillic{"Мария Иванова", "МГИМО", {{"en", "Maria Ivanova", "MGIMO"}}, ""};

CaptionImage picture_of(const show::OverlayText& text) {
  show::OverlayStatus overlay;
  overlay.type = config::OverlayType::lower_third;
  overlay.content = text;
  std::vector<CaptionName> names{{text.name, text.role}};
  for (const auto& form : text.forms) {
    names.push_back({form.name, form.role});
  }
  return render_lower_third(names, kWidth, kHeight);
}

// The smallest rectangle holding both captions: the region either may show in.
CaptionImage union_region(const CaptionImage& a, const CaptionImage& b) {
  CaptionImage region;
  region.x = std::min(a.x, b.x);
  region.y = std::min(a.y, b.y);
  region.width = std::max(a.x + a.width, b.x + b.width) - region.x;
  region.height = std::max(a.y + a.height, b.y + b.height) - region.y;
  return region;
}

// `image` placed in `region` over `background`: what the programme shows there.
testing::RgbImage expected_in(const CaptionImage& region, const CaptionImage* image,
                              testing::Rgb background) {
  testing::RgbImage out;
  out.width = region.width;
  out.height = region.height;
  out.pixels.resize(static_cast<std::size_t>(region.width) * region.height * 3);
  for (int y = 0; y < region.height; ++y) {
    for (int x = 0; x < region.width; ++x) {
      std::uint8_t* o = out.pixels.data() + (static_cast<std::size_t>(y) * region.width + x) * 3;
      double r = background.r, g = background.g, b = background.b;
      const int ix = region.x + x - (image ? image->x : 0);
      const int iy = region.y + y - (image ? image->y : 0);
      if (image && ix >= 0 && iy >= 0 && ix < image->width && iy < image->height) {
        const std::uint8_t* p =
            image->pixels.data() + static_cast<std::size_t>(iy) * image->stride + ix * 4;
        const double a = p[3] / 255.0;
        r = p[2] * a + r * (1 - a);
        g = p[1] * a + g * (1 - a);
        b = p[0] * a + b * (1 - a);
      }
      o[0] = static_cast<std::uint8_t>(r);
      o[1] = static_cast<std::uint8_t>(g);
      o[2] = static_cast<std::uint8_t>(b);
    }
  }
  return out;
}

TEST(LiveCaptions, CreatedCorrectedToCyrillicAndDeletedOnTheProgramme) {
  RecordedEngine show(colour_show({}));
  show.start();
  std::this_thread::sleep_for(1200ms);  // the recording's first keyframe

  show::OverlayCreate create{"q1", config::OverlayType::lower_third, kLatin};
  ASSERT_TRUE(show.run(create).ok());
  const auto* made = show.state()->find_overlay("q1");
  ASSERT_NE(made, nullptr);
  EXPECT_TRUE(made->created);
  EXPECT_FALSE(made->visible) << "a new caption waits to be shown";
  EXPECT_EQ(made->content, kLatin);
  EXPECT_EQ(show.run(create).error, show::ErrorCode::already_exists);
  ASSERT_TRUE(show.run(show::OverlayShow{"q1"}).ok());
  std::this_thread::sleep_for(1200ms);

  // The correction, and at once a cut: the cut's frame is the measure of "at once".
  show::OverlayUpdate update{
      "q1",           std::nullopt, kCyrillic.name,
      kCyrillic.role, std::nullopt, {{"en", std::string("Maria Ivanova"), std::string("MGIMO")}}};
  ASSERT_TRUE(show.run(update).ok());
  ASSERT_TRUE(show.run(show::SceneCut{"blue"}).ok());
  EXPECT_EQ(show.state()->find_overlay("q1")->content, kCyrillic);
  EXPECT_EQ(show.state()->find_overlay("q1")->label, "Мария Иванова");
  std::this_thread::sleep_for(1200ms);

  ASSERT_TRUE(show.run(show::OverlayDelete{"q1"}).ok());
  EXPECT_EQ(show.state()->find_overlay("q1"), nullptr);
  EXPECT_EQ(show.run(show::OverlayShow{"q1"}).error, show::ErrorCode::unknown_overlay);
  std::this_thread::sleep_for(1000ms);

  // The events: made (hidden), shown, new words, deleted.
  std::vector<std::string> said;
  for (const auto& seen : show.events()) {
    if (const auto* o = std::get_if<show::OverlayChanged>(&seen.event)) {
      said.push_back(o->status.visible ? "shown:" + o->status.label : "hidden:" + o->status.label);
    } else if (const auto* d = std::get_if<show::OverlayDeleted>(&seen.event)) {
      said.push_back("deleted:" + d->id);
    }
  }
  EXPECT_EQ(said, (std::vector<std::string>{"hidden:Maria Ivanova", "shown:Maria Ivanova",
                                            "shown:Мария Иванова", "deleted:q1"}));

  const auto recording = show.stop_and_decode();
  const CaptionImage latin = picture_of(kLatin);
  const CaptionImage cyrillic = picture_of(kCyrillic);
  ASSERT_FALSE(latin.empty());
  ASSERT_FALSE(cyrillic.empty());
  EXPECT_EQ(cyrillic.unknown_glyphs, 0) << "Cyrillic letters, not boxes";
  EXPECT_GT(cyrillic.height, latin.height) << "two languages, one under the other";
  const CaptionImage region = union_region(latin, cyrillic);

  // Each frame: its background (red or blue) and which caption it shows best.
  enum Look { none, latin_words, cyrillic_words, fading };
  std::vector<Look> looks;
  std::vector<char> grounds;
  double worst = 0;
  for (const auto& frame : recording.frames) {
    const auto ground = median_colour(frame, {0, 0, kWidth, 40});
    const bool blue = ground.b > 150 && ground.r < 100;
    const testing::Rgb bg = blue ? testing::Rgb{0, 0, 255} : testing::Rgb{255, 0, 0};
    grounds.push_back(blue ? 'b' : 'r');
    const double scores[] = {difference(frame, region, expected_in(region, nullptr, bg)),
                             difference(frame, region, expected_in(region, &latin, bg)),
                             difference(frame, region, expected_in(region, &cyrillic, bg))};
    const auto best = static_cast<int>(std::min_element(scores, scores + 3) - scores);
    // A frame far from all three is part of a fade.
    looks.push_back(scores[best] > 25 ? fading : static_cast<Look>(best));
    if (scores[best] <= 25) {
      worst = std::max(worst, scores[best]);
    }
  }
  std::ostringstream seen;
  const char* names[] = {"none", "latin", "cyrillic", "fading"};
  for (std::size_t i = 0, run = 0; i < looks.size(); ++i) {
    ++run;
    if (i + 1 == looks.size() || looks[i + 1] != looks[i] || grounds[i + 1] != grounds[i]) {
      seen << names[looks[i]] << "/" << grounds[i] << "x" << run << " ";
      run = 0;
    }
  }
  std::cout << "measured: " << seen.str() << "(worst match " << worst << ")\n";

  // None, fading in, Latin on red; Cyrillic from the cut on; fading out, none.
  std::size_t cut = 0;
  while (cut < grounds.size() && grounds[cut] == 'r') {
    ++cut;
  }
  ASSERT_LT(cut, grounds.size()) << seen.str();
  ASSERT_GT(cut, 2u) << seen.str();
  EXPECT_EQ(looks[cut - 1], latin_words) << "the last red frame: " << seen.str();
  const bool on_the_cut = looks[cut] == cyrillic_words;
  const bool next_frame = looks[cut] == latin_words && looks[cut + 1] == cyrillic_words;
  EXPECT_TRUE(on_the_cut || next_frame)
      << "the correction on the cut's frame or the next: " << seen.str();
  std::size_t latin_frames = 0;
  for (std::size_t i = 0; i < cut; ++i) {
    EXPECT_NE(looks[i], cyrillic_words) << "frame " << i << ": " << seen.str();
    latin_frames += looks[i] == latin_words ? 1 : 0;
  }
  EXPECT_GT(latin_frames, 25u) << seen.str();
  std::size_t i = cut + (on_the_cut ? 0 : 1);
  std::size_t cyrillic_frames = 0;
  while (i < looks.size() && looks[i] == cyrillic_words) {
    ++cyrillic_frames;
    ++i;
  }
  EXPECT_GT(cyrillic_frames, 25u) << "no blank frame between the two: " << seen.str();
  for (; i < looks.size(); ++i) {
    EXPECT_NE(looks[i], latin_words) << "frame " << i << ": " << seen.str();
  }
  EXPECT_EQ(looks.back(), none) << "deleted: " << seen.str();
}

TEST(LiveCaptions, ATitleIsCorrectedAndAConfigLowerThirdTakesNewWords) {
  config::Config config = colour_show({});
  config.event.speakers = {{"abiru", "Taisuke Abiru", "Fellow", {{"ru", "Тайсукэ Абиру", ""}}}};
  config.overlays = {{"lt-abiru", config::OverlayType::lower_third, "abiru", ""},
                     {"slate", config::OverlayType::title, "", "Starting soon"}};
  RecordedEngine show(config);
  const auto* abiru = show.state()->find_overlay("lt-abiru");
  ASSERT_NE(abiru, nullptr);
  EXPECT_EQ(abiru->content.forms.size(), 1u) << "the speaker's Russian form";
  EXPECT_EQ(abiru->number, 1u);
  EXPECT_EQ(show.state()->find_overlay("slate")->number, 2u);
  show.start();

  ASSERT_TRUE(
      show
          .run(show::OverlayUpdate{
              "slate", std::nullopt, std::nullopt, std::nullopt, std::string("Начало в 11:05"), {}})
          .ok());
  EXPECT_EQ(show.state()->find_overlay("slate")->label, "Начало в 11:05");
  const auto wrong = show.run(show::OverlayUpdate{
      "slate", std::nullopt, std::string("Someone"), std::nullopt, std::nullopt, {}});
  EXPECT_EQ(wrong.error, show::ErrorCode::bad_value) << "a title has no name";
  const auto retype = show.run(show::OverlayUpdate{
      "slate", config::OverlayType::lower_third, std::nullopt, std::nullopt, std::string("x"), {}});
  EXPECT_EQ(retype.error, show::ErrorCode::bad_value);
  EXPECT_EQ(show.state()->find_overlay("slate")->content.text, "Начало в 11:05")
      << "a refused update changes nothing";

  // A speaker's role corrected, its Russian form cleared.
  ASSERT_TRUE(show.run(show::OverlayUpdate{"lt-abiru",
                                           std::nullopt,
                                           std::nullopt,
                                           std::string("Senior Research Fellow"),
                                           std::nullopt,
                                           {{"ru", std::string(""), std::nullopt}}})
                  .ok());
  EXPECT_EQ(show.state()->find_overlay("lt-abiru")->content.role, "Senior Research Fellow");
  EXPECT_TRUE(show.state()->find_overlay("lt-abiru")->content.forms.empty());

  // A created overlay's number is new, and never reused after a delete.
  ASSERT_TRUE(
      show.run(show::OverlayCreate{"q1", config::OverlayType::title, {"", "", {}, "?"}}).ok());
  EXPECT_EQ(show.state()->find_overlay("q1")->number, 3u);
  ASSERT_TRUE(show.run(show::OverlayDelete{"q1"}).ok());
  ASSERT_TRUE(
      show.run(show::OverlayCreate{"q1", config::OverlayType::title, {"", "", {}, "?"}}).ok());
  EXPECT_EQ(show.state()->find_overlay("q1")->number, 4u);
  show.stop_and_decode(32, 18);
}

}  // namespace
}  // namespace hallcast::engine::test
