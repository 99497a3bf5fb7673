// The hall's cameras driven by the engine on real pipelines, against PTZ cameras
// emulated on loopback ports: previewing a scene recalls its presets (held while the
// camera is live), taking it lights the tallies, ptz.* commands reach the camera; and
// the automatic director follows two speakers taking turns, from looped recordings
// fed as the floor microphones.
#include <gtest/gtest.h>

#include <cmath>
#include <condition_variable>
#include <fstream>
#include <mutex>

#include "engine/engine.h"
#include "engine/ptz/visca.h"
#include "support/temp_dir.h"
#include "support/visca_camera.h"

namespace hallcast::engine {
namespace {

using namespace std::chrono_literals;
using testing::ViscaCamera;
using Clock = std::chrono::steady_clock;

config::Source camera(std::string id, const ViscaCamera& head, std::string pattern) {
  config::Source source;
  source.id = id;
  source.kind = config::SourceKind::video;
  source.uri_text = "test:video?pattern=" + pattern;
  source.uri = config::TestVideoUri{pattern};
  source.label = id;
  source.ptz = config::Ptz{config::PtzProtocol::visca_udp, "127.0.0.1", head.port()};
  return source;
}

config::Config hall_show(const ViscaCamera& head1, const ViscaCamera& head2) {
  config::Config c;
  c.video.width = 320;
  c.video.height = 180;
  c.video.bitrate_kbps = 300;
  c.audio.bitrate_kbps = 64;
  c.sources = {camera("cam1", head1, "red"), camera("cam2", head2, "blue")};
  c.sources.push_back({"mic1", config::SourceKind::audio, "test:audio?freq=440",
                       config::TestAudioUri{440, 0.3, 0, 0}, "mic1", ""});
  c.scenes = {
      {"wide", "Wide", {{"cam1", 0, 0, 1, 1}}, {{"cam1", 1}}},
      {"close", "Close", {{"cam2", 0, 0, 1, 1}}, {{"cam2", 3}}},
      {"two",
       "Two",
       {{"cam1", 0, 0, 0.5, 1}, {"cam2", 0.5, 0, 0.5, 1}},
       {{"cam1", 7}, {"cam2", 8}}},
  };
  return c;
}

EngineOptions options() {
  return {std::filesystem::path(HALLCAST_SOURCE_DIR) / "pipelines"};
}

const show::PtzStatus& ptz(const show::Snapshot& s, std::string_view id) {
  for (const auto& p : s.ptz) {
    if (p.source == id) {
      return p;
    }
  }
  throw std::runtime_error("no ptz status");
}

// Where `payload` first appears among what `head` received; -1 if it never did.
int first_index(const ViscaCamera& head, const visca::Bytes& payload) {
  const auto payloads = head.payloads();
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    if (payloads[i] == payload) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

TEST(HallCameras, PreviewFramesTheShotTakeLightsTheTallyALiveCameraIsHeld) {
  ViscaCamera head1(ViscaCamera::Transport::udp);
  ViscaCamera head2(ViscaCamera::Transport::udp);
  common::Redactor redactor;
  Engine engine(hall_show(head1, head2), options(), redactor);
  engine.start();

  // On the air: wide (cam1) on programme, close (cam2) on preview, framed.
  EXPECT_TRUE(head1.wait_for_payload(visca::tally(true)));
  EXPECT_TRUE(head2.wait_for_payload(visca::tally(false)));
  EXPECT_TRUE(head2.wait_for_payload(visca::recall(3)));
  EXPECT_EQ(first_index(head1, visca::recall(1)), -1);  // cam1 is live: never moved

  // Take: cam2 lights up, cam1 goes dark and, now on preview, is framed for wide.
  ASSERT_TRUE(engine.run(show::TransitionTake{}).ok());
  EXPECT_TRUE(head2.wait_for_payload(visca::tally(true)));
  EXPECT_TRUE(head1.wait_for_payload(visca::tally(false)));
  EXPECT_TRUE(head1.wait_for_payload(visca::recall(1)));
  EXPECT_LT(first_index(head1, visca::tally(false)), first_index(head1, visca::recall(1)));
  auto state = engine.snapshot();
  EXPECT_TRUE(ptz(*state, "cam2").tally);
  EXPECT_FALSE(ptz(*state, "cam1").tally);

  // "two" to preview while cam2 is live: cam1 is framed, cam2's preset is held.
  ASSERT_TRUE(engine.run(show::ScenePreview{"two"}).ok());
  EXPECT_TRUE(head1.wait_for_payload(visca::recall(7)));
  state = engine.snapshot();
  EXPECT_EQ(ptz(*state, "cam2").held, 8);
  EXPECT_EQ(ptz(*state, "cam1").preset, 7);
  EXPECT_EQ(first_index(head2, visca::recall(8)), -1);

  // cam2 leaves programme: the held preset goes out now.
  ASSERT_TRUE(engine.run(show::SceneCut{"wide"}).ok());
  EXPECT_TRUE(head2.wait_for_payload(visca::recall(8)));
  EXPECT_GT(first_index(head2, visca::recall(8)), first_index(head2, visca::recall(3)));
  state = engine.snapshot();
  EXPECT_EQ(ptz(*state, "cam2").held, -1);
  EXPECT_EQ(ptz(*state, "cam2").preset, 8);

  // The operator's own commands, and both links answering.
  ASSERT_TRUE(engine.run(show::PtzMove{"cam1", 1.0, 0.0, -1.0}).ok());
  EXPECT_TRUE(head1.wait_for_payload(visca::pan_tilt(1.0, 0.0)));
  EXPECT_TRUE(head1.wait_for_payload(visca::zoom(-1.0)));
  ASSERT_TRUE(engine.run(show::PtzStore{"cam2", 12}).ok());
  EXPECT_TRUE(head2.wait_for_payload(visca::store(12)));
  EXPECT_EQ(engine.run(show::PtzRecall{"mic1", 1}).error, show::ErrorCode::unknown_source);
  EXPECT_EQ(engine.run(show::AutoSet{true}).error, show::ErrorCode::not_supported);
  state = engine.snapshot();
  EXPECT_EQ(ptz(*state, "cam1").link, show::PtzLink::ok);
  EXPECT_EQ(ptz(*state, "cam2").link, show::PtzLink::ok);
  engine.stop(2s);
}

TEST(HallCameras, ACameraThatStopsAnsweringIsNoReplyAndHoldsUpNothing) {
  ViscaCamera head1(ViscaCamera::Transport::udp);
  ViscaCamera head2(ViscaCamera::Transport::udp);
  common::Redactor redactor;
  Engine engine(hall_show(head1, head2), options(), redactor);
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<show::PtzLink> cam2_links;  // cam2's link in every ptz event, in order
  engine.add_listener([&](const show::Event& event) {
    if (const auto* p = std::get_if<show::PtzChanged>(&event); p && p->status.source == "cam2") {
      std::lock_guard lock(mutex);
      cam2_links.push_back(p->status.link);
      changed.notify_all();
    }
  });
  engine.start();
  const auto cam2_link_is = [&](show::PtzLink link) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 10s,
                            [&] { return !cam2_links.empty() && cam2_links.back() == link; });
  };
  ASSERT_TRUE(cam2_link_is(show::PtzLink::ok));

  head2.set_silent(true);
  // The command to the silent camera is answered at once; the other camera has its own
  // while the silent one is still being tried (3 × 300 ms).
  ASSERT_TRUE(engine.run(show::PtzRecall{"cam2", 4}).ok());
  ASSERT_TRUE(engine.run(show::PtzRecall{"cam1", 5}).ok());
  EXPECT_TRUE(head1.wait_for_payload(visca::recall(5)));
  EXPECT_EQ(ptz(*engine.snapshot(), "cam2").link, show::PtzLink::ok) << "cam1 waited for cam2";
  EXPECT_TRUE(cam2_link_is(show::PtzLink::no_reply));
  EXPECT_EQ(ptz(*engine.snapshot(), "cam2").link, show::PtzLink::no_reply);
  EXPECT_EQ(ptz(*engine.snapshot(), "cam1").link, show::PtzLink::ok);

  // Back: the next look at it (a command, or the heartbeat) finds it.
  head2.set_silent(false);
  ASSERT_TRUE(engine.run(show::PtzRecall{"cam2", 6}).ok());
  EXPECT_TRUE(cam2_link_is(show::PtzLink::ok));
  engine.stop(2s);
}

// A mono 16-bit WAV at 48 kHz: `on_s` of a 440 Hz tone at 0.3, then `off_s` of silence
// (or the other way round with `silence_first`). Looped by the file source, two of these
// are two speakers taking turns.
void write_turns(const std::filesystem::path& file, double on_s, double off_s, bool silence_first) {
  constexpr int kRate = 48000;
  const int total = static_cast<int>((on_s + off_s) * kRate);
  const int on_from = silence_first ? static_cast<int>(off_s * kRate) : 0;
  const int on_to = on_from + static_cast<int>(on_s * kRate);
  std::vector<std::int16_t> samples(static_cast<std::size_t>(total));
  for (int i = on_from; i < on_to; ++i) {
    samples[static_cast<std::size_t>(i)] =
        static_cast<std::int16_t>(0.3 * 32767 * std::sin(2 * M_PI * 440.0 * i / kRate));
  }
  std::ofstream out(file, std::ios::binary);
  const auto u32 = [&](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
  const auto u16 = [&](std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
  const std::uint32_t bytes = static_cast<std::uint32_t>(samples.size() * 2);
  out.write("RIFF", 4);
  u32(36 + bytes);
  out.write("WAVEfmt ", 8);
  u32(16);
  u16(1);  // PCM
  u16(1);  // mono
  u32(kRate);
  u32(kRate * 2);
  u16(2);
  u16(16);
  out.write("data", 4);
  u32(bytes);
  out.write(reinterpret_cast<const char*>(samples.data()), bytes);
}

config::Source file_mic(std::string id, const std::filesystem::path& file) {
  config::Source source;
  source.id = id;
  source.kind = config::SourceKind::audio;
  source.uri_text = "file://" + file.string();
  source.uri = config::MediaUri{"file", file.string()};
  source.label = id;
  return source;
}

TEST(HallCameras, AutoDirectorFollowsTwoSpeakersTakingTurns) {
  testing::TempDir dir("hallcast-auto");
  write_turns(dir.path() / "abiru.wav", 2.0, 2.0, false);
  write_turns(dir.path() / "ivanov.wav", 2.0, 2.0, true);
  ViscaCamera head1(ViscaCamera::Transport::udp);
  ViscaCamera head2(ViscaCamera::Transport::udp);
  config::Config c = hall_show(head1, head2);
  c.sources.push_back(file_mic("mic-abiru", dir.path() / "abiru.wav"));
  c.sources.push_back(file_mic("mic-ivanov", dir.path() / "ivanov.wav"));
  c.scenes.push_back({"ivanov", "Ivanov", {{"cam2", 0, 0, 1, 1}}, {{"cam2", 9}}});
  config::AutoDirector director;
  director.enabled = true;
  director.follow = {{"mic-abiru", "close"}, {"mic-ivanov", "ivanov"}};
  director.fallback_scene = "wide";
  director.threshold_db = -40;
  director.attack_ms = 300;
  director.min_shot_s = 1.5;
  c.auto_director = director;

  common::Redactor redactor;
  Engine engine(c, options(), redactor);
  struct Shot {
    Clock::time_point at;
    std::string scene;
    std::string speaker;  // whom the director followed when it cut
  };
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<Shot> shots;
  std::string speaker;
  std::vector<show::AutoChanged> auto_events;
  engine.add_listener([&](const show::Event& event) {
    std::lock_guard lock(mutex);
    if (const auto* a = std::get_if<show::AutoChanged>(&event)) {
      speaker = a->status.speaker;
      auto_events.push_back(*a);
    } else if (const auto* p = std::get_if<show::ProgramChanged>(&event)) {
      shots.push_back({Clock::now(), p->scene, speaker});
    }
    changed.notify_all();
  });
  engine.start();
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, 40s, [&] { return shots.size() >= 5; }))
        << shots.size() << " cuts";
  }
  // A manual cut: the director stands aside and says so.
  ASSERT_TRUE(engine.run(show::SceneCut{"wide"}).ok());
  EXPECT_FALSE(engine.snapshot()->auto_director.enabled);
  engine.stop(2s);

  std::lock_guard lock(mutex);
  ASSERT_GE(shots.size(), 6u);  // five of the director's, then the manual one
  for (std::size_t i = 0; i + 1 < shots.size(); ++i) {
    const auto& shot = shots[i];
    // Each cut put the speaker's own scene on programme, turn after turn.
    EXPECT_EQ(shot.scene, shot.speaker == "mic-abiru" ? "close" : "ivanov") << "cut " << i;
    if (i > 0) {
      EXPECT_NE(shot.scene, shots[i - 1].scene) << "cut " << i;
      const double length = std::chrono::duration<double>(shot.at - shots[i - 1].at).count();
      EXPECT_GE(length, 1.5) << "shot " << i - 1 << " lasted " << length << " s";
    }
  }
  ASSERT_FALSE(auto_events.empty());
  EXPECT_FALSE(auto_events.back().status.enabled);
  EXPECT_EQ(auto_events.back().reason, "manual");
}

}  // namespace
}  // namespace hallcast::engine
