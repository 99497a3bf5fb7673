// Language tracks on the decoded recording. Tones tell the sources apart (microphones
// 440, 660 and 880 Hz, booths 1000 and 800 Hz); each test runs the engine for a few
// seconds, then decodes every track of the file it wrote and measures them.
//   - The floor is ducked under a booth while it speaks and back at full level while it
//     is silent; the floor track itself is never ducked.
//   - A booth that never speaks (silent, or muted by the operator) leaves its track
//     equal to the floor, sample by sample.
//   - A muted microphone is gone from every track and the others are untouched.
//   - Inputs far over full scale come out of every track under the limiter's ceiling.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "support/media_probe.h"
#include "support/show_configs.h"
#include "support/signal_measure.h"
#include "support/temp_dir.h"

namespace hallcast::engine {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::median;
using testing::tone_db;

constexpr int kRate = 48000;
// 50 ms: a whole number of cycles of every tone used here (all multiples of 20 Hz), so
// the Goertzel reading of one tone does not pick up the others.
constexpr std::size_t kBlock = kRate / 20;
constexpr double kBlockS = 0.05;

config::Source mic(std::string id, double freq, double volume, double on_s = 0, double off_s = 0) {
  return {id, config::SourceKind::audio, "", config::TestAudioUri{freq, volume, on_s, off_s}, id,
          ""};
}

config::Source booth(std::string id, std::string language, double freq, double volume,
                     double on_s = 0, double off_s = 0) {
  return {id, config::SourceKind::interpretation,
          "", config::TestAudioUri{freq, volume, on_s, off_s},
          id, std::move(language)};
}

// A small picture (the video is not under test here), the given audio sources and a
// recording into `record_dir`.
config::Config tone_show(const std::filesystem::path& record_dir,
                         std::vector<config::Source> audio) {
  config::Config c;
  c.video.width = 320;
  c.video.height = 180;
  c.video.bitrate_kbps = 300;
  c.video.keyframe_interval_s = 1;
  c.sources = {{"cam1", config::SourceKind::video, "", config::TestVideoUri{"black"}, "Cam", ""}};
  c.sources.insert(c.sources.end(), audio.begin(), audio.end());
  c.scenes = {{"wide", "Wide", {{"cam1", 0, 0, 1, 1}}}};
  c.outputs = {testing::record_output(record_dir)};
  return c;
}

// Starts `engine` and returns once its recording is written: what the test does next
// lands in the file whatever the machine took to start the encoders.
void start_recording(Engine& engine) {
  engine.start();
  const auto until = Clock::now() + 20s;
  while (engine.snapshot()->outputs.at(0).state != show::OutputState::live) {
    ASSERT_LT(Clock::now(), until) << "the recording never started";
    std::this_thread::sleep_for(20ms);
  }
}

EngineOptions options() {
  return {std::filesystem::path(HALLCAST_SOURCE_DIR) / "pipelines"};
}

std::filesystem::path the_recording(const std::filesystem::path& dir) {
  std::filesystem::path file;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".mkv")
      file = entry.path();
  }
  return file;
}

// Track `index` of `file` (0 the floor, then the languages in source order), left
// channel: the programme's channels carry the same mix.
std::vector<float> decode_track(const std::filesystem::path& file, int index) {
  return testing::decode_audio(file, index).channel(0);
}

// The level of `freq` in each 50 ms block of `x` from `from_s` on.
std::vector<double> block_levels(const std::vector<float>& x, double freq, double from_s = 0) {
  std::vector<double> levels;
  for (auto at = static_cast<std::size_t>(from_s * kRate); at + kBlock <= x.size(); at += kBlock) {
    levels.push_back(tone_db(&x[at], kBlock, freq, kRate));
  }
  return levels;
}

// The block of `levels[from, to)` furthest from `reference`: how far, and when (s).
struct Worst {
  double off = 0.0;
  double at_s = 0.0;
};
Worst furthest(const std::vector<double>& levels, std::size_t from, std::size_t to,
               double reference) {
  Worst worst;
  for (std::size_t i = from; i < std::min(to, levels.size()); ++i) {
    if (std::fabs(levels[i] - reference) > std::fabs(worst.off)) {
      worst = {levels[i] - reference, i * kBlockS};
    }
  }
  return worst;
}

TEST(Tracks, TheFloorDucksUnderTheBoothAndReturnsWhenItIsSilent) {
  testing::TempDir dir("hallcast-tracks");
  common::Redactor redactor;
  Engine engine(
      tone_show(dir.path(), {mic("mic1", 440, 0.2), booth("booth-en", "en", 1000, 0.2, 1.5, 2.5)}),
      options(), redactor);
  ASSERT_NO_FATAL_FAILURE(start_recording(engine));
  // Two booth cycles: 1.5 s speaking, 2.5 s silent (long enough for the 400 ms hold
  // and the 500 ms release to finish well inside it).
  std::this_thread::sleep_for(8s);
  engine.stop(4s);
  const auto file = the_recording(dir.path());
  ASSERT_FALSE(file.empty());

  const auto floor = decode_track(file, 0);
  const auto english = decode_track(file, 1);
  ASSERT_GT(english.size(), static_cast<std::size_t>(3 * kRate));

  // 50 ms blocks, sorted by whether the booth's tone is there.
  std::vector<double> floor_while_speaking, floor_while_silent;
  const auto booth_levels = block_levels(english, 1000.0, 0.5);
  const auto hall_levels = block_levels(english, 440.0, 0.5);
  for (std::size_t i = 0; i < booth_levels.size(); ++i) {
    if (booth_levels[i] > -40.0) {
      floor_while_speaking.push_back(hall_levels[i]);
    } else if (booth_levels[i] < -70.0) {
      floor_while_silent.push_back(hall_levels[i]);
    }
  }
  ASSERT_GE(floor_while_speaking.size(), 10u);
  ASSERT_GE(floor_while_silent.size(), 10u);
  const double ducked = median(floor_while_speaking);
  const double full = median(floor_while_silent);
  const double reference = median(block_levels(floor, 440.0, 0.5));
  // -15 dB by default: allow for the edges of each stretch.
  EXPECT_NEAR(full - ducked, 15.0, 2.5) << "ducked " << ducked << " full " << full;
  // While the booth is silent, the track carries the floor at its own level.
  EXPECT_NEAR(full, reference, 1.0);
}

// The RMS of `a - b` (b shifted by `lag` samples) over a[from, to), in dB.
double difference_db(const std::vector<float>& a, const std::vector<float>& b, std::size_t from,
                     std::size_t to, long lag) {
  double sum = 0.0;
  for (std::size_t i = from; i < to; ++i) {
    const double d = a[i] - b[static_cast<std::size_t>(static_cast<long>(i) + lag)];
    sum += d * d;
  }
  return 10.0 * std::log10(sum / static_cast<double>(to - from) + 1e-20);
}

TEST(Tracks, ABoothThatNeverSpeaksLeavesItsTrackEqualToTheFloor) {
  testing::TempDir dir("hallcast-tracks");
  common::Redactor redactor;
  // The floor changes all the time (mic2 comes and goes), so the waveform comparison
  // below can only line up at the true offset. English: a booth whose microphone gives
  // nothing. Russian: a booth that talks all along, muted by the operator before the
  // show starts.
  Engine engine(tone_show(dir.path(),
                          {mic("mic1", 440, 0.2), mic("mic2", 660, 0.2, 0.3, 0.2),
                           booth("booth-en", "en", 1000, 0.0), booth("booth-ru", "ru", 800, 0.3)}),
                options(), redactor);
  EXPECT_TRUE(engine.run(show::AudioSet{"booth-ru", std::nullopt, true}).ok());
  ASSERT_NO_FATAL_FAILURE(start_recording(engine));
  std::this_thread::sleep_for(6s);
  engine.stop(4s);
  const auto file = the_recording(dir.path());
  ASSERT_FALSE(file.empty());

  const auto floor = decode_track(file, 0);
  // Compared from 1.5 s on, past the encoders' start. The Russian booth is muted from
  // before the first sample.
  constexpr std::size_t kFrom = 3 * kRate / 2;
  // Lines up a shift of up to 3 ms. The floor repeats only every 1/220 s (440 and 660
  // Hz), so no shift but the true one lines it up within that range.
  constexpr long kMaxLag = 3 * kRate / 1000;
  ASSERT_GT(floor.size(), kFrom + 3 * kRate);

  for (int index : {1, 2}) {
    SCOPED_TRACE(index == 1 ? "en (silent booth)" : "ru (muted booth)");
    const auto track = decode_track(file, index);
    const std::size_t to = std::min(floor.size(), track.size()) - kMaxLag;
    ASSERT_GT(to, kFrom + 3 * kRate);
    const double floor_rms = testing::rms_db(&floor[kFrom], to - kFrom);

    // The floor's tone, block by block, at the floor track's level.
    std::vector<double> difference;
    for (std::size_t at = kFrom; at + kBlock <= to; at += kBlock) {
      difference.push_back(tone_db(&track[at], kBlock, 440, kRate) -
                           tone_db(&floor[at], kBlock, 440, kRate));
    }
    const Worst level = furthest(difference, 0, difference.size(), 0.0);
    EXPECT_LE(std::fabs(level.off), 0.5)
        << "440 Hz " << level.off << " dB off the floor's, " << level.at_s << " s after 1.5 s";

    // The waveform itself: what is left after taking the floor away.
    long best_lag = 0;
    double best = INFINITY;
    for (long lag = -kMaxLag; lag <= kMaxLag; ++lag) {
      const double d = difference_db(floor, track, kFrom, to, lag);
      if (d < best) {
        best = d;
        best_lag = lag;
      }
    }
    EXPECT_LE(best - floor_rms, -30.0) << "at a lag of " << best_lag << " samples";
    std::cout << "measured: track " << index << ": 440 Hz within " << std::fabs(level.off)
              << " dB of the floor; difference " << best - floor_rms << " dB under it at lag "
              << best_lag << "\n";
  }
}

TEST(Tracks, AMutedMicrophoneLeavesEveryTrackAndComesBack) {
  testing::TempDir dir("hallcast-tracks");
  common::Redactor redactor;
  // The booth talks all along, so the language track carries the floor ducked: the
  // mute must hold there too.
  Engine engine(tone_show(dir.path(), {mic("mic1", 440, 0.2), mic("mic2", 660, 0.2),
                                       booth("booth-en", "en", 1000, 0.2)}),
                options(), redactor);
  ASSERT_NO_FATAL_FAILURE(start_recording(engine));
  std::this_thread::sleep_for(2500ms);
  ASSERT_TRUE(engine.run(show::AudioSet{"mic2", std::nullopt, true}).ok());
  const auto muted_at = Clock::now();
  std::this_thread::sleep_for(2500ms);
  ASSERT_TRUE(engine.run(show::AudioSet{"mic2", std::nullopt, false}).ok());
  const double muted_for = std::chrono::duration<double>(Clock::now() - muted_at).count();
  std::this_thread::sleep_for(2s);
  engine.stop(4s);
  const auto file = the_recording(dir.path());
  ASSERT_FALSE(file.empty());

  for (int index : {0, 1}) {
    SCOPED_TRACE(index == 0 ? "floor" : "en");
    const auto track = decode_track(file, index);
    const auto muted_mic = block_levels(track, 660);
    const auto other_mic = block_levels(track, 440);
    // From 0.5 s: past the start of the encoder and of the booth's ducking.
    constexpr std::size_t kFirst = 10;
    ASSERT_GT(muted_mic.size(), kFirst + 100);

    // Where the mute and the unmute show in the file: the first block 6 dB under the
    // level of the first half second, and the first one back within 6 dB.
    const double start = median({muted_mic.begin() + kFirst, muted_mic.begin() + 2 * kFirst});
    std::size_t mute = kFirst;
    while (mute < muted_mic.size() && muted_mic[mute] > start - 6.0) {
      ++mute;
    }
    std::size_t unmute = mute;
    while (unmute < muted_mic.size() && muted_mic[unmute] < start - 6.0) {
      ++unmute;
    }
    ASSERT_LT(unmute, muted_mic.size()) << "the 660 Hz microphone never went or never came back";
    const double before = median({muted_mic.begin() + kFirst, muted_mic.begin() + mute});
    const double other = median({other_mic.begin() + kFirst, other_mic.begin() + mute});
    // The file saw the mute as long as the operator held it (a block and the command
    // latency either side).
    EXPECT_NEAR((unmute - mute) * kBlockS, muted_for, 0.15);

    // Muted: from 100 ms after the drop up to the block the unmute lands in.
    double loudest_muted = -INFINITY;
    for (std::size_t i = mute + 2; i + 1 < unmute; ++i) {
      loudest_muted = std::max(loudest_muted, muted_mic[i]);
    }
    EXPECT_LE(loudest_muted, before - 50.0) << "660 Hz at " << before << " dB before the mute";
    // Back at its level from 100 ms after the unmute.
    const Worst back = furthest(muted_mic, unmute + 2, muted_mic.size(), before);
    EXPECT_LE(std::fabs(back.off), 1.0)
        << "660 Hz " << back.off << " dB off at " << back.at_s << " s";
    // The other microphone all along, muted neighbour or not.
    const Worst steady = furthest(other_mic, kFirst, other_mic.size(), other);
    EXPECT_LE(std::fabs(steady.off), 1.0)
        << "440 Hz " << steady.off << " dB off at " << steady.at_s << " s";
    std::cout << "measured: track " << index << ": 660 Hz at " << before << " dB, muted at most "
              << loudest_muted << " dB (" << loudest_muted - before << "), back within "
              << std::fabs(back.off) << " dB; 440 Hz within " << std::fabs(steady.off)
              << " dB; mute held " << (unmute - mute) * kBlockS << " s in the file for "
              << muted_for << " s\n";
  }
}

// An operator may set the faders before going on the air: they hold from the first
// sample, in state and in sound alike.
TEST(Tracks, FadersSetBeforeTheStartHoldFromTheFirstSample) {
  testing::TempDir dir("hallcast-tracks");
  common::Redactor redactor;
  Engine engine(tone_show(dir.path(), {mic("mic1", 440, 0.2), mic("mic2", 660, 0.2)}), options(),
                redactor);
  ASSERT_TRUE(engine.run(show::AudioSet{"mic2", std::nullopt, true}).ok());
  ASSERT_TRUE(engine.run(show::AudioSet{"mic1", -6.0, std::nullopt}).ok());
  ASSERT_NO_FATAL_FAILURE(start_recording(engine));
  std::this_thread::sleep_for(3s);
  EXPECT_TRUE(engine.snapshot()->audio[1].muted);
  engine.stop(4s);
  const auto floor = decode_track(the_recording(dir.path()), 0);
  ASSERT_GT(floor.size(), static_cast<std::size_t>(2 * kRate));
  const auto muted = block_levels(floor, 660.0, 0.1);
  const auto lowered = block_levels(floor, 440.0, 0.1);
  EXPECT_LT(*std::max_element(muted.begin(), muted.end()), -80.0);
  // A sine at 0.2 of full scale reads -14 dB; the fader takes 6 dB more.
  EXPECT_NEAR(median(lowered), 20.0 * std::log10(0.2) - 6.0, 1.0);
}

// The largest absolute sample of `x` (interleaved, `channels`) over frames
// [from, to), in dBFS.
double peak_db(const std::vector<float>& x, int channels, std::size_t from, std::size_t to) {
  return testing::peak_db({x.begin() + from * channels, x.begin() + to * channels});
}

TEST(Tracks, InputsFarOverFullScaleNeverClipAnyTrack) {
  testing::TempDir dir("hallcast-tracks");
  common::Redactor redactor;
  const std::vector<config::Source> audio = {
      mic("mic1", 440, 1.0),
      mic("mic2", 660, 1.0),
      mic("mic3", 880, 1.0),
      booth("booth-en", "en", 1000, 1.0),
      booth("booth-ru", "ru", 800, 1.0),
  };
  constexpr double kGainDb = 12.0;
  // Without the limiter the floor would peak where the three full-scale sines, pushed
  // up 12 dB, line up (every 1/220 s): about +21.5 dBFS.
  double unlimited = 0.0;
  for (const auto& source : audio) {
    if (source.kind == config::SourceKind::audio) {
      unlimited += std::get<config::TestAudioUri>(source.uri).volume;
    }
  }
  const double unlimited_db = 20.0 * std::log10(unlimited) + kGainDb;
  ASSERT_GE(unlimited_db, 20.0);

  Engine engine(tone_show(dir.path(), audio), options(), redactor);
  // Set before the start: the sources come on at full scale and +12 dB at once.
  for (const auto& source : audio) {
    EXPECT_TRUE(engine.run(show::AudioSet{source.id, kGainDb, std::nullopt}).ok());
  }
  ASSERT_NO_FATAL_FAILURE(start_recording(engine));
  std::this_thread::sleep_for(5s);
  engine.stop(4s);
  const auto file = the_recording(dir.path());
  ASSERT_FALSE(file.empty());

  // The first 250 ms hold the moment every source switches on, from digital silence
  // straight to full scale: the hardest onset an encoder can get. Judged on its own,
  // so that a failure there is told apart from one in the steady programme.
  constexpr std::size_t kStartUp = kRate / 4;
  // A recording starts mid-stream: its first AAC frame decodes without the frame
  // before it, which the codec's overlap needs, so those samples are not the
  // programme's. Two frames are left out.
  constexpr std::size_t kDecoderWarmUp = 2048;
  for (int index : {0, 1, 2}) {
    SCOPED_TRACE("track " + std::to_string(index));
    // Both channels, every sample.
    const auto track = testing::decode_audio(file, index);
    ASSERT_GT(track.frames(), static_cast<std::size_t>(3 * kRate));
    // The ceiling is -2 dBFS; AAC overshoots it a little, as any lossy codec does, and
    // most on the onset.
    const double start_up = peak_db(track.samples, track.channels, kDecoderWarmUp, kStartUp);
    const double steady = peak_db(track.samples, track.channels, kStartUp, track.frames());
    EXPECT_LE(steady, -1.0) << "after the start-up";
    EXPECT_LE(start_up, -0.1) << "in the first 250 ms, as the sources switch on at full scale";
    // Held under the ceiling, not silenced: the limiter keeps the level up.
    const double rms = testing::rms_db(track.samples.data(), track.samples.size());
    EXPECT_GE(rms, -10.0);
    std::cout << "measured: track " << index << ": peak " << steady << " dBFS (" << start_up
              << " in the start-up), rms " << rms << " dBFS; unlimited floor peak " << unlimited_db
              << " dBFS\n";
  }
}

}  // namespace
}  // namespace hallcast::engine
