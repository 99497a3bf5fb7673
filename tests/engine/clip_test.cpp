// A clip as the audience gets it, on the decoded recording: a test clip whose seconds
// are numbered by colour (red, green, blue) and that sounds a 1500 Hz tone. Cued while
// off air, it starts from its first frame (red) when taken, plays at its pace, holds
// its last frame at the end, and is cued at its start again when it leaves. Its tone is
// in the floor only while it is on programme (Goertzel on the floor track, against the
// frames' own times).
#include <gtest/gtest.h>

#include <iostream>
#include <sstream>

#include "show_day_support.h"
#include "support/process.h"
#include "support/signal_measure.h"

namespace hallcast::engine::test {
namespace {

using namespace std::chrono_literals;
using testing::median_colour;

constexpr double kClipTone = 1500.0;

// 1 s each of red, green and blue at 320x180@30, with a 1500 Hz tone throughout.
std::filesystem::path make_clip(const std::filesystem::path& folder) {
  const auto clip = folder / "numbered.mkv";
  const auto made = testing::run_command({"ffmpeg",
                                          "-nostdin",
                                          "-v",
                                          "error",
                                          "-f",
                                          "lavfi",
                                          "-i",
                                          "color=c=red:s=320x180:r=30:d=1",
                                          "-f",
                                          "lavfi",
                                          "-i",
                                          "color=c=lime:s=320x180:r=30:d=1",
                                          "-f",
                                          "lavfi",
                                          "-i",
                                          "color=c=blue:s=320x180:r=30:d=1",
                                          "-f",
                                          "lavfi",
                                          "-i",
                                          "sine=frequency=1500:sample_rate=48000:duration=3",
                                          "-filter_complex",
                                          "[0:v][1:v][2:v]concat=n=3:v=1[v];[3:a]volume=0.5[a]",
                                          "-map",
                                          "[v]",
                                          "-map",
                                          "[a]",
                                          "-c:v",
                                          "libx264",
                                          "-pix_fmt",
                                          "yuv420p",
                                          "-g",
                                          "30",
                                          "-c:a",
                                          "aac",
                                          clip.string()},
                                         std::chrono::seconds(30));
  EXPECT_EQ(made.exit_code, 0) << made.output;
  return clip;
}

char colour_of(const testing::RgbImage& frame) {
  const auto c = median_colour(frame);
  if (c.r > 200 && c.g > 200 && c.b > 200)
    return 'w';
  if (c.r > 200 && c.g < 60 && c.b < 60)
    return 'r';
  if (c.g > 200 && c.r < 60 && c.b < 60)
    return 'g';
  if (c.b > 200 && c.r < 60 && c.g < 60)
    return 'b';
  return '?';
}

struct ColourRun {
  char colour;
  std::size_t first;  // frame index
  std::size_t length;
};

std::vector<ColourRun> runs_of(const std::vector<testing::RgbImage>& frames) {
  std::vector<ColourRun> runs;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const char c = colour_of(frames[i]);
    if (runs.empty() || runs.back().colour != c) {
      runs.push_back({c, i, 0});
    }
    ++runs.back().length;
  }
  return runs;
}

TEST(Clip, StartsFromItsFirstFrameWhenTakenAndItsSoundFollowsItsPicture) {
  testing::TempDir media("hallcast-clip");
  const auto file = make_clip(media.path());
  config::Config config = colour_show({});
  auto parsed = config::parse_source_uri("file://" + file.string(), config::SourceKind::video);
  ASSERT_TRUE(std::holds_alternative<config::SourceUri>(parsed));
  config::Source clip{"clip",
                      config::SourceKind::video,
                      "file://" + file.string(),
                      std::get<config::SourceUri>(parsed),
                      "Clip",
                      ""};
  config.sources.push_back(clip);
  config.sources.push_back(colour_camera("white"));
  config.scenes = {{"cam", "Camera", {{"cam-white", 0, 0, 1, 1}}},
                   {"clip", "Clip", {{"clip", 0, 0, 1, 1}}}};
  RecordedEngine show(config);
  ASSERT_NE(std::find_if(show.state()->audio.begin(), show.state()->audio.end(),
                         [](const auto& a) { return a.channel == "clip"; }),
            show.state()->audio.end())
      << "a clip's sound has a fader";
  show.start();
  // Cued: live (its first frame is there) but not playing.
  ASSERT_TRUE(show.wait_for(
      [](const show::Event& e) {
        const auto* s = std::get_if<show::SourceChanged>(&e);
        return s && s->status.id == "clip" && s->status.health == show::Health::live;
      },
      5s));
  std::this_thread::sleep_for(1500ms);  // longer than a second of clip: it must not run

  ASSERT_TRUE(show.run(show::SceneCut{"clip"}).ok());
  std::this_thread::sleep_for(4000ms);  // 3 s of clip, then its last frame held
  ASSERT_TRUE(show.run(show::SceneCut{"cam"}).ok());
  std::this_thread::sleep_for(1000ms);
  ASSERT_TRUE(show.run(show::SceneCut{"clip"}).ok());  // cued at its start again
  std::this_thread::sleep_for(700ms);
  const auto recording = show.stop_and_decode();
  const auto runs = runs_of(recording.frames);
  std::ostringstream seen;
  for (const auto& r : runs) {
    seen << r.colour << "x" << r.length << " ";
  }
  std::cout << "measured: programme " << seen.str() << "\n";

  // White, then the clip from its first second: red, green, blue held; white; red again.
  // Frames of no known colour: a blend between two pictures, or the black the
  // programme opens on before the camera's first frame.
  std::vector<ColourRun> shown;
  for (const auto& r : runs) {
    if (r.colour != '?' || (r.length > 2 && !shown.empty())) {
      shown.push_back(r);
    }
  }
  std::string colours;
  for (const auto& r : shown) {
    colours += r.colour;
  }
  ASSERT_EQ(colours, "wrgbwr") << seen.str();
  EXPECT_NEAR(static_cast<double>(shown[1].length), kFps, 4) << "its first second: " << seen.str();
  EXPECT_NEAR(static_cast<double>(shown[2].length), kFps, 4) << seen.str();
  EXPECT_GT(shown[3].length, static_cast<std::size_t>(kFps) + 15)
      << "its last frame held to the cut: " << seen.str();

  // The floor: the clip's tone only while its picture is on programme and playing.
  const auto floor = testing::decode_audio(recording.file, 0);
  ASSERT_EQ(floor.sample_rate, 48000);
  const auto left = floor.channel(0);
  const auto level_between = [&](double from_s, double to_s) {
    // The loudest 50 ms block of the tone in [from, to], in dBFS.
    constexpr std::size_t kBlock = 2400;  // 75 cycles of 1500 Hz
    double loudest = -200;
    double quietest = 0;
    for (double t = from_s; t + 0.05 <= to_s; t += 0.05) {
      const auto at = static_cast<std::ptrdiff_t>((t - floor.start_s) * floor.sample_rate);
      if (at < 0 || static_cast<std::size_t>(at) + kBlock > left.size()) {
        continue;
      }
      const double db =
          testing::tone_db(&left[static_cast<std::size_t>(at)], kBlock, kClipTone, 48000);
      loudest = std::max(loudest, db);
      quietest = std::min(quietest, db);
    }
    return std::pair{loudest, quietest};
  };
  const auto& t = recording.times;
  const double margin = 0.15;  // fades of the gate, AAC frames
  const auto before = level_between(t[shown[0].first] + margin, t[shown[1].first] - margin);
  const auto playing = level_between(t[shown[1].first] + margin, t[shown[3].first] - margin);
  // Blue is its last second: played for one second, then held.
  const std::size_t held_from = shown[3].first + static_cast<std::size_t>(kFps);
  const auto held =
      level_between(t[held_from] + margin, t[shown[3].first + shown[3].length - 1] - margin);
  const auto after = level_between(t[shown[4].first] + margin, t[shown[5].first] - margin);
  std::cout << "measured: clip tone before " << before.first << " dB, playing " << playing.second
            << ".." << playing.first << " dB, held " << held.first << " dB, off air " << after.first
            << " dB\n";
  // Present (about -24 dB in this mix) against absent: below -60 dB on a quiet machine,
  // up to -55 dB on a loaded one. A clip let through would read about -24 dB.
  EXPECT_LT(before.first, -45.0) << "cued, off air: not in the floor";
  EXPECT_GT(playing.second, -40.0) << "on air: in the floor all along";
  EXPECT_LT(held.first, -45.0) << "it ended: no more sound";
  EXPECT_LT(after.first, -45.0) << "off air again";
}

TEST(Clip, ALoopingClipStartsAgainAtItsEnd) {
  testing::TempDir media("hallcast-clip");
  const auto file = make_clip(media.path());
  config::Config config = colour_show({});
  auto parsed = config::parse_source_uri("file://" + file.string(), config::SourceKind::video);
  ASSERT_TRUE(std::holds_alternative<config::SourceUri>(parsed));
  config::Source clip{"clip",
                      config::SourceKind::video,
                      "file://" + file.string(),
                      std::get<config::SourceUri>(parsed),
                      "Clip",
                      ""};
  clip.loop = true;
  config.sources.push_back(clip);
  config.scenes = {{"clip", "Clip", {{"clip", 0, 0, 1, 1}}}};
  RecordedEngine show(config);
  show.start();  // on programme from launch: it plays at once
  std::this_thread::sleep_for(5000ms);
  const auto runs = runs_of(show.stop_and_decode().frames);
  std::string colours;
  std::ostringstream seen;
  for (const auto& r : runs) {
    seen << r.colour << "x" << r.length << " ";
    if (r.colour != '?' || r.length > 2) {
      colours += r.colour;
    }
  }
  std::cout << "measured: programme " << seen.str() << "\n";
  EXPECT_NE(colours.find("rgbrg"), std::string::npos) << "blue, then red again: " << seen.str();
}

}  // namespace
}  // namespace hallcast::engine::test
