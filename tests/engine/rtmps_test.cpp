// RTMPS: a platform behind TLS (nginx-rtmp behind a TLS front, tests/support/tls_proxy.h)
// is reached, and when it hangs with its connection open the destination notices as
// soon as over plain RTMP — the connection watched is the TCP one under the TLS — and
// comes back once the platform does.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine_show.h"
#include "support/media_probe.h"
#include "support/nginx_rtmp.h"
#include "support/temp_dir.h"
#include "support/tls_proxy.h"

namespace hallcast::engine {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using show::OutputState;

// The repository's templates, but an RTMP sink that takes the test's self-signed
// certificate, as a site's template may.
std::filesystem::path templates_trusting_any_certificate(const std::filesystem::path& folder) {
  const auto source = std::filesystem::path(HALLCAST_SOURCE_DIR) / "pipelines";
  std::filesystem::copy(source, folder);
  const auto rtmp = folder / "output-rtmp.pipeline";
  std::ostringstream text;
  text << std::ifstream(rtmp).rdbuf();
  std::string changed = text.str();
  const std::string sink = "rtmp2sink name=sink";
  changed.replace(changed.find(sink), sink.size(), sink + " tls-validation-flags=0");
  std::ofstream(rtmp) << changed;
  return folder;
}

config::Config rtmps_show(int port) {
  config::Config c;
  c.event.title = "rtmps";
  c.video.width = 320;
  c.video.height = 180;
  c.video.bitrate_kbps = 600;
  c.video.keyframe_interval_s = 1;
  c.sources = {
      {"cam", config::SourceKind::video, "", config::TestVideoUri{"snow"}, "Cam", ""},
      {"mic", config::SourceKind::audio, "", config::TestAudioUri{440, 0.3, 0, 0}, "Mic", ""},
  };
  c.scenes = {{"wide", "Wide", {{"cam", 0, 0, 1, 1}}}};
  config::Output out;
  out.id = "tls";
  out.name = "tls";
  out.type = config::OutputType::rtmp;
  out.url = "rtmps://127.0.0.1:" + std::to_string(port) + "/live";
  out.key = config::Secret("key-tls");
  c.outputs = {out};
  return c;
}

TEST(Rtmps, AHungPlatformBehindTlsIsLeftWithinSecondsAndRejoined) {
  testing::NginxRtmp nginx;
  testing::TlsProxy tls(nginx.port());
  testing::TempDir dir("hallcast-rtmps");
  testing::EngineShow show(rtmps_show(tls.port()),
                           templates_trusting_any_certificate(dir.path() / "pipelines"));
  show.start();
  ASSERT_TRUE(show.wait_for({"tls"}, OutputState::live, 10s)) << show.history() << tls.log();
  const auto live = show.entered_at("tls", OutputState::live);
  std::this_thread::sleep_for(3500ms);
  EXPECT_EQ(show.states_entered("tls", live + 1ms, Clock::now()), std::vector<OutputState>{})
      << "left the air while its platform was healthy\n"
      << show.history();
  EXPECT_GT(show.output("tls").bitrate_kbps, 300.0);

  tls.pause();
  const auto paused = Clock::now();
  const auto left = show.wait_until(
      {"tls"}, [](const show::OutputStatus& s) { return s.state != OutputState::live; }, 12s);
  ASSERT_TRUE(left) << "still live 12 s after the platform hung\n" << show.history();
  const auto status = show.output("tls");
  std::cerr << "[          ] left " << testing::seconds_of(Clock::now() - paused)
            << " s after the platform hung: " << status.last_error << "\n";
  EXPECT_LE(testing::seconds_of(Clock::now() - paused), 5.0) << show.history();
  EXPECT_NE(status.last_error.find("stopped reading"), std::string::npos) << status.last_error;

  tls.resume();
  ASSERT_TRUE(show.wait_for({"tls"}, OutputState::live, 30s)) << show.history();
  std::this_thread::sleep_for(1500ms);
  show.stop();
  nginx.stop();
  // What arrives through the TLS front is a whole stream.
  const auto decoded = testing::decode_check(nginx.recorded_file("key-tls"));
  EXPECT_TRUE(decoded.ok) << decoded.errors;
  EXPECT_GE(decoded.video_frames, 20);
}

}  // namespace
}  // namespace hallcast::engine
