// config/demo.json, the first real event: it loads, and it has what the demo needs.
// Its cue list is read through the control protocol by `hallcast check` (the
// integration tests run it).
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "config/config.h"

namespace hallcast::config::test {
namespace {

Config load_demo() {
  return load_file(std::string(HALLCAST_SOURCE_DIR) + "/config/demo.json");
}

TEST(Demo, IsValid) {
  try {
    load_demo();
  } catch (const ConfigError& error) {
    FAIL() << error.what();
  }
}

TEST(Demo, EventAndSpeakers) {
  const Config config = load_demo();
  EXPECT_EQ(config.event.title, "Valdai Club to Discuss Prospects for Russian-Japanese Relations");
  EXPECT_EQ(config.event.venue, "Valdai Club Conference Hall, Tsvetnoy Boulevard 16/1, Moscow");
  EXPECT_EQ(config.event.start, "2026-07-03T11:00:00+03:00");
  ASSERT_TRUE(config.event_start());
  EXPECT_EQ(config.event_start()->utc_offset_min, 180) << "Moscow time";
  ASSERT_EQ(config.event.speakers.size(), 2u);
  const Speaker* abiru = config.find_speaker("abiru");
  ASSERT_NE(abiru, nullptr);
  EXPECT_EQ(abiru->name, "Taisuke Abiru");
  EXPECT_EQ(abiru->role, "Senior Research Fellow, the Sasakawa Peace Foundation");
  const Speaker* kashin = config.find_speaker("kashin");
  ASSERT_NE(kashin, nullptr);
  EXPECT_EQ(kashin->name, "Vasily Kashin");
  EXPECT_EQ(kashin->role,
            "Director, Center for Comprehensive European and International Studies, HSE");
  // The Russian platforms get the names in Cyrillic too.
  for (const Speaker* speaker : {abiru, kashin}) {
    ASSERT_EQ(speaker->forms.size(), 1u) << speaker->id;
    EXPECT_EQ(speaker->forms[0].language, "ru");
    EXPECT_FALSE(speaker->forms[0].name.empty());
    EXPECT_FALSE(speaker->forms[0].role.empty());
  }
  EXPECT_EQ(abiru->forms[0].name, "Тайсукэ Абиру");
  EXPECT_EQ(kashin->forms[0].name, "Василий Кашин");
}

TEST(Demo, EncoderSettings) {
  const Config config = load_demo();
  EXPECT_EQ(config.video.width, 1280);
  EXPECT_EQ(config.video.height, 720);
  EXPECT_EQ(config.video.fps, 30);
  EXPECT_EQ(config.video.bitrate_kbps, 3000);
  EXPECT_EQ(config.video.keyframe_interval_frames(), 60);
  EXPECT_EQ(config.audio.sample_rate, 48000);
  EXPECT_EQ(config.audio.bitrate_kbps, 128);
}

TEST(Demo, SourcesNeedNoHardware) {
  const Config config = load_demo();
  ASSERT_EQ(config.sources.size(), 7u);
  for (const Source& source : config.sources) {
    EXPECT_TRUE(source.uri_text.starts_with("test:")) << source.id;
    EXPECT_FALSE(std::holds_alternative<MediaUri>(source.uri)) << source.id;
  }
  const Source* wide = config.find_source("cam1");
  ASSERT_NE(wide, nullptr);
  EXPECT_EQ(wide->label, "Wide");
  EXPECT_EQ(std::get<TestVideoUri>(wide->uri).pattern, "ball");
  EXPECT_EQ(config.find_source("cam2")->label, "Abiru");
  EXPECT_EQ(config.find_source("cam3")->label, "Kashin");
  for (const char* mic : {"mic1", "mic2"}) {
    const Source* source = config.find_source(mic);
    ASSERT_NE(source, nullptr) << mic;
    EXPECT_EQ(source->kind, SourceKind::audio);
    const auto& tone = std::get<TestAudioUri>(source->uri);
    EXPECT_GT(tone.on_s, 0.0) << mic;  // panelists talk in turns
    EXPECT_GE(tone.volume, 0.2);
    EXPECT_LE(tone.volume, 0.3);
  }
  const Source* english = config.find_source("booth-en");
  ASSERT_NE(english, nullptr);
  EXPECT_EQ(english->kind, SourceKind::interpretation);
  EXPECT_EQ(english->language, "en");
  const auto& english_tone = std::get<TestAudioUri>(english->uri);
  EXPECT_EQ(english_tone.freq, 1000.0);
  EXPECT_EQ(english_tone.on_s, 2.0);
  EXPECT_EQ(english_tone.off_s, 3.0);
  EXPECT_EQ(config.find_source("booth-ru")->language, "ru");
  EXPECT_EQ(std::get<TestAudioUri>(config.find_source("booth-ru")->uri).freq, 800.0);
  EXPECT_EQ(config.languages(), (std::vector<std::string>{"floor", "en", "ru"}));
}

TEST(Demo, ScenesAndOverlays) {
  const Config config = load_demo();
  std::vector<std::string> scenes;
  for (const Scene& scene : config.scenes) {
    scenes.push_back(scene.id);
  }
  EXPECT_EQ(scenes, (std::vector<std::string>{"wide", "abiru", "kashin", "two-shot", "pip"}));
  EXPECT_EQ(config.scenes[3].layers.size(), 2u);
  EXPECT_EQ(config.scenes[4].layers.size(), 2u);
  ASSERT_EQ(config.overlays.size(), 5u);
  EXPECT_EQ(config.overlays[0].id, "lt-abiru");
  EXPECT_EQ(config.overlays[0].speaker, "abiru");
  EXPECT_EQ(config.overlays[1].id, "lt-kashin");
  EXPECT_EQ(config.overlays[1].speaker, "kashin");
  EXPECT_EQ(config.overlays[2].id, "slate");
  EXPECT_EQ(config.overlays[2].type, OverlayType::title);
  EXPECT_EQ(config.overlays[2].text, "Starting soon");
  EXPECT_EQ(config.overlays[3].id, "countdown");
  EXPECT_EQ(config.overlays[3].type, OverlayType::countdown);
  EXPECT_NE(config.overlays[3].text.find("{remaining}"), std::string::npos);
  // The opening look: the countdown over the hall's wide shot.
  EXPECT_EQ(config.opening_scene(), "wide");
  EXPECT_EQ(config.opening.overlays, std::vector<std::string>{"countdown"});
  EXPECT_FALSE(config.captions.no_signal_text.empty());
}

TEST(Demo, GoesLiveFiveMinutesEarlyByItsCueList) {
  using namespace std::chrono_literals;
  const Config config = load_demo();
  ASSERT_TRUE(config.event_start());
  const WallTime start = config.event_start()->time;
  std::vector<std::string> started;
  std::vector<std::string> stopped;
  bool countdown_hidden_at_start = false;
  bool opening_scene_taken_at_start = false;
  for (const Cue& cue : config.schedule) {
    const auto when = config.cue_time(cue);
    ASSERT_TRUE(when) << cue.at_text;
    const auto request = nlohmann::json::parse(cue.request);
    const std::string cmd = request.at("cmd");
    if (cmd == "output.start") {
      EXPECT_EQ(*when, start - 5min) << cue.request;
      started.push_back(request.at("output"));
    } else if (cmd == "output.stop") {
      EXPECT_GT(*when, start + 1h) << "after the end: " << cue.request;
      stopped.push_back(request.at("output"));
    } else if (cmd == "overlay.hide" && request.at("overlay") == "countdown") {
      countdown_hidden_at_start = *when == start;
    } else if (cmd == "scene.cut" && request.at("scene") == "wide") {
      opening_scene_taken_at_start = *when == start;
    }
  }
  std::vector<std::string> every;
  for (const Output& output : config.outputs) {
    every.push_back(output.id);
  }
  std::sort(started.begin(), started.end());
  std::sort(stopped.begin(), stopped.end());
  std::sort(every.begin(), every.end());
  EXPECT_EQ(started, every) << "every destination goes live on the countdown";
  EXPECT_EQ(stopped, every) << "and stops after the end";
  EXPECT_TRUE(countdown_hidden_at_start);
  EXPECT_TRUE(opening_scene_taken_at_start);
}

TEST(Demo, OutputsToEveryPlatformAndARecording) {
  const Config config = load_demo();
  struct Expected {
    const char* id;
    const char* url;
    const char* key_env;
    const char* language;
  };
  const Expected platforms[] = {
      {"website", "rtmp://live.example.org/hall", "HALLCAST_KEY_WEBSITE", "ru"},
      {"x", "rtmps://va.pscp.tv:443/x", "HALLCAST_KEY_X", "en"},
      {"vk", "rtmp://ovsu.mycdn.me/input", "HALLCAST_KEY_VK", "ru"},
      {"telegram", "rtmps://dc4-1.rtmp.t.me/s", "HALLCAST_KEY_TELEGRAM", "ru"},
      {"dzen", "rtmp://vsu.mycdn.me/input", "HALLCAST_KEY_DZEN", "ru"},
  };
  ASSERT_EQ(config.outputs.size(), 7u);
  for (std::size_t i = 0; i < 5; ++i) {
    const Output& output = config.outputs[i];
    EXPECT_EQ(output.id, platforms[i].id);
    EXPECT_EQ(output.type, OutputType::rtmp);
    EXPECT_EQ(output.url, platforms[i].url);
    EXPECT_EQ(output.key_env, platforms[i].key_env);
    EXPECT_TRUE(output.key.empty()) << "the demo keeps keys out of the file";
    EXPECT_EQ(output.language, platforms[i].language);
    EXPECT_FALSE(output.enabled) << "armed: the cue list puts it on the air";
  }
  const Output& recording = config.outputs[5];
  EXPECT_EQ(recording.id, "rec");
  EXPECT_EQ(recording.type, OutputType::record);
  EXPECT_EQ(recording.path, "recordings");
  EXPECT_FALSE(recording.enabled) << "armed: the cue list starts it";
  // The organiser's website plays this one from /hls/hls/master.m3u8, Russian first.
  const Output& hls = config.outputs[6];
  EXPECT_EQ(hls.type, OutputType::hls);
  EXPECT_EQ(hls.path, "hls");
  EXPECT_EQ(hls.language, "ru");
}

TEST(Demo, ControlOnLoopback) {
  const Config config = load_demo();
  EXPECT_EQ(config.control.host, "127.0.0.1");
  EXPECT_EQ(config.control.port, 8080);
  EXPECT_EQ(config.control.token_env, "HALLCAST_TOKEN");
}

}  // namespace
}  // namespace hallcast::config::test
