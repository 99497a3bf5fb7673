// The engine's pure pieces: secret scrubbing, RTMP targets, scene geometry, templates.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "common/backoff.h"
#include "common/redactor.h"
#include "config/rtmp_target.h"
#include "engine/gst/pipeline_templates.h"
#include "engine/outputs/hls_playlist.h"
#include "engine/video/scene_layout.h"

namespace hallcast::engine {
namespace {

using config::parse_rtmp_target;

TEST(Backoff, DoublesUpToTheCapWithEachWaitInTheUpperHalfOfItsRange) {
  using std::chrono::milliseconds;
  common::Backoff backoff(milliseconds(1000), milliseconds(30000), 7);
  const std::int64_t ceilings[] = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
  for (const auto ceiling : ceilings) {
    const auto wait = backoff.next().count();
    EXPECT_GE(wait, ceiling / 2);
    EXPECT_LE(wait, ceiling);
  }
  EXPECT_EQ(backoff.failures(), 8);
  backoff.reset();
  EXPECT_LE(backoff.next().count(), 1000);
}

TEST(Backoff, DestinationsThatFailTogetherDoNotRetryTogether) {
  using std::chrono::milliseconds;
  std::set<std::int64_t> waits;
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    common::Backoff backoff(milliseconds(1000), milliseconds(30000), seed);
    backoff.next();
    backoff.next();
    waits.insert(backoff.next().count());  // each one's third wait, 2–4 s
  }
  EXPECT_GE(waits.size(), 4u);
  // Many failures in a row: no overflow, still the cap.
  common::Backoff long_outage(milliseconds(1000), milliseconds(30000), 1);
  for (int i = 0; i < 100; ++i) {
    const auto wait = long_outage.next().count();
    ASSERT_GE(wait, 15000 * (i >= 5));
    ASSERT_LE(wait, 30000);
  }
}

TEST(HlsPlaylist, OneAudioRenditionPerLanguageAndTheVariantNamesTheGroup) {
  const auto text = master_playlist({"video/index.m3u8", 3'000'000, 1280, 720, 30},
                                    {{"floor", "audio-floor/index.m3u8", false},
                                     {"en", "audio-en/index.m3u8", true},
                                     {"ru", "audio-ru/index.m3u8", false}});
  EXPECT_EQ(text,
            "#EXTM3U\n"
            "#EXT-X-VERSION:4\n"
            "#EXT-X-INDEPENDENT-SEGMENTS\n"
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",LANGUAGE=\"mul\",NAME=\"Original sound\","
            "DEFAULT=NO,AUTOSELECT=YES,URI=\"audio-floor/index.m3u8\"\n"
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",LANGUAGE=\"en\",NAME=\"English\","
            "DEFAULT=YES,AUTOSELECT=YES,URI=\"audio-en/index.m3u8\"\n"
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",LANGUAGE=\"ru\",NAME=\"Русский\","
            "DEFAULT=NO,AUTOSELECT=YES,URI=\"audio-ru/index.m3u8\"\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=3000000,RESOLUTION=1280x720,FRAME-RATE=30.000,"
            "AUDIO=\"audio\"\n"
            "video/index.m3u8\n");
}

TEST(Redactor, ScrubsEveryOccurrenceLongestFirst) {
  common::Redactor r;
  r.add("abc123");
  r.add("abc123-long");
  r.add("");    // ignored
  r.add("ab");  // too short to be worth scrubbing
  EXPECT_EQ(r.scrub("rtmp://h/app/abc123-long and abc123 abc123"), "rtmp://h/app/*** and *** ***");
  EXPECT_EQ(r.scrub("ab cd"), "ab cd");
}

TEST(RtmpTarget, KeyBecomesTheStreamAndStaysOutOfThePublicUrl) {
  auto t = parse_rtmp_target("rtmps://dc4-1.rtmp.t.me/s/", "1234:abcd/ef?x=1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->scheme, "rtmps");
  EXPECT_EQ(t->host, "dc4-1.rtmp.t.me");
  EXPECT_EQ(t->port, 443);
  EXPECT_EQ(t->application, "s");
  EXPECT_EQ(t->stream, "1234:abcd/ef?x=1");
  EXPECT_EQ(t->public_url(), "rtmps://dc4-1.rtmp.t.me:443/s");
}

TEST(RtmpTarget, PortsPathsAndNoKey) {
  auto t = parse_rtmp_target("rtmp://127.0.0.1:19350/live/app2", "");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->port, 19350);
  EXPECT_EQ(t->application, "live");
  EXPECT_EQ(t->stream, "app2");
  auto v6 = parse_rtmp_target("rtmp://[::1]:1936/live", "k");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 1936);
  EXPECT_FALSE(parse_rtmp_target("http://x/live", "k"));
  EXPECT_FALSE(parse_rtmp_target("rtmp://:1935/live", "k"));
  EXPECT_FALSE(parse_rtmp_target("rtmp://h:99999/live", "k"));
}

config::Config two_camera_config() {
  config::Config c;
  c.video.width = 1280;
  c.video.height = 720;
  c.sources = {{"cam1", config::SourceKind::video, "", config::TestVideoUri{}, "", ""},
               {"mic1", config::SourceKind::audio, "", config::TestAudioUri{}, "", ""},
               {"cam2", config::SourceKind::video, "", config::TestVideoUri{}, "", ""}};
  return c;
}

TEST(SceneLayout, FullFrameAndHiddenSources) {
  auto c = two_camera_config();
  config::Scene wide{"wide", "Wide", {{"cam1", 0, 0, 1, 1}}};
  auto pads = layout_scene(c, wide);
  ASSERT_EQ(pads.size(), 2u);  // video sources only
  EXPECT_EQ(pads[0], (PadGeometry{0, 0, 1280, 720, 1, 1.0}));
  EXPECT_EQ(pads[1].alpha, 0.0);
}

TEST(SceneLayout, SideBySideLayersTouchWithoutASeam) {
  auto c = two_camera_config();
  c.video.width = 1279;  // odd on purpose: halves do not divide evenly
  config::Scene split{"split", "Split", {{"cam1", 0, 0, 0.5, 1}, {"cam2", 0.5, 0, 0.5, 1}}};
  auto pads = layout_scene(c, split);
  EXPECT_EQ(pads[0].x + pads[0].width, pads[1].x);
  EXPECT_EQ(pads[1].x + pads[1].width, 1279);
  EXPECT_LT(pads[0].zorder, pads[1].zorder);
}

TEST(SceneLayout, ASourceShownTwiceGetsAPadForEachLayer) {
  auto c = two_camera_config();
  config::Scene twice{
      "twice",
      "Twice",
      {{"cam1", 0, 0, 1, 1}, {"cam2", 0, 0, 0.5, 0.5}, {"cam1", 0.5, 0.5, 0.5, 0.5}}};
  config::Scene wide{"wide", "Wide", {{"cam2", 0, 0, 1, 1}}};
  c.scenes = {wide, twice};
  // cam1 (video source 0) is in one scene twice: two pads; cam2 (video source 1) one.
  EXPECT_EQ(pad_sources(c), (std::vector<std::size_t>{0, 0, 1}));

  auto pads = layout_scene(c, twice);
  ASSERT_EQ(pads.size(), 3u);
  EXPECT_EQ(pads[0], (PadGeometry{0, 0, 1280, 720, 1, 1.0}));
  EXPECT_EQ(pads[1], (PadGeometry{640, 360, 640, 360, 3, 1.0}));
  EXPECT_EQ(pads[2], (PadGeometry{0, 0, 640, 360, 2, 1.0}));

  // A scene that shows cam1 once leaves its second pad hidden.
  pads = layout_scene(c, wide);
  ASSERT_EQ(pads.size(), 3u);
  EXPECT_EQ(pads[0].alpha, 0.0);
  EXPECT_EQ(pads[1].alpha, 0.0);
  EXPECT_EQ(pads[2], (PadGeometry{0, 0, 1280, 720, 1, 1.0}));
}

class TemplatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("hallcast-templates-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "enc.pipeline") << "# a comment {not_a_key}\n"
                                         << "x264enc bitrate={rate}  # trailing\n"
                                         << "\n  ! h264parse\n";
    std::ofstream(dir_ / "bad.pipeline") << "x264enc bitrate={rate\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(TemplatesTest, RendersAndStripsComments) {
  PipelineTemplates t(dir_);
  EXPECT_EQ(t.render("enc", {{"rate", "3000"}}), "x264enc bitrate=3000 ! h264parse");
  EXPECT_TRUE(t.has("enc"));
  EXPECT_FALSE(t.has("nope"));
}

TEST_F(TemplatesTest, MissingFileUnknownAndUnclosedPlaceholdersAreErrors) {
  PipelineTemplates t(dir_);
  EXPECT_THROW(t.render("nope", {}), TemplateError);
  EXPECT_THROW(t.render("enc", {{"other", "1"}}), TemplateError);
  EXPECT_THROW(t.render("bad", {{"rate", "1"}}), TemplateError);
}

}  // namespace
}  // namespace hallcast::engine
