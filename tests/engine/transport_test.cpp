// Destinations that carry every language: SRT (as listener and as caller, read back by
// ffmpeg on the other end) and the recording cut into files. What arrives is read
// with ffprobe and decoded in full.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "engine/engine.h"
#include "support/media_probe.h"
#include "support/ports.h"
#include "support/process.h"
#include "support/show_configs.h"
#include "support/temp_dir.h"

namespace hallcast::engine {
namespace {

using namespace std::chrono_literals;

config::Config bilingual_show() {
  config::Config c;
  c.video.width = 320;
  c.video.height = 180;
  c.video.bitrate_kbps = 300;
  c.video.keyframe_interval_s = 1;
  c.sources = {
      {"cam1", config::SourceKind::video, "", config::TestVideoUri{"ball"}, "Cam", ""},
      {"mic1", config::SourceKind::audio, "", config::TestAudioUri{440, 0.2, 0, 0}, "Mic", ""},
      {"booth-en", config::SourceKind::interpretation, "", config::TestAudioUri{1000, 0.2, 0, 0},
       "EN", "en"},
      {"booth-ru", config::SourceKind::interpretation, "", config::TestAudioUri{1500, 0.2, 0, 0},
       "RU", "ru"},
  };
  c.scenes = {{"wide", "Wide", {{"cam1", 0, 0, 1, 1}}}};
  return c;
}

config::Output srt_output(const std::string& url) {
  config::Output srt;
  srt.id = "srt";
  srt.name = "SRT";
  srt.type = config::OutputType::srt;
  srt.url = url;
  return srt;
}

show::OutputState state_of(const Engine& engine, const std::string& id) {
  return engine.snapshot()->find_output(id)->state;
}

bool wait_for_state(const Engine& engine, const std::string& id, show::OutputState state,
                    std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (state_of(engine, id) == state) {
      return true;
    }
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

// Video first, then floor, English and Russian, each AAC with its ISO 639-2 tag.
void expect_every_track_tagged(const testing::MediaInfo& info) {
  ASSERT_EQ(info.video_streams().size(), 1u);
  EXPECT_EQ(info.video_streams()[0].codec_name, "h264");
  const auto audio = info.audio_streams();
  ASSERT_EQ(audio.size(), 3u);
  const char* languages[] = {"mul", "eng", "rus"};
  for (std::size_t i = 0; i < audio.size(); ++i) {
    EXPECT_EQ(audio[i].codec_name, "aac");
    EXPECT_EQ(audio[i].language, languages[i]) << "audio stream " << i;
  }
}

TEST(Srt, AListenerServesEveryTrackTaggedToAReceiverThatCalls) {
  testing::TempDir dir("hallcast-srt");
  const int port = testing::free_loopback_port();
  auto config = bilingual_show();
  config.outputs = {srt_output("srt://:" + std::to_string(port))};
  common::Redactor redactor;
  Engine engine(config, {std::filesystem::path(HALLCAST_SOURCE_DIR) / "pipelines"}, redactor);
  engine.start();
  // Listening, nobody there yet: waiting is its normal state, not a failure.
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(state_of(engine, "srt"), show::OutputState::connecting);
  // What it drops with nobody to send to is not counted as sent.
  EXPECT_EQ(engine.snapshot()->find_output("srt")->bytes, 0u);
  EXPECT_EQ(engine.snapshot()->find_output("srt")->bitrate_kbps, 0.0);

  const auto file = dir.path() / "received.ts";
  testing::ChildProcess receiver({"ffmpeg", "-v", "error", "-y", "-i",
                                  "srt://127.0.0.1:" + std::to_string(port) + "?mode=caller",
                                  "-map", "0", "-c", "copy", "-t", "3", file.string()});
  EXPECT_TRUE(wait_for_state(engine, "srt", show::OutputState::live, 5s));
  ASSERT_TRUE(receiver.wait_for_exit(15s).has_value()) << receiver.output();
  // The receiver hung up: the listener waits for the next one.
  EXPECT_TRUE(wait_for_state(engine, "srt", show::OutputState::connecting, 5s));
  const auto sent = engine.snapshot()->find_output("srt")->bytes;
  std::this_thread::sleep_for(1500ms);
  const auto status = *engine.snapshot()->find_output("srt");
  EXPECT_EQ(status.reconnects, 0);
  EXPECT_EQ(status.bitrate_kbps, 0.0);
  EXPECT_LE(status.bytes, sent + 1000u) << "nobody is receiving";
  engine.stop(4s);
  // About 3 s went to the receiver (the file is ffmpeg's remux of what it received).
  EXPECT_GE(sent, std::filesystem::file_size(file) / 2);

  ASSERT_NO_FATAL_FAILURE(expect_every_track_tagged(testing::probe(file)));
  // A caller that joins mid-stream starts on a keyframe: every frame decodes.
  const auto decoded = testing::decode_check(file);
  EXPECT_TRUE(decoded.ok) << decoded.errors;
  EXPECT_GE(decoded.video_frames, 60);
}

TEST(Srt, ACallerReachesItsReceiverAndCallsAgainWhenItGoesAway) {
  testing::TempDir dir("hallcast-srt");
  const int port = testing::free_loopback_port();
  const std::string receiver_url = "srt://127.0.0.1:" + std::to_string(port) + "?mode=listener";
  const auto first = dir.path() / "first.ts";
  auto receiver = std::make_unique<testing::ChildProcess>(
      std::vector<std::string>{"ffmpeg", "-v", "error", "-y", "-i", receiver_url, "-map", "0", "-c",
                               "copy", "-t", "3", first.string()});
  std::this_thread::sleep_for(500ms);  // the receiver binds its port

  auto config = bilingual_show();
  config.outputs = {srt_output("srt://127.0.0.1:" + std::to_string(port))};
  common::Redactor redactor;
  Engine engine(config, {std::filesystem::path(HALLCAST_SOURCE_DIR) / "pipelines"}, redactor);
  engine.start();
  EXPECT_TRUE(wait_for_state(engine, "srt", show::OutputState::live, 5s));
  ASSERT_TRUE(receiver->wait_for_exit(15s).has_value()) << receiver->output();

  // The receiver is gone: hallcast notices and keeps calling.
  EXPECT_TRUE(wait_for_state(engine, "srt", show::OutputState::reconnecting, 10s));
  const auto second = dir.path() / "second.ts";
  receiver = std::make_unique<testing::ChildProcess>(
      std::vector<std::string>{"ffmpeg", "-v", "error", "-y", "-i", receiver_url, "-map", "0", "-c",
                               "copy", "-t", "2", second.string()});
  EXPECT_TRUE(wait_for_state(engine, "srt", show::OutputState::live, 15s));
  const auto status = *engine.snapshot()->find_output("srt");
  EXPECT_GE(status.reconnects, 1);
  EXPECT_FALSE(status.last_error.empty());
  ASSERT_TRUE(receiver->wait_for_exit(15s).has_value()) << receiver->output();
  engine.stop(4s);

  for (const auto& file : {first, second}) {
    ASSERT_NO_FATAL_FAILURE(expect_every_track_tagged(testing::probe(file))) << file;
    const auto decoded = testing::decode_check(file);
    EXPECT_TRUE(decoded.ok) << file << ": " << decoded.errors;
  }
}

TEST(Recording, IsCutIntoFilesThatEachPlayAndTogetherHoldEveryFrame) {
  testing::TempDir dir("hallcast-segments");
  auto config = bilingual_show();
  config.outputs = {testing::record_output(dir.path())};
  config.outputs[0].segment_s = 2;
  common::Redactor redactor;
  Engine engine(config, {std::filesystem::path(HALLCAST_SOURCE_DIR) / "pipelines"}, redactor);
  engine.start();
  std::this_thread::sleep_for(7s);
  const auto encoded_before_stop = engine.snapshot()->programme.frames_encoded;
  engine.stop(4s);

  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 3u);
  std::int64_t frames = 0;
  double seconds = 0;
  for (const auto& file : files) {
    EXPECT_EQ(file.extension(), ".mkv");
    const auto info = testing::probe(file);
    ASSERT_NO_FATAL_FAILURE(expect_every_track_tagged(info)) << file;
    const auto decoded = testing::decode_check(file);
    EXPECT_TRUE(decoded.ok) << file << ": " << decoded.errors;
    frames += decoded.video_frames;
    seconds += info.duration_s;
    if (file != files.back()) {
      EXPECT_NEAR(info.duration_s, 2.0, 0.2) << file;
    }
  }
  // Nothing lost where one file ends and the next begins: the files hold as many
  // frames as their durations say, and about as many as the programme encoded.
  EXPECT_NEAR(static_cast<double>(frames), seconds * 30, 3.0);
  EXPECT_NEAR(static_cast<double>(frames), static_cast<double>(encoded_before_stop), 45.0);
}

}  // namespace
}  // namespace hallcast::engine
