// Encode once, push everywhere, survive any destination: a server that dies, hangs
// (hung_server_test.cpp) or was never there costs that destination its session and
// nothing else. It comes back
// by itself, each new session a fresh stream that starts on a keyframe; the recording
// and the programme go on without a gap; each destination carries its language and
// switches it live.
//
// The "platforms" are a private nginx-rtmp that records each stream it receives; what
// is asserted is what it recorded and what the show recorded, decoded, plus the states
// the engine publishes. Sources are told apart by colour (cameras) and by tone (floor
// 440 Hz, English booth 1000 Hz, Russian booth 1500 Hz, both booths always speaking).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "destination_checks.h"
#include "engine/engine.h"
#include "engine_show.h"
#include "support/media_probe.h"
#include "support/nginx_rtmp.h"
#include "support/ports.h"
#include "support/show_configs.h"
#include "support/signal_measure.h"
#include "support/temp_dir.h"

namespace hallcast::engine {
namespace {

using namespace destination_tests;
using Show = testing::EngineShow;

// --- the tests ------------------------------------------------------------------------

TEST(Destinations, ServerKilledAndRestartedDestinationsReturnAndTheRecordingHasNoGap) {
  testing::NginxRtmp nginx;
  testing::TempDir rec("hallcast-destinations");
  auto config = destinations_show();
  config.outputs = {testing::record_output(rec.path())};
  for (const auto& language : kThreeLanguages) {
    config.outputs.push_back(rtmp_output(language, nginx.url(), language));
  }
  Show show(std::move(config));
  show.start();
  ASSERT_TRUE(show.wait_for({"rec", "floor", "en", "ru"}, OutputState::live, kSoon))
      << show.history();
  const auto rec_live = show.entered_at("rec", OutputState::live);
  std::this_thread::sleep_for(4s);

  const auto killed = Clock::now();
  nginx.kill();
  const auto left = show.wait_until(
      kThreeLanguages,
      [](const show::OutputStatus& s) {
        return s.state == OutputState::reconnecting && s.reconnects >= 1;
      },
      kSoon);
  ASSERT_TRUE(left) << show.history();
  std::cerr << "[          ] reconnecting, first retry made: " << *left << " s after the kill\n";
  for (const auto& id : kThreeLanguages) {
    EXPECT_FALSE(show.output(id).last_error.empty()) << id;
    EXPECT_EQ(show.output(id).bitrate_kbps, 0.0) << id;
  }
  // While the server is away the programme changes scene: whatever a destination
  // carries afterwards can only come from a session opened after the restart.
  ASSERT_TRUE(show.run(show::SceneCut{"blue"}).ok());
  std::this_thread::sleep_until(killed + 3s);
  for (const auto& id : kThreeLanguages) {
    EXPECT_EQ(show.output(id).state, OutputState::reconnecting) << id << "\n" << show.history();
  }
  EXPECT_EQ(show.output("rec").state, OutputState::live);

  const auto restarted = Clock::now();
  nginx.restart();
  ASSERT_TRUE(nginx.wait_until_ready(5s)) << nginx.log();
  const auto back = show.wait_for(kThreeLanguages, OutputState::live, 20s);
  ASSERT_TRUE(back) << "not back 20 s after the restart\n" << show.history() << nginx.log();
  const auto back_at = Clock::now();
  std::cerr << "[          ] all live again " << seconds(Clock::now() - restarted)
            << " s after the restart\n";
  std::this_thread::sleep_for(2500ms);

  const auto ended = Clock::now();
  const auto state = show.state();
  for (const auto& id : kThreeLanguages) {
    const auto* output = state->find_output(id);
    ASSERT_NE(output, nullptr);
    EXPECT_EQ(output->state, OutputState::live) << id;
    EXPECT_GE(output->reconnects, 1) << id;
    EXPECT_GT(output->bitrate_kbps, 0.0) << id;
    std::cerr << "[          ] " << id << ": " << output->reconnects << " attempts, "
              << output->bitrate_kbps << " kb/s\n";
  }
  // The recording never left the air.
  EXPECT_EQ(show.states_entered("rec", rec_live + 1ms, ended), std::vector<OutputState>{})
      << show.history();
  EXPECT_LE(state->programme.frames_dropped, 1u);
  show.stop();
  nginx.stop();

  // The recording has every frame, and lasts as long as it was on the air. It began at
  // its first keyframe, at most kRecordingLeadS before the state said live; the
  // tolerance is one frame per second run.
  const auto recording = the_recording(rec.path());
  ASSERT_FALSE(recording.empty());
  const Timeline video = timeline(recording, "v", kFrameS);
  const double on_air = seconds(ended - rec_live);
  const double tolerance = on_air * kFrameS;
  std::cerr << "[          ] recording: " << video << "; on the air " << on_air << " s\n";
  expect_every_frame(video, state->programme.frames_dropped);
  expect_no_gap_between(video, seconds(killed - rec_live), seconds(back_at - rec_live) + 0.5);
  EXPECT_GE(video.span_s, on_air - tolerance) << video;
  EXPECT_LE(video.span_s, on_air + kRecordingLeadS + tolerance) << video;
  EXPECT_NEAR(static_cast<double>(video.packets), video.span_s * kFps, 2.0) << video;
  const auto decoded = testing::decode_check(recording);
  EXPECT_TRUE(decoded.ok) << decoded.errors;

  // nginx overwrote each stream's file when it was published again: what is there is
  // the second session, a stream of its own that starts on a keyframe at time zero.
  for (const auto& id : kThreeLanguages) {
    SCOPED_TRACE(id);
    const auto flv = nginx.recorded_file(stream_key(id));
    ASSERT_TRUE(std::filesystem::exists(flv));
    const Timeline session = timeline(flv, "v", kFrameS);
    std::cerr << "[          ] " << id << " after the restart: " << session << "\n";
    EXPECT_TRUE(session.starts_on_keyframe);
    EXPECT_NEAR(session.first_s, 0.0, 0.001);
    expect_every_frame(session, state->programme.frames_dropped);
    // Live 2.5 s before the end, counting from the RTMP handshake: the first keyframe
    // can follow up to a second later.
    EXPECT_GT(session.span_s, 1.0) << session;
    EXPECT_LE(session.span_s, seconds(ended - restarted) + 0.5) << session;
    EXPECT_EQ(colour_at(flv, 0.0), "blue");
    expect_sound_with_picture(flv);
    const auto flv_decoded = testing::decode_check(flv);
    EXPECT_TRUE(flv_decoded.ok) << flv_decoded.errors;
  }
}

TEST(Destinations, ADeadDestinationKeepsTryingAndDisturbsNoOther) {
  testing::NginxRtmp nginx;
  testing::TempDir rec("hallcast-destinations");
  auto config = destinations_show();
  config.outputs = {testing::record_output(rec.path()), rtmp_output("up", nginx.url(), "floor"),
                    rtmp_output("dead", dead_url(), "floor")};
  Show show(std::move(config));
  const auto started = Clock::now();
  show.start();
  ASSERT_TRUE(show.wait_for({"rec", "up"}, OutputState::live, kSoon)) << show.history();
  const auto up_live = show.entered_at("up", OutputState::live);
  const auto rec_live = show.entered_at("rec", OutputState::live);
  std::this_thread::sleep_until(started + 6500ms);

  const auto ended = Clock::now();
  const auto state = show.state();
  const auto* dead = state->find_output("dead");
  ASSERT_NE(dead, nullptr);
  std::cerr << "[          ] dead after " << seconds(ended - started)
            << " s: " << show::to_string(dead->state) << ", " << dead->reconnects
            << " attempts, last error \"" << dead->last_error << "\"\n";
  EXPECT_EQ(dead->state, OutputState::reconnecting);
  EXPECT_GE(dead->reconnects, 2);
  EXPECT_FALSE(dead->last_error.empty());
  const auto dead_states = show.states_entered("dead", started, ended);
  EXPECT_EQ(std::count(dead_states.begin(), dead_states.end(), OutputState::live), 0)
      << show.history();
  for (const char* id : {"up", "rec"}) {
    const auto* output = state->find_output(id);
    ASSERT_NE(output, nullptr);
    EXPECT_EQ(output->state, OutputState::live) << id;
    EXPECT_GT(output->bitrate_kbps, 50.0) << id;
    EXPECT_EQ(output->reconnects, 0) << id;
  }
  EXPECT_EQ(show.states_entered("up", up_live + 1ms, ended), std::vector<OutputState>{})
      << show.history();
  EXPECT_EQ(show.states_entered("rec", rec_live + 1ms, ended), std::vector<OutputState>{})
      << show.history();
  EXPECT_LE(state->programme.frames_dropped, 1u);
  show.stop();
  nginx.stop();

  // Both streams whole: from a keyframe to the end, every frame there. Each began
  // within a second of its state saying live (a tick, or a keyframe after the RTMP
  // handshake), the recording up to kRecordingLeadS before it.
  struct Stream {
    std::filesystem::path file;
    Clock::time_point live;
    double lead_s;
  };
  const std::vector<Stream> streams = {{nginx.recorded_file(stream_key("up")), up_live, 0.5},
                                       {the_recording(rec.path()), rec_live, kRecordingLeadS}};
  for (const auto& [file, live, lead_s] : streams) {
    SCOPED_TRACE(file.string());
    ASSERT_TRUE(std::filesystem::exists(file));
    const Timeline video = timeline(file, "v", kFrameS);
    const double on_air = seconds(ended - live);
    std::cerr << "[          ] " << file.filename().string() << ": " << video << "; on the air "
              << on_air << " s\n";
    EXPECT_TRUE(video.starts_on_keyframe);
    expect_every_frame(video, state->programme.frames_dropped);
    EXPECT_GE(video.span_s, on_air - 1.0 - on_air * kFrameS) << video;
    EXPECT_LE(video.span_s, on_air + lead_s + on_air * kFrameS) << video;
    const auto decoded = testing::decode_check(file);
    EXPECT_TRUE(decoded.ok) << decoded.errors;
  }
  expect_sound_with_picture(nginx.recorded_file(stream_key("up")));
  EXPECT_FALSE(std::filesystem::exists(nginx.recorded_file(stream_key("dead"))));
}

TEST(Destinations, StopAndStartAtRunTime) {
  testing::NginxRtmp nginx;
  auto config = destinations_show();
  config.outputs = {rtmp_output("web", nginx.url(), "floor")};
  Show show(std::move(config));
  show.start();
  ASSERT_TRUE(show.wait_for({"web"}, OutputState::live, kSoon)) << show.history();
  std::this_thread::sleep_for(2s);

  const auto flv = nginx.recorded_file(stream_key("web"));
  ASSERT_TRUE(show.run(show::OutputStop{"web"}).ok());
  const auto stopped = Clock::now();
  EXPECT_EQ(show.output("web").state, OutputState::idle);
  EXPECT_EQ(show.output("web").bitrate_kbps, 0.0);
  // What comes after the restart is blue, the first session red.
  ASSERT_TRUE(show.run(show::SceneCut{"blue"}).ok());
  std::this_thread::sleep_for(500ms);
  ASSERT_TRUE(std::filesystem::exists(flv));
  const auto size_after_stop = std::filesystem::file_size(flv);
  std::this_thread::sleep_for(2s);
  // Stopped means stopped: no data, and no attempt to come back by itself.
  EXPECT_GT(size_after_stop, 10'000u);
  EXPECT_EQ(std::filesystem::file_size(flv), size_after_stop);
  EXPECT_EQ(show.output("web").state, OutputState::idle);
  EXPECT_EQ(show.output("web").bitrate_kbps, 0.0);
  EXPECT_EQ(show.states_entered("web", stopped, Clock::now()), std::vector<OutputState>{})
      << show.history();

  const auto restarted = Clock::now();
  ASSERT_TRUE(show.run(show::OutputStart{"web"}).ok());
  const auto back = show.wait_for({"web"}, OutputState::live, kSoon);
  ASSERT_TRUE(back) << show.history();
  std::cerr << "[          ] live again " << *back << " s after output.start\n";
  std::this_thread::sleep_for(2500ms);
  const auto ended = Clock::now();
  EXPECT_EQ(show.output("web").state, OutputState::live);
  EXPECT_GT(show.output("web").bitrate_kbps, 50.0);
  EXPECT_EQ(show.output("web").reconnects, 0);
  const auto dropped = show.state()->programme.frames_dropped;
  EXPECT_LE(dropped, 1u);
  show.stop();
  nginx.stop();

  // The second session is a fresh stream: nginx's file now holds it alone, from a
  // keyframe at zero, blue from its first frame.
  const Timeline session = timeline(flv, "v", kFrameS);
  std::cerr << "[          ] after output.start: " << session << "\n";
  EXPECT_TRUE(session.starts_on_keyframe);
  EXPECT_NEAR(session.first_s, 0.0, 0.001);
  expect_every_frame(session, dropped);
  EXPECT_GT(session.span_s, 1.0) << session;  // as above: live 2.5 s, a keyframe a second
  EXPECT_LE(session.span_s, seconds(ended - restarted) + 0.5) << session;
  EXPECT_EQ(colour_at(flv, 0.0), "blue");
  expect_sound_with_picture(flv);
  const auto decoded = testing::decode_check(flv);
  EXPECT_TRUE(decoded.ok) << decoded.errors;
}

TEST(Destinations, EachDestinationCarriesItsLanguage) {
  testing::NginxRtmp nginx;
  auto config = destinations_show();
  for (const auto& language : kThreeLanguages) {
    config.outputs.push_back(rtmp_output(language, nginx.url(), language));
  }
  Show show(std::move(config));
  show.start();
  ASSERT_TRUE(show.wait_for(kThreeLanguages, OutputState::live, kSoon)) << show.history();
  std::this_thread::sleep_for(3500ms);
  show.stop();
  nginx.stop();

  std::map<std::string, ToneLevels> levels;
  for (const auto& id : kThreeLanguages) {
    const auto flv = nginx.recorded_file(stream_key(id));
    ASSERT_TRUE(std::filesystem::exists(flv)) << id;
    SCOPED_TRACE(id);
    // These sessions open with the show: their sound must not miss its first moments
    // while the programme's picture is still starting up.
    expect_sound_with_picture(flv);
    const auto samples = decode_mono(flv);
    ASSERT_GT(samples.size(), static_cast<std::size_t>(2 * kToneRate)) << id;
    // From 0.3 s: the booths' voice detection and the ducking have settled.
    levels[id] = tone_levels(samples, 0.3, 1e9);
    std::cerr << "[          ] " << id << ": " << levels[id] << "\n";
  }
  // The floor alone on the floor track.
  EXPECT_GE(levels["floor"].floor_db - levels["floor"].english_db, 20.0) << levels["floor"];
  EXPECT_GE(levels["floor"].floor_db - levels["floor"].russian_db, 20.0) << levels["floor"];
  // A booth on its own track, the other booth nowhere; the floor under it, there but
  // ducked (by 15 dB).
  for (const auto& [id, booth_hz] : {std::pair{"en", kEnglishHz}, std::pair{"ru", kRussianHz}}) {
    const ToneLevels& l = levels[id];
    const double own = booth_hz == kEnglishHz ? l.english_db : l.russian_db;
    const double other = booth_hz == kEnglishHz ? l.russian_db : l.english_db;
    EXPECT_GE(own - other, 20.0) << id << ": " << l;
    EXPECT_GE(own - l.floor_db, 10.0) << id << ": " << l;
    EXPECT_GT(l.floor_db, -40.0) << id << ": " << l;
  }
}

TEST(Destinations, LanguageSwitchesLiveInOneContinuousStream) {
  testing::NginxRtmp nginx;
  testing::TempDir rec("hallcast-destinations");
  auto config = destinations_show();
  config.outputs = {rtmp_output("web", nginx.url(), "en"), testing::record_output(rec.path())};
  Show show(std::move(config));
  show.start();
  ASSERT_TRUE(show.wait_for({"web", "rec"}, OutputState::live, kSoon)) << show.history();
  const auto web_live = show.entered_at("web", OutputState::live);
  std::this_thread::sleep_for(3s);

  const auto asked = Clock::now();
  const auto reply = show.run(show::OutputSetLanguage{"web", "ru"});
  const auto answered = Clock::now();
  const auto switched = asked + (answered - asked) / 2;
  ASSERT_TRUE(reply.ok()) << reply.message;
  std::cerr << "[          ] output.set_language answered in " << seconds(answered - asked) * 1000.0
            << " ms\n";
  EXPECT_EQ(show.output("web").language, "ru");
  // A recording carries every track: nothing to switch. An unknown language changes
  // nothing.
  EXPECT_EQ(show.run(show::OutputSetLanguage{"rec", "ru"}).error, show::ErrorCode::not_supported);
  EXPECT_EQ(show.run(show::OutputSetLanguage{"web", "de"}).error,
            show::ErrorCode::unknown_language);
  EXPECT_EQ(show.output("web").language, "ru");
  std::this_thread::sleep_for(3s);

  const auto ended = Clock::now();
  const auto web = show.output("web");
  EXPECT_EQ(web.state, OutputState::live);
  EXPECT_EQ(web.reconnects, 0);
  EXPECT_EQ(web.language, "ru");
  EXPECT_EQ(show.states_entered("web", web_live + 1ms, ended), std::vector<OutputState>{})
      << show.history();
  const auto dropped = show.state()->programme.frames_dropped;
  EXPECT_LE(dropped, 1u);
  show.stop();
  nginx.stop();

  // One stream, published once: nginx's file runs from a keyframe at zero over the
  // whole session, before and after the switch, without a gap in either stream.
  const auto flv = nginx.recorded_file(stream_key("web"));
  ASSERT_TRUE(std::filesystem::exists(flv));
  const Timeline video = timeline(flv, "v", kFrameS);
  const Timeline audio = timeline(flv, "a", kAacFrameS);
  std::cerr << "[          ] video: " << video << "\n[          ] audio: " << audio << "\n";
  EXPECT_TRUE(video.starts_on_keyframe);
  EXPECT_NEAR(video.first_s, 0.0, 0.001);
  expect_every_frame(video, dropped);
  EXPECT_GT(video.span_s, seconds(ended - switched) + 2.0) << video;
  // FLV times are whole milliseconds: an AAC frame is 21 or 22 ms apart.
  EXPECT_LE(audio.largest_step_s, 2.0 * kAacFrameS + 0.001) << audio;
  EXPECT_NEAR(audio.span_s, video.span_s, 0.1);

  const auto samples = decode_mono(flv);
  const double decoded_s = static_cast<double>(samples.size()) / kToneRate;
  std::cerr << "[          ] decoded audio " << decoded_s << " s, video " << video.span_s << " s\n";
  EXPECT_NEAR(decoded_s, video.span_s, 0.1);

  // Where the booth changes: the first 10 ms block in which 1500 Hz sounds (a booth
  // measures about -13 dB here) and is the louder.
  constexpr std::size_t kBlock = kToneRate / 100;
  std::optional<double> change_s;
  for (std::size_t at = 0; at + kBlock <= samples.size(); at += kBlock) {
    const double russian = testing::tone_db(&samples[at], kBlock, kRussianHz, kToneRate);
    if (russian > -40.0 &&
        russian > testing::tone_db(&samples[at], kBlock, kEnglishHz, kToneRate)) {
      change_s = audio.first_s + static_cast<double>(at) / kToneRate;
      break;
    }
  }
  ASSERT_TRUE(change_s) << "1500 Hz never took over";
  // The stream ended when the show stopped: the switch lies as far before the end as
  // it was asked for before the stop.
  const double expected_s = video.span_s - seconds(ended - switched);
  std::cerr << "[          ] switch at " << *change_s << " s of the stream; asked at " << expected_s
            << " s (" << (*change_s - expected_s) * 1000.0 << " ms later)\n";
  EXPECT_NEAR(*change_s, expected_s, 0.5);

  // English alone before, Russian alone after; 50 ms either side of the change are
  // left out, where the decoder's overlap mixes the two.
  const double change_in_samples_s = *change_s - audio.first_s;
  const ToneLevels before = tone_levels(samples, 0.3, change_in_samples_s - 0.05);
  const ToneLevels after = tone_levels(samples, change_in_samples_s + 0.05, 1e9);
  std::cerr << "[          ] before: " << before << "\n[          ] after:  " << after << "\n";
  EXPECT_GE(before.english_db - before.russian_db, 20.0) << before;
  EXPECT_GE(after.russian_db - after.english_db, 20.0) << after;
  // And no stretch in which the wrong booth is the louder one after the change.
  int wrong_blocks = 0;
  const auto from = static_cast<std::size_t>((change_in_samples_s + 0.05) * kToneRate);
  for (std::size_t at = from; at + kBlock <= samples.size(); at += kBlock) {
    wrong_blocks += testing::tone_db(&samples[at], kBlock, kEnglishHz, kToneRate) >
                    testing::tone_db(&samples[at], kBlock, kRussianHz, kToneRate);
  }
  EXPECT_EQ(wrong_blocks, 0);
}

}  // namespace
}  // namespace hallcast::engine
