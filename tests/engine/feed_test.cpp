// Real pipelines: the test-audio rhythm, and a destination session's keyframe start
// and retiming, read back from appsinks.
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "engine/gst/gst_ptr.h"
#include "engine/inputs/test_audio_gate.h"
#include "engine/outputs/feed_session.h"
#include "engine/outputs/stream_tap.h"

namespace hallcast::engine {
namespace {

class FeedTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { gst_init(nullptr, nullptr); }
};

TEST_F(FeedTest, TestAudioGateMakesSoundForOnSecondsThenSilence) {
  constexpr int kRate = 48000;
  PipelineOwner pipeline(sink_floating(
      gst_parse_launch("audiotestsrc name=src is-live=false wave=sine freq=1000 volume=0.5 "
                       "samplesperbuffer=480 num-buffers=200 "
                       "! audio/x-raw,format=F32LE,layout=interleaved,rate=48000,channels=2 "
                       "! appsink name=out sync=false",
                       nullptr)));
  ASSERT_TRUE(pipeline);
  ElementPtr src = adopt(gst_bin_get_by_name(pipeline.bin(), "src"));
  PadPtr pad = adopt(gst_element_get_static_pad(src.get(), "src"));
  TestAudioGate gate(pad.get(), kRate, 2, 0.25, 0.5);  // 2 s = 2.67 periods of 0.75 s

  ElementPtr out = adopt(gst_bin_get_by_name(pipeline.bin(), "out"));
  gst_element_set_state(pipeline.get(), GST_STATE_PLAYING);
  // Peak per 10 ms block, in order.
  std::vector<float> peaks;
  for (;;) {
    SamplePtr sample(gst_app_sink_pull_sample(GST_APP_SINK(out.get())));
    if (!sample)
      break;
    GstMapInfo map;
    GstBuffer* b = gst_sample_get_buffer(sample.get());
    ASSERT_TRUE(gst_buffer_map(b, &map, GST_MAP_READ));
    const auto* f = reinterpret_cast<const float*>(map.data);
    float peak = 0;
    for (std::size_t i = 0; i < map.size / sizeof(float); ++i)
      peak = std::max(peak, std::fabs(f[i]));
    gst_buffer_unmap(b, &map);
    peaks.push_back(peak);
  }
  ASSERT_EQ(peaks.size(), 200u);
  // Blocks 0–24 sound, 25–74 silent, 75–99 sound, 100–149 silent, 150–174 sound…
  for (std::size_t i = 0; i < peaks.size(); ++i) {
    const bool sound = (i % 75) < 25;
    if (sound) {
      EXPECT_GT(peaks[i], 0.3f) << "block " << i;
    } else {
      EXPECT_EQ(peaks[i], 0.0f) << "block " << i;
    }
  }
}

// A session's appsrcs feeding appsinks, to see exactly what a destination receives.
struct SessionRig {
  SessionRig() {
    pipeline = PipelineOwner(
        sink_floating(gst_parse_launch("appsrc name=v format=time ! appsink name=vout sync=false "
                                       "appsrc name=a format=time ! appsink name=aout sync=false",
                                       nullptr)));
    v = adopt(gst_bin_get_by_name(pipeline.bin(), "v"));
    a = adopt(gst_bin_get_by_name(pipeline.bin(), "a"));
    vout = adopt(gst_bin_get_by_name(pipeline.bin(), "vout"));
    aout = adopt(gst_bin_get_by_name(pipeline.bin(), "aout"));
    gst_element_set_state(pipeline.get(), GST_STATE_PLAYING);
    session = std::make_unique<FeedSession>(std::vector<GstElement*>{v.get(), a.get()},
                                            std::chrono::milliseconds(1000),
                                            [this](const std::string&) { ++stalls; });
  }
  ~SessionRig() {
    pipeline.reset();
    session.reset();
  }

  void push(int slot, GstClockTime pts, bool keyframe, GstCaps* caps) {
    BufferPtr b(gst_buffer_new_allocate(nullptr, 16, nullptr));
    GST_BUFFER_PTS(b.get()) = pts;
    GST_BUFFER_DTS(b.get()) = pts;
    GST_BUFFER_DURATION(b.get()) = 33 * GST_MSECOND;
    if (!keyframe)
      GST_BUFFER_FLAG_SET(b.get(), GST_BUFFER_FLAG_DELTA_UNIT);
    session->on_encoded(slot, EncodedFrame{b.get(), caps, pts, pts});
  }

  static std::vector<GstClockTime> drain(GstElement* sink, std::vector<bool>* keys = nullptr) {
    std::vector<GstClockTime> times;
    for (;;) {
      SamplePtr s(gst_app_sink_try_pull_sample(GST_APP_SINK(sink), 200 * GST_MSECOND));
      if (!s)
        break;
      GstBuffer* b = gst_sample_get_buffer(s.get());
      times.push_back(GST_BUFFER_PTS(b));
      if (keys)
        keys->push_back(!GST_BUFFER_FLAG_IS_SET(b, GST_BUFFER_FLAG_DELTA_UNIT));
    }
    return times;
  }

  PipelineOwner pipeline;
  ElementPtr v, a, vout, aout;
  std::unique_ptr<FeedSession> session;
  int stalls = 0;
};

TEST_F(FeedTest, SessionStartsOnAKeyframeAtTimeZero) {
  SessionRig rig;
  CapsPtr vcaps(gst_caps_from_string("video/x-h264,stream-format=avc,alignment=au"));
  CapsPtr acaps(gst_caps_from_string("audio/mpeg,mpegversion=4,stream-format=raw"));
  const GstClockTime s = GST_SECOND;
  rig.push(1, 10 * s, false, acaps.get());            // audio before any keyframe: dropped
  rig.push(0, 10 * s, false, vcaps.get());            // delta before keyframe: dropped
  rig.push(0, 10 * s + s / 30, false, vcaps.get());   // dropped
  rig.push(1, 11 * s - s / 100, false, acaps.get());  // still before the keyframe: dropped
  rig.push(0, 11 * s, true, vcaps.get());             // keyframe: time zero
  rig.push(1, 11 * s + s / 100, false, acaps.get());
  rig.push(0, 11 * s + s / 30, false, vcaps.get());
  EXPECT_TRUE(rig.session->started());

  std::vector<bool> keys;
  auto video = SessionRig::drain(rig.vout.get(), &keys);
  auto audio = SessionRig::drain(rig.aout.get());
  ASSERT_EQ(video.size(), 2u);
  EXPECT_TRUE(keys[0]);
  EXPECT_EQ(video[0], 0u);
  EXPECT_EQ(video[1], s / 30);
  ASSERT_EQ(audio.size(), 1u);
  EXPECT_EQ(audio[0], s / 100);
  EXPECT_EQ(rig.stalls, 0);
}

TEST_F(FeedTest, SessionThatStopsTakingDataStallsOnceAndStopsQueueing) {
  SessionRig rig;
  // A destination that takes nothing: pause its pipeline so the appsrc queue fills.
  gst_element_set_state(rig.pipeline.get(), GST_STATE_PAUSED);
  CapsPtr vcaps(gst_caps_from_string("video/x-h264,stream-format=avc,alignment=au"));
  for (int i = 0; i < 120; ++i) {  // 4 s of video against a 1 s limit
    rig.push(0, i * GST_SECOND / 30, i % 30 == 0, vcaps.get());
  }
  EXPECT_EQ(rig.stalls, 1);
  EXPECT_TRUE(rig.session->failed());
  const guint64 queued = gst_app_src_get_current_level_time(GST_APP_SRC(rig.v.get()));
  EXPECT_LE(queued, 1100 * GST_MSECOND);
}

// Targets of a tap: one counts what it gets, one throws on its fifth buffer.
struct CountingTarget : FeedTarget {
  void on_encoded(int, const EncodedFrame&) override { ++frames; }
  std::atomic<int> frames{0};
};

struct ThrowingTarget : FeedTarget {
  void on_encoded(int, const EncodedFrame&) override {
    if (++calls == 5) {
      throw std::runtime_error("cannot take this frame");
    }
  }
  void on_failed(const std::string& why) noexcept override {
    std::lock_guard lock(mutex);
    failures.push_back(why);
  }
  std::atomic<int> calls{0};
  std::mutex mutex;
  std::vector<std::string> failures;
};

// What a destination throws while the programme's encoder thread hands it a buffer
// stays with that destination: the programme goes on, the other destinations get every
// buffer, and the one that threw is let go and told why.
TEST_F(FeedTest, ATargetThatThrowsIsLetGoAndEveryOtherIsFed) {
  PipelineOwner pipeline(
      sink_floating(gst_parse_launch("videotestsrc num-buffers=30 ! video/x-raw,width=64,height=36 "
                                     "! appsink name=out sync=false",
                                     nullptr)));
  ASSERT_TRUE(pipeline);
  StreamTap tap("video");
  ElementPtr out = adopt(gst_bin_get_by_name(pipeline.bin(), "out"));
  tap.attach(out.get());
  ThrowingTarget bad;
  CountingTarget good;
  tap.add(&bad, 0);
  tap.add(&good, 0);
  gst_element_set_state(pipeline.get(), GST_STATE_PLAYING);
  BusPtr bus = adopt(gst_element_get_bus(pipeline.get()));
  MessagePtr end(
      gst_bus_timed_pop_filtered(bus.get(), 10 * GST_SECOND,
                                 static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR)));
  ASSERT_TRUE(end);
  EXPECT_EQ(GST_MESSAGE_TYPE(end.get()), GST_MESSAGE_EOS) << "the programme's stream stopped";
  pipeline.reset();

  EXPECT_EQ(tap.buffers(), 30u);
  EXPECT_EQ(good.frames, 30);
  EXPECT_EQ(bad.calls, 5) << "still called after it threw";
  ASSERT_EQ(bad.failures.size(), 1u);
  EXPECT_NE(bad.failures[0].find("cannot take this frame"), std::string::npos) << bad.failures[0];
}

// A programme the machine cannot keep up with runs slower than the clock: no frame is
// missing, and the tap says how far behind the clock its frames come out.
TEST_F(FeedTest, AStreamSlowerThanTheClockIsBehindWithoutAFrameMissing) {
  struct Reading {
    GstClockTime behind = 0;
    std::uint64_t missing = 0;
  };
  // After 60 frames (two seconds of the stream) of a live 30 fps source, each frame
  // held up by `hold` on its way to the tap.
  const auto read = [](const std::string& hold) {
    const std::string text =
        "videotestsrc is-live=true ! video/x-raw,width=64,height=36,framerate=30/1 ! " + hold +
        "appsink name=out sync=false";
    PipelineOwner pipeline(sink_floating(gst_parse_launch(text.c_str(), nullptr)));
    EXPECT_TRUE(pipeline);
    StreamTap tap("video");
    tap.count_gaps(GST_SECOND / 30);
    ElementPtr out = adopt(gst_bin_get_by_name(pipeline.bin(), "out"));
    tap.attach(out.get());
    gst_element_set_state(pipeline.get(), GST_STATE_PLAYING);
    for (int i = 0; i < 2000 && tap.buffers() < 60; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_GE(tap.buffers(), 60u) << hold;
    const Reading reading{tap.behind(), tap.missing()};
    pipeline.reset();
    return reading;
  };
  const Reading healthy = read("");
  // 50 ms for each 33 ms frame: 60 frames come out a second behind the clock.
  const Reading slow = read("identity sleep-time=50000 ! ");
  EXPECT_LT(healthy.behind, 300 * GST_MSECOND);  // a frame or two, and a loaded machine's delay
  EXPECT_EQ(healthy.missing, 0u);
  EXPECT_GT(slow.behind, 600 * GST_MSECOND);
  EXPECT_EQ(slow.missing, 0u) << "late, not missing";
}

// A session told it failed gives up once, with the reason, and takes nothing more.
TEST_F(FeedTest, ASessionThatFailedSaysWhyOnceAndTakesNothingMore) {
  SessionRig rig;
  std::vector<std::string> reasons;
  FeedSession session({rig.v.get(), rig.a.get()}, std::chrono::milliseconds(1000),
                      [&](const std::string& why) { reasons.push_back(why); });
  session.on_failed("cannot take this frame");
  session.on_failed("and again");
  CapsPtr vcaps(gst_caps_from_string("video/x-h264,stream-format=avc,alignment=au"));
  BufferPtr b(gst_buffer_new_allocate(nullptr, 16, nullptr));
  session.on_encoded(0, EncodedFrame{b.get(), vcaps.get(), 0, 0});
  EXPECT_TRUE(session.failed());
  EXPECT_EQ(reasons, std::vector<std::string>{"cannot take this frame"});
  EXPECT_TRUE(SessionRig::drain(rig.vout.get()).empty());
}

}  // namespace
}  // namespace hallcast::engine
