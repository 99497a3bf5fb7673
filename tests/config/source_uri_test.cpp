// parse_source_uri(): every scheme of SPEC §2, good and bad, and which kinds it feeds.
#include <gtest/gtest.h>

#include "config/config.h"

namespace hallcast::config::test {
namespace {

SourceUri good(std::string_view text, SourceKind kind) {
  auto result = parse_source_uri(text, kind);
  if (auto* message = std::get_if<std::string>(&result)) {
    ADD_FAILURE() << text << ": " << *message;
    return {};
  }
  return std::get<SourceUri>(result);
}

std::string bad(std::string_view text, SourceKind kind) {
  auto result = parse_source_uri(text, kind);
  if (std::holds_alternative<SourceUri>(result)) {
    ADD_FAILURE() << text << " was accepted";
    return {};
  }
  return std::get<std::string>(result);
}

MediaUri media(std::string_view text, SourceKind kind) {
  const SourceUri uri = good(text, kind);
  EXPECT_TRUE(std::holds_alternative<MediaUri>(uri)) << text;
  return std::holds_alternative<MediaUri>(uri) ? std::get<MediaUri>(uri) : MediaUri{};
}

constexpr auto kVideo = SourceKind::video;
constexpr auto kAudio = SourceKind::audio;
constexpr auto kBooth = SourceKind::interpretation;

TEST(TestVideoUri, TakesAnyVideotestsrcPattern) {
  for (const char* pattern : {"smpte",
                              "snow",
                              "black",
                              "white",
                              "red",
                              "green",
                              "blue",
                              "checkers-1",
                              "checkers-2",
                              "checkers-4",
                              "checkers-8",
                              "circular",
                              "blink",
                              "smpte75",
                              "zone-plate",
                              "gamut",
                              "chroma-zone-plate",
                              "solid-color",
                              "ball",
                              "smpte100",
                              "bar",
                              "pinwheel",
                              "spokes",
                              "gradient",
                              "colors",
                              "smpte-rp-219"}) {
    const SourceUri uri = good(std::string("test:video?pattern=") + pattern, kVideo);
    ASSERT_TRUE(std::holds_alternative<TestVideoUri>(uri));
    EXPECT_EQ(std::get<TestVideoUri>(uri).pattern, pattern);
  }
  EXPECT_EQ(std::get<TestVideoUri>(good("test:video", kVideo)).pattern, "smpte");
}

TEST(TestVideoUri, RejectsWhatIsNotAPattern) {
  EXPECT_NE(bad("test:video?pattern=balls", kVideo).find("unknown pattern \"balls\""),
            std::string::npos);
  EXPECT_NE(bad("test:video?pattern=", kVideo).find("unknown pattern \"\""), std::string::npos);
  EXPECT_NE(bad("test:video?pattern=ball&freq=3", kVideo)
                .find("unknown parameter \"freq\"; test:video takes pattern"),
            std::string::npos);
  EXPECT_NE(
      bad("test:video?pattern=ball&pattern=snow", kVideo).find("parameter \"pattern\" given twice"),
      std::string::npos);
  EXPECT_NE(bad("test:video?ball", kVideo).find("expected NAME=VALUE, got \"ball\""),
            std::string::npos);
  EXPECT_NE(bad("test:videos", kVideo).find("expected test:video or test:audio"),
            std::string::npos);
}

TEST(TestVideoUri, OnlyForVideoSources) {
  EXPECT_EQ(bad("test:video?pattern=ball", kAudio), "test:video suits video sources, not audio");
  EXPECT_EQ(bad("test:video", kBooth), "test:video suits video sources, not interpretation");
}

TEST(TestAudioUri, ReadsToneAndRhythm) {
  const auto plain = std::get<TestAudioUri>(good("test:audio?freq=440&volume=0.3", kAudio));
  EXPECT_EQ(plain.freq, 440.0);
  EXPECT_EQ(plain.volume, 0.3);
  EXPECT_EQ(plain.on_s, 0.0);  // always on
  EXPECT_EQ(plain.off_s, 0.0);
  const auto talking = std::get<TestAudioUri>(good("test:audio?freq=1000&on_s=2&off_s=3", kBooth));
  EXPECT_EQ(talking.freq, 1000.0);
  EXPECT_EQ(talking.volume, 0.5);  // default
  EXPECT_EQ(talking.on_s, 2.0);
  EXPECT_EQ(talking.off_s, 3.0);
  const auto defaults = std::get<TestAudioUri>(good("test:audio", kAudio));
  EXPECT_EQ(defaults.freq, 440.0);
  EXPECT_EQ(std::get<TestAudioUri>(good("test:audio?on_s=0.5&off_s=0", kAudio)).off_s, 0.0);
  EXPECT_EQ(std::get<TestAudioUri>(good("test:audio?freq=20000&volume=1", kAudio)).volume, 1.0);
  EXPECT_EQ(std::get<TestAudioUri>(good("test:audio?freq=1&volume=0", kAudio)).freq, 1.0);
}

TEST(TestAudioUri, RejectsOutOfRangeAndHalfRhythms) {
  EXPECT_EQ(bad("test:audio?freq=0", kAudio), "freq must be 1..20000 Hz, got 0");
  EXPECT_EQ(bad("test:audio?freq=20001", kAudio), "freq must be 1..20000 Hz, got 20001");
  EXPECT_EQ(bad("test:audio?volume=1.5", kAudio), "volume must be 0..1, got 1.5");
  EXPECT_EQ(bad("test:audio?volume=-0.1", kAudio), "volume must be 0..1, got -0.1");
  EXPECT_EQ(bad("test:audio?freq=abc", kAudio), "freq must be a number, got \"abc\"");
  EXPECT_EQ(bad("test:audio?freq=1e3", kAudio), "freq must be a number, got \"1e3\"");
  EXPECT_EQ(bad("test:audio?freq=440hz", kAudio), "freq must be a number, got \"440hz\"");
  EXPECT_EQ(bad("test:audio?freq=inf", kAudio), "freq must be a number, got \"inf\"");
  EXPECT_EQ(bad("test:audio?on_s=2", kAudio), "on_s and off_s go together: give both or neither");
  EXPECT_EQ(bad("test:audio?off_s=3", kBooth), "on_s and off_s go together: give both or neither");
  EXPECT_EQ(bad("test:audio?on_s=0&off_s=1", kAudio), "on_s must be greater than 0, got 0");
  EXPECT_EQ(bad("test:audio?on_s=1&off_s=-1", kAudio), "off_s must be 0 or more, got -1");
  EXPECT_NE(bad("test:audio?freq=440&pattern=ball", kAudio)
                .find("unknown parameter \"pattern\"; test:audio takes freq, volume, on_s, off_s"),
            std::string::npos);
  EXPECT_EQ(bad("test:audio?freq=440&", kAudio), "expected NAME=VALUE, got \"\"");
}

TEST(TestAudioUri, OnlyForAudioAndInterpretationSources) {
  EXPECT_EQ(bad("test:audio?freq=440", kVideo),
            "test:audio suits audio and interpretation sources, not video");
}

TEST(FileUri, AbsolutePathForVideoOrAudio) {
  MediaUri uri = media("file:///srv/media/loop.mp4", kVideo);
  EXPECT_EQ(uri.scheme, "file");
  EXPECT_EQ(uri.location, "/srv/media/loop.mp4");
  EXPECT_EQ(media("file:///srv/media/room_tone-2.wav", kAudio).location,
            "/srv/media/room_tone-2.wav");
  // Percent-escapes are decoded, and Cyrillic names are fine.
  EXPECT_EQ(
      media("file:///srv/%D0%B7%D0%B0%D1%81%D1%82%D0%B0%D0%B2%D0%BA%D0%B0.mp4", kVideo).location,
      "/srv/заставка.mp4");
  EXPECT_EQ(media("file:///srv/заставка.mp4", kVideo).location, "/srv/заставка.mp4");
}

TEST(FileUri, RejectsRelativeUnsafeAndFolders) {
  EXPECT_EQ(bad("file://media/loop.mp4", kVideo), "expected an absolute path: file:///PATH");
  EXPECT_EQ(bad("file:/srv/loop.mp4", kVideo), "expected file://…");
  EXPECT_EQ(bad("file:///srv/my loop.mp4", kVideo), "path: spaces are not allowed");
  EXPECT_EQ(bad("file:///srv/my%20loop.mp4", kVideo), "path: spaces are not allowed");
  EXPECT_EQ(bad("file:///srv/a!b.mp4", kVideo), "path: \"!\" is not allowed");
  EXPECT_EQ(bad("file:///srv/a\"b.mp4", kVideo), "path: \"\\\"\" is not allowed");
  EXPECT_EQ(bad("file:///srv/a'b.mp4", kVideo), "path: \"'\" is not allowed");
  EXPECT_EQ(bad("file:///srv/a;b.mp4", kVideo), "path: \";\" is not allowed");
  EXPECT_EQ(bad("file:///srv/$HOME.mp4", kVideo), "path: \"$\" is not allowed");
  EXPECT_EQ(bad("file:///srv/a%2", kVideo), "\"%\" must start an escape such as %20");
  EXPECT_EQ(bad("file:///srv/media/", kVideo), "names a folder, not a file");
  EXPECT_EQ(bad("file:///srv/tone.wav", kBooth),
            "file:// suits video and audio sources, not interpretation");
}

TEST(V4l2Uri, DevicePathForVideo) {
  EXPECT_EQ(media("v4l2:///dev/video0", kVideo).location, "/dev/video0");
  EXPECT_EQ(media("v4l2:///dev/video12", kVideo).scheme, "v4l2");
  EXPECT_EQ(media("v4l2:///dev/v4l/by-id/usb-046d_C920-video-index0", kVideo).location,
            "/dev/v4l/by-id/usb-046d_C920-video-index0");
  EXPECT_EQ(bad("v4l2:///dev/sda", kVideo), "expected v4l2:///dev/videoN");
  EXPECT_EQ(bad("v4l2:///dev/video", kVideo), "expected v4l2:///dev/videoN");
  EXPECT_EQ(bad("v4l2:///dev/video0!", kVideo), "expected v4l2:///dev/videoN");
  EXPECT_EQ(bad("v4l2:///dev/v4l/by-id/cam one", kVideo), "device: spaces are not allowed");
  EXPECT_EQ(bad("v4l2:///dev/video0", kAudio), "v4l2:// suits video sources, not audio");
}

TEST(NetworkUri, RtspAndSrtKeepTheWholeUri) {
  MediaUri uri = media("rtsp://192.168.1.10:554/stream1", kVideo);
  EXPECT_EQ(uri.scheme, "rtsp");
  EXPECT_EQ(uri.location, "rtsp://192.168.1.10:554/stream1");
  EXPECT_EQ(media("rtsp://admin:pw@cam.local/h264?channel=1&subtype=0", kVideo).location,
            "rtsp://admin:pw@cam.local/h264?channel=1&subtype=0");
  EXPECT_EQ(media("rtsp://[fe80::1]:554/live", kVideo).location, "rtsp://[fe80::1]:554/live");
  uri = media("srt://encoder.local:9000?latency=200", kVideo);
  EXPECT_EQ(uri.scheme, "srt");
  EXPECT_EQ(uri.location, "srt://encoder.local:9000?latency=200");
  EXPECT_EQ(media("srt://:9000?mode=listener", kVideo).location, "srt://:9000?mode=listener");
  EXPECT_EQ(media("RTSP://cam.local/live", kVideo).location, "rtsp://cam.local/live");
}

TEST(NetworkUri, RejectsUnsafeOrIncomplete) {
  EXPECT_EQ(bad("rtsp://cam.local/my stream", kVideo), "spaces are not allowed");
  EXPECT_EQ(bad("rtsp://cam.local/a!b", kVideo), "\"!\" is not allowed");
  EXPECT_EQ(bad("rtsp://cam.local/\"x\"", kVideo), "\"\\\"\" is not allowed");
  EXPECT_EQ(bad("rtsp://cam.local/a,b", kVideo), "\",\" is not allowed");
  EXPECT_EQ(bad("rtsp://cam.local/a#b", kVideo), "\"#\" is not allowed");
  EXPECT_EQ(bad("rtsp://cam.local/caméra", kVideo),
            "non-ASCII characters are not allowed (percent-encode them)");
  EXPECT_EQ(bad("rtsp://cam local/x", kVideo), "not a host name: \"cam local\"");
  EXPECT_EQ(bad("rtsp:///live", kVideo), "expected rtsp://HOST[:PORT]/…");
  EXPECT_EQ(bad("rtsp://cam.local:0/live", kVideo), "port must be 1..65535, got \"0\"");
  EXPECT_EQ(bad("rtsp://[fe80::1/live", kVideo), "unclosed \"[\" around an IPv6 address");
  EXPECT_EQ(bad("srt://encoder.local", kVideo), "expected srt://[HOST]:PORT…");
  EXPECT_EQ(bad("rtsp://cam.local/live", kAudio), "rtsp:// suits video sources, not audio");
  EXPECT_EQ(bad("v4l2:///dev/video0", kBooth), "v4l2:// suits video sources, not interpretation");
  // A booth in another room arrives over SRT.
  EXPECT_EQ(media("srt://booth.local:9000", kBooth).scheme, "srt");
}

TEST(PulseUri, DeviceForAudioAndInterpretation) {
  MediaUri uri = media("pulse://", kAudio);
  EXPECT_EQ(uri.scheme, "pulse");
  EXPECT_EQ(uri.location, "");  // the default source
  EXPECT_EQ(
      media("pulse://alsa_input.usb-Focusrite_Scarlett_2i2-00.analog-stereo", kBooth).location,
      "alsa_input.usb-Focusrite_Scarlett_2i2-00.analog-stereo");
  EXPECT_EQ(bad("pulse://booth one", kBooth), "device: spaces are not allowed");
  EXPECT_EQ(bad("pulse://a!b", kAudio), "device: \"!\" is not allowed");
  EXPECT_EQ(bad("pulse://a/b", kAudio), "device: \"/\" is not allowed");
  EXPECT_EQ(bad("pulse://", kVideo), "pulse:// suits audio and interpretation sources, not video");
}

TEST(SourceUri, RejectsUnknownSchemesAndNonUris) {
  const std::string schemes =
      "expected test:video, test:audio, file://, v4l2://, rtsp://, srt:// or pulse://";
  EXPECT_EQ(bad("http://cam.local/feed", kVideo), "unknown scheme \"http\"; " + schemes);
  EXPECT_EQ(bad("cam1", kVideo), "not a URI; " + schemes);
  EXPECT_EQ(bad("", kVideo), "not a URI; " + schemes);
  EXPECT_EQ(bad(":video", kVideo), "not a URI; " + schemes);
  EXPECT_EQ(bad("rtsp:cam.local/live", kVideo), "expected rtsp://…");
}

}  // namespace
}  // namespace hallcast::config::test
