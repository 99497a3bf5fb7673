// Listening taps: Opus packets of one signal come out only while someone listens, and
// decoded they carry that signal's tone. Microphone 440 Hz, booth 1000 Hz; the
// microphone's fader is muted, so its packets prove the tap sits before the fader.
// Waits count the engine's meter events (ten a second), never the clock.
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "support/signal_measure.h"

namespace hallcast::engine {
namespace {

using namespace std::chrono_literals;
using testing::tone_db;

constexpr int kRate = 48000;

config::Config listen_show() {
  config::Config c;
  c.video.width = 320;
  c.video.height = 180;
  c.video.bitrate_kbps = 300;
  c.video.keyframe_interval_s = 1;
  c.sources = {
      {"cam1", config::SourceKind::video, "", config::TestVideoUri{"black"}, "Cam", ""},
      {"mic1", config::SourceKind::audio, "", config::TestAudioUri{440, 0.3, 0, 0}, "Mic", ""},
      {"booth-en", config::SourceKind::interpretation, "", config::TestAudioUri{1000, 0.3, 0, 0},
       "Booth", "en"},
  };
  c.scenes = {{"wide", "Wide", {{"cam1", 0, 0, 1, 1}}}};
  return c;
}

// Every ListenPacket and meter event the engine announces.
class Ears {
 public:
  explicit Ears(Engine& engine) {
    engine.add_listener([this](const show::Event& event) {
      std::lock_guard lock(mutex_);
      if (const auto* packet = std::get_if<show::ListenPacket>(&event)) {
        packets_.push_back(*packet);
      } else if (std::holds_alternative<show::Meters>(event)) {
        ++meters_;
      } else {
        return;
      }
      changed_.notify_all();
    });
  }

  std::size_t packets() {
    std::lock_guard lock(mutex_);
    return packets_.size();
  }
  std::vector<show::ListenPacket> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(packets_, {});
  }
  // Until `n` more meter events have come (n tenths of a second of the show).
  bool wait_meters(int n) {
    std::unique_lock lock(mutex_);
    const int until = meters_ + n;
    return changed_.wait_for(lock, 20s, [&] { return meters_ >= until; });
  }
  bool wait_packets(std::size_t n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 20s, [&] { return packets_.size() >= n; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<show::ListenPacket> packets_;
  int meters_ = 0;
};

// The packets decoded by GStreamer's Opus decoder: interleaved stereo F32 at 48 kHz.
std::vector<float> decode(const std::vector<show::ListenPacket>& packets) {
  GstElement* pipeline = gst_parse_launch(
      "appsrc name=in format=time caps=\"audio/x-opus,rate=48000,channels=2,"
      "channel-mapping-family=0\" ! opusdec ! audioconvert ! "
      "audio/x-raw,format=F32LE,layout=interleaved,channels=2,rate=48000 ! "
      "appsink name=out sync=false",
      nullptr);
  EXPECT_NE(pipeline, nullptr);
  if (pipeline == nullptr) {
    return {};
  }
  GstElement* in = gst_bin_get_by_name(GST_BIN(pipeline), "in");
  GstElement* out = gst_bin_get_by_name(GST_BIN(pipeline), "out");
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  GstClockTime pts = 0;
  for (const auto& packet : packets) {
    GstBuffer* buffer = gst_buffer_new_memdup(packet.opus->data(), packet.opus->size());
    GST_BUFFER_PTS(buffer) = pts;
    GST_BUFFER_DURATION(buffer) = 20 * GST_MSECOND;
    pts += 20 * GST_MSECOND;
    gst_app_src_push_buffer(GST_APP_SRC(in), buffer);
  }
  gst_app_src_end_of_stream(GST_APP_SRC(in));
  std::vector<float> samples;
  while (GstSample* sample = gst_app_sink_pull_sample(GST_APP_SINK(out))) {
    GstBuffer* buffer = gst_sample_get_buffer(sample);
    GstMapInfo map;
    if (gst_buffer_map(buffer, &map, GST_MAP_READ)) {
      const auto* f = reinterpret_cast<const float*>(map.data);
      samples.insert(samples.end(), f, f + map.size / sizeof(float));
      gst_buffer_unmap(buffer, &map);
    }
    gst_sample_unref(sample);
  }
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(in);
  gst_object_unref(out);
  gst_object_unref(pipeline);
  return samples;
}

// The left channel of the last second, as its two tones' levels.
struct Tones {
  double at_440 = -200;
  double at_1000 = -200;
};
Tones tones(const std::vector<float>& interleaved) {
  std::vector<float> left;
  for (std::size_t i = 0; i < interleaved.size(); i += 2) {
    left.push_back(interleaved[i]);
  }
  const std::size_t n = std::min<std::size_t>(left.size(), kRate / 2);
  if (n < kRate / 10) {
    return {};
  }
  const float* tail = left.data() + left.size() - n;
  return {tone_db(tail, n, 440, kRate), tone_db(tail, n, 1000, kRate)};
}

TEST(ListenTest, PacketsOnlyWhileListenedToEachCarryingItsSignal) {
  common::Redactor redactor;
  Engine engine(listen_show(), {std::filesystem::path(HALLCAST_SOURCE_DIR) / "pipelines"},
                redactor);
  Ears ears(engine);
  engine.start();
  ASSERT_TRUE(engine.run(show::AudioSet{"mic1", std::nullopt, true}).ok());

  // Nobody listens: a second of the show, not one packet.
  ASSERT_TRUE(ears.wait_meters(10));
  EXPECT_EQ(ears.packets(), 0u);

  // The booth: 1000 Hz, not the microphone.
  engine.set_listening("source:booth-en", true);
  ASSERT_TRUE(ears.wait_packets(60)) << "no packets from the booth";
  auto booth = ears.take();
  for (const auto& packet : booth) {
    EXPECT_EQ(packet.tap, "source:booth-en");
    EXPECT_EQ(packet.rate, 48000);
  }
  const Tones heard_booth = tones(decode(booth));
  EXPECT_GT(heard_booth.at_1000, -25.0);
  EXPECT_LT(heard_booth.at_440, heard_booth.at_1000 - 30.0);
  // Stamped with when they were in the hall: a moment ago, by the wall clock.
  const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  EXPECT_LT(now_us - booth.back().captured_us, 2'000'000);
  EXPECT_GE(now_us - booth.back().captured_us, 0);

  // The microphone, muted on its fader, is heard before the fader: 440 Hz.
  engine.set_listening("source:booth-en", false);
  engine.set_listening("source:mic1", true);
  ASSERT_TRUE(engine.run(show::StateGet{}).ok());  // after both have been applied
  ears.take();
  ASSERT_TRUE(ears.wait_packets(60)) << "no packets from the microphone";
  auto mic = ears.take();
  for (const auto& packet : mic) {
    EXPECT_EQ(packet.tap, "source:mic1");
  }
  const Tones heard_mic = tones(decode(mic));
  EXPECT_GT(heard_mic.at_440, -25.0);
  EXPECT_LT(heard_mic.at_1000, heard_mic.at_440 - 30.0);

  // The English track as broadcast: the booth over the (muted) floor.
  engine.set_listening("source:mic1", false);
  engine.set_listening("track:en", true);
  ASSERT_TRUE(engine.run(show::StateGet{}).ok());
  ears.take();
  ASSERT_TRUE(ears.wait_packets(60)) << "no packets from the English track";
  const Tones heard_track = tones(decode(ears.take()));
  EXPECT_GT(heard_track.at_1000, -25.0);
  EXPECT_LT(heard_track.at_440, heard_track.at_1000 - 30.0);

  // Nobody listens any more: nothing after the stop has been applied.
  engine.set_listening("track:en", false);
  ASSERT_TRUE(engine.run(show::StateGet{}).ok());
  ears.take();
  ASSERT_TRUE(ears.wait_meters(10));
  EXPECT_EQ(ears.packets(), 0u);

  // A tap the show does not have makes nothing and breaks nothing.
  engine.set_listening("source:cam1", true);
  engine.set_listening("track:fr", true);
  ASSERT_TRUE(engine.run(show::StateGet{}).ok());
  ASSERT_TRUE(ears.wait_meters(5));
  EXPECT_EQ(ears.packets(), 0u);
  engine.stop(4s);
}

}  // namespace
}  // namespace hallcast::engine
