// Proves the test harness itself works, independent of hallcast: a private nginx-rtmp
// takes a publish from ffmpeg and records it, ffprobe reads the recording back, and
// child processes report exit codes and output. If these fail, the run tests' failures
// say nothing about the program.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>

#include "support/media_probe.h"
#include "support/nginx_rtmp.h"
#include "support/ports.h"
#include "support/process.h"

namespace hallcast::testing {
namespace {

using namespace std::chrono_literals;

// ffmpeg publishing `seconds` of a 320x180 test picture and a 440 Hz stereo tone.
CommandResult publish_test_stream(const std::string& url, int seconds) {
  const std::vector<std::string> argv = {"ffmpeg",
                                         "-nostdin",
                                         "-hide_banner",
                                         "-v",
                                         "error",
                                         "-re",
                                         "-f",
                                         "lavfi",
                                         "-i",
                                         "testsrc=size=320x180:rate=30",
                                         "-f",
                                         "lavfi",
                                         "-i",
                                         "sine=frequency=440:sample_rate=48000",
                                         "-t",
                                         std::to_string(seconds),
                                         "-c:v",
                                         "libx264",
                                         "-preset",
                                         "veryfast",
                                         "-pix_fmt",
                                         "yuv420p",
                                         "-g",
                                         "30",
                                         "-c:a",
                                         "aac",
                                         "-ac",
                                         "2",
                                         "-f",
                                         "flv",
                                         url};
  return run_command(argv, std::chrono::seconds(seconds + 20));
}

TEST(HarnessTest, NginxRecordsWhatFfmpegPublishes) {
  NginxRtmp nginx;
  ASSERT_TRUE(nginx.wait_until_ready(5s)) << nginx.log();
  EXPECT_EQ(nginx.url(), "rtmp://127.0.0.1:" + std::to_string(nginx.port()) + "/live");

  const CommandResult publish = publish_test_stream(nginx.url() + "/abc", 3);
  ASSERT_EQ(publish.exit_code, 0) << publish.output << "\n" << nginx.log();

  nginx.stop();
  EXPECT_FALSE(nginx.running());
  EXPECT_FALSE(can_connect(nginx.port())) << "port still open after stop()";

  const auto file = nginx.recorded_file("abc");
  ASSERT_TRUE(std::filesystem::exists(file)) << nginx.log();
  const MediaInfo info = probe(file);
  ASSERT_EQ(info.video_streams().size(), 1u);
  ASSERT_EQ(info.audio_streams().size(), 1u);
  const StreamInfo video = info.video_streams()[0];
  const StreamInfo audio = info.audio_streams()[0];
  EXPECT_EQ(video.codec_name, "h264");
  EXPECT_EQ(video.width, 320);
  EXPECT_EQ(video.height, 180);
  EXPECT_EQ(audio.codec_name, "aac");
  EXPECT_EQ(audio.sample_rate, 48000);
  EXPECT_EQ(audio.channels, 2);
  EXPECT_NEAR(info.duration_s, 3.0, 0.5);

  const DecodeReport decoded = decode_check(file);
  EXPECT_TRUE(decoded.ok) << decoded.errors;
  EXPECT_GE(decoded.video_frames, 80);
  EXPECT_GE(decoded.audio_frames, 100);  // 1024 samples per AAC frame: ~140 in 3 s

  // testsrc is a colour pattern, so a decoded frame cannot be one flat value.
  const std::vector<uint8_t> rgb = decode_rgb_frame(file, 1.0, 320, 180);
  ASSERT_EQ(rgb.size(), 320u * 180u * 3u);
  const auto [lowest, highest] = std::minmax_element(rgb.begin(), rgb.end());
  EXPECT_GT(*highest - *lowest, 100);
}

TEST(HarnessTest, NginxComesBackOnTheSamePortAfterAKill) {
  NginxRtmp nginx;
  const int port = nginx.port();
  nginx.kill();
  EXPECT_FALSE(nginx.running());
  EXPECT_FALSE(can_connect(port));
  nginx.restart();
  ASSERT_TRUE(nginx.wait_until_ready(5s)) << nginx.log();
  EXPECT_EQ(nginx.port(), port);
}

TEST(HarnessTest, ChildProcessReportsExitOutputAndEnvironment) {
  ::setenv("HALLCAST_HARNESS_REMOVED", "present", 1);
  ChildProcess child({"sh", "-c",
                      "echo \"[$HALLCAST_HARNESS_SET][${HALLCAST_HARNESS_REMOVED-unset}]\"; "
                      "pwd; echo oops >&2; exit 3"},
                     {{"HALLCAST_HARNESS_SET", "yes"}, {"HALLCAST_HARNESS_REMOVED", std::nullopt}},
                     "/");
  ::unsetenv("HALLCAST_HARNESS_REMOVED");
  EXPECT_EQ(child.wait_for_exit(5s), 3);
  EXPECT_EQ(child.output(), "[yes][unset]\n/\noops\n");
}

TEST(HarnessTest, ChildProcessReportsTheSignalThatEndedIt) {
  ChildProcess child({"sleep", "30"});
  EXPECT_TRUE(child.running());
  EXPECT_EQ(child.wait_for_exit(50ms), std::nullopt);
  child.send_signal(SIGINT);
  EXPECT_EQ(child.wait_for_exit(5s), 128 + SIGINT);
  EXPECT_THROW(ChildProcess({"/nonexistent/hallcast"}), std::runtime_error);
}

TEST(HarnessTest, RunCommandSeparatesStreamsAndEnforcesTimeout) {
  const CommandResult result = run_command({"sh", "-c", "echo out; echo err >&2; exit 4"});
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_EQ(result.stdout_text, "out\n");
  EXPECT_EQ(result.stderr_text, "err\n");
  EXPECT_FALSE(result.timed_out);

  const auto started = std::chrono::steady_clock::now();
  const CommandResult slow = run_command({"sleep", "30"}, 200ms);
  EXPECT_TRUE(slow.timed_out);
  EXPECT_EQ(slow.exit_code, 128 + SIGKILL);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

}  // namespace
}  // namespace hallcast::testing
