// What the destination tests share: the show they run (two cameras told apart by colour,
// a floor and two booths told apart by tone, a private nginx-rtmp as the platforms) and
// the ways they read back what was recorded — each stream's timeline, its colours and
// its tones. Header-only, for the test files of tests/engine.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "engine_show.h"
#include "support/media_probe.h"
#include "support/ports.h"
#include "support/signal_measure.h"

namespace hallcast::engine::destination_tests {

constexpr int kToneRate = 48000;

// The first audio track of `file`, left channel (the programme's channels carry the
// same mix).
inline std::vector<float> decode_mono(const std::filesystem::path& file) {
  return testing::decode_audio(file, 0).channel(0);
}

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using show::OutputState;

constexpr int kFps = 30;
constexpr double kFrameS = 1.0 / kFps;
// One AAC frame: 1024 samples at 48 kHz.
constexpr double kAacFrameS = 1024.0 / 48000.0;
constexpr double kFloorHz = 440.0;
constexpr double kEnglishHz = 1000.0;
constexpr double kRussianHz = 1500.0;
// A connection on loopback, a refused connect, a state change: each takes well under
// a second; this leaves room for two test binaries sharing two cores.
constexpr auto kSoon = 8s;
// A recording is live once its file holds bytes, and splitmuxsink writes a GOP at a
// time: its first keyframe comes up to a keyframe interval (1 s here) and a tick
// (0.5 s) before its state says live.
constexpr double kRecordingLeadS = 1.5;

inline double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

inline config::Source camera(const std::string& colour) {
  return {"cam-" + colour, config::SourceKind::video, "", config::TestVideoUri{colour}, colour, ""};
}

// Red on programme first; a cut to "blue" marks what a session carried after it.
inline config::Config destinations_show() {
  config::Config c;
  c.event.title = "destinations";
  c.video.width = 320;
  c.video.height = 180;
  c.video.fps = kFps;
  c.video.bitrate_kbps = 300;
  c.video.keyframe_interval_s = 1;
  c.audio.bitrate_kbps = 64;
  c.sources = {
      camera("red"),
      camera("blue"),
      {"mic1", config::SourceKind::audio, "", config::TestAudioUri{kFloorHz, 0.3, 0, 0}, "Floor",
       ""},
      {"booth-en", config::SourceKind::interpretation, "",
       config::TestAudioUri{kEnglishHz, 0.3, 0, 0}, "EN", "en"},
      {"booth-ru", config::SourceKind::interpretation, "",
       config::TestAudioUri{kRussianHz, 0.3, 0, 0}, "RU", "ru"},
  };
  c.scenes = {{"red", "Red", {{"cam-red", 0, 0, 1, 1}}},
              {"blue", "Blue", {{"cam-blue", 0, 0, 1, 1}}}};
  return c;
}

// nginx names each recording after the stream, which is the key.
inline std::string stream_key(const std::string& id) {
  return "key-" + id;
}

inline config::Output rtmp_output(const std::string& id, const std::string& url,
                                  const std::string& language) {
  config::Output out;
  out.id = id;
  out.name = id;
  out.type = config::OutputType::rtmp;
  out.url = url;
  out.key = config::Secret(stream_key(id));
  out.language = language;
  return out;
}

// A loopback port nobody listens on: every connection is refused at once.
inline std::string dead_url() {
  const int port = testing::free_loopback_port();
  EXPECT_FALSE(testing::can_connect(port));
  return "rtmp://127.0.0.1:" + std::to_string(port) + "/live";
}

// --- reading back what was recorded ---------------------------------------------------

inline std::filesystem::path the_recording(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    files.push_back(entry.path());
  }
  EXPECT_EQ(files.size(), 1u) << folder;
  return files.empty() ? std::filesystem::path() : files.front();
}

// How a stream's packets follow each other in time.
struct Timeline {
  std::size_t packets = 0;
  double first_s = 0.0;
  double span_s = 0.0;          // first packet's start to last packet's end
  double largest_step_s = 0.0;  // between two consecutive presentation times
  double largest_step_at_s = 0.0;
  // Steps longer than one and a half packets: where each ends, and how many packets
  // they stand for in all.
  std::vector<double> gaps_at_s;
  std::uint64_t missing = 0;
  bool starts_on_keyframe = false;
};

inline std::ostream& operator<<(std::ostream& out, const Timeline& t) {
  return out << t.packets << " packets from " << t.first_s << " s over " << t.span_s
             << " s, largest step " << t.largest_step_s * 1000.0 << " ms at " << t.largest_step_at_s
             << " s, " << t.missing << " missing";
}

inline Timeline timeline(const std::filesystem::path& file, const std::string& type,
                         double packet_duration_s) {
  const auto packets = testing::read_packets(file, type);
  Timeline t;
  t.packets = packets.size();
  if (packets.empty()) {
    return t;
  }
  t.starts_on_keyframe = packets.front().keyframe;
  std::vector<double> pts;
  for (const auto& packet : packets) {
    if (!std::isnan(packet.pts_s)) {
      pts.push_back(packet.pts_s);
    }
  }
  std::sort(pts.begin(), pts.end());
  if (pts.empty()) {
    return t;
  }
  t.first_s = pts.front();
  t.span_s = pts.back() + packet_duration_s - pts.front();
  for (std::size_t i = 1; i < pts.size(); ++i) {
    const double step = pts[i] - pts[i - 1];
    if (step > t.largest_step_s) {
      t.largest_step_s = step;
      t.largest_step_at_s = pts[i];
    }
    if (step > 1.5 * packet_duration_s) {
      t.gaps_at_s.push_back(pts[i]);
      t.missing += static_cast<std::uint64_t>(std::lround(step / packet_duration_s)) - 1;
    }
  }
  return t;
}

// Every frame the programme delivered is in `video`: the only gaps it may have are
// frames the programme itself dropped (one, on a busy machine; see engine_test.cpp).
inline void expect_every_frame(const Timeline& video, std::uint64_t programme_dropped) {
  EXPECT_LE(video.missing, programme_dropped) << video;
}

// Not even a dropped frame between `from_s` and `to_s` of `video`: the stretch in which
// the destinations were failing.
inline void expect_no_gap_between(const Timeline& video, double from_s, double to_s) {
  for (const double at : video.gaps_at_s) {
    EXPECT_FALSE(at >= from_s && at < to_s)
        << "a gap ending at " << at << " s, while the destinations were away (" << from_s << " to "
        << to_s << " s): " << video;
  }
}

// A session's sound runs with its picture: its first audio packet within two AAC
// frames of its first video frame, and no AAC frame missing after that (FLV times are
// whole milliseconds: one frame is 21 or 22 ms after the last).
inline void expect_sound_with_picture(const std::filesystem::path& flv) {
  const Timeline picture = timeline(flv, "v", kFrameS);
  const Timeline sound = timeline(flv, "a", kAacFrameS);
  EXPECT_GT(sound.packets, 0u);
  EXPECT_LE(std::abs(sound.first_s - picture.first_s), 2.0 * kAacFrameS)
      << "audio: " << sound << "; video: " << picture;
  EXPECT_LE(sound.largest_step_s, 2.0 * kAacFrameS + 0.001) << "audio: " << sound;
}

// The mean colour of the frame at `time_s`, as "red", "blue" or "other".
inline std::string colour_at(const std::filesystem::path& file, double time_s) {
  const auto pixels = testing::decode_rgb_frame(file, time_s, 16, 9);
  double r = 0, g = 0, b = 0;
  for (std::size_t i = 0; i + 2 < pixels.size(); i += 3) {
    r += pixels[i];
    g += pixels[i + 1];
    b += pixels[i + 2];
  }
  const double n = static_cast<double>(pixels.size() / 3);
  r /= n, g /= n, b /= n;
  if (r > 150 && g < 80 && b < 80)
    return "red";
  if (b > 150 && r < 80 && g < 80)
    return "blue";
  return "other (" + std::to_string(r) + "," + std::to_string(g) + "," + std::to_string(b) + ")";
}

// The median level of each test tone over the 50 ms blocks of `samples` between
// `from_s` and `to_s`.
struct ToneLevels {
  double floor_db = -999;
  double english_db = -999;
  double russian_db = -999;
};

inline ToneLevels tone_levels(const std::vector<float>& samples, double from_s, double to_s) {
  constexpr std::size_t kBlock = kToneRate / 20;
  std::vector<double> floor, english, russian;
  const auto begin = static_cast<std::size_t>(from_s * kToneRate);
  const auto end = std::min(samples.size(), static_cast<std::size_t>(to_s * kToneRate));
  for (std::size_t at = begin; at + kBlock <= end; at += kBlock) {
    floor.push_back(testing::tone_db(&samples[at], kBlock, kFloorHz, kToneRate));
    english.push_back(testing::tone_db(&samples[at], kBlock, kEnglishHz, kToneRate));
    russian.push_back(testing::tone_db(&samples[at], kBlock, kRussianHz, kToneRate));
  }
  return {testing::median(floor), testing::median(english), testing::median(russian)};
}

inline std::ostream& operator<<(std::ostream& out, const ToneLevels& l) {
  return out << "440 Hz " << l.floor_db << " dB, 1000 Hz " << l.english_db << " dB, 1500 Hz "
             << l.russian_db << " dB";
}

const std::vector<std::string> kThreeLanguages = {"floor", "en", "ru"};

}  // namespace hallcast::engine::destination_tests
