// An input whose pipeline blocks in its state changes never holds up the engine: a
// `file://` video source (a clip, on programme) that is a FIFO blocks in open() until a
// writer comes, and once the writer hangs (the pipe open, nothing written) stopping it
// blocks in read(). Both happen on worker threads; every command is answered meanwhile.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <fstream>
#include <future>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace hallcast::engine {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

config::Config fifo_show(const std::string& fifo) {
  config::Config c;
  c.video.width = 320;
  c.video.height = 180;
  c.video.bitrate_kbps = 300;
  c.video.keyframe_interval_s = 1;
  c.audio.bitrate_kbps = 64;
  auto uri = config::parse_source_uri("file://" + fifo, config::SourceKind::video);
  c.sources = {{"cam", config::SourceKind::video, "file://" + fifo,
                std::get<config::SourceUri>(uri), "Stage", ""},
               {"mic1", config::SourceKind::audio, "test:audio?freq=440&volume=0.3",
                config::TestAudioUri{440, 0.3, 0, 0}, "Floor", ""}};
  c.scenes = {{"stage", "Stage", {{"cam", 0, 0, 1, 1}}}};
  return c;
}

// How long `command` took to be answered, or nothing if it was not within `timeout`
// (the engine thread is stuck: the test goes on and says so).
std::optional<std::chrono::milliseconds> answered_within(Engine& engine, show::Command command,
                                                         std::chrono::milliseconds timeout) {
  auto reply = std::make_shared<std::promise<void>>();
  auto done = reply->get_future();
  const auto asked = Clock::now();
  engine.submit(std::move(command), [reply](show::Reply) { reply->set_value(); });
  if (done.wait_for(timeout) != std::future_status::ready) {
    return std::nullopt;
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - asked);
}

// The slowest of commands sent every 100 ms for `period`; nothing if one was not
// answered within a second.
std::optional<std::chrono::milliseconds> slowest_reply(Engine& engine,
                                                       std::chrono::milliseconds period) {
  std::chrono::milliseconds slowest{0};
  const auto until = Clock::now() + period;
  for (int i = 0; Clock::now() < until; ++i) {
    const auto took = answered_within(engine, show::AudioSet{"mic1", -3.0 * (i % 2), {}}, 1s);
    if (!took) {
      return std::nullopt;
    }
    slowest = std::max(slowest, *took);
    std::this_thread::sleep_for(100ms);
  }
  return slowest;
}

// Lets every reader still blocked in open() on `fifo` go (an empty write end, opened
// and closed), until no reader has it open.
void release_readers(const std::filesystem::path& fifo) {
  const auto deadline = Clock::now() + 10s;
  while (Clock::now() < deadline) {
    const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd < 0 && errno == ENXIO) {
      return;  // nobody reads
    }
    if (fd >= 0) {
      ::close(fd);
    }
    std::this_thread::sleep_for(20ms);
  }
  ADD_FAILURE() << "a reader of " << fifo << " never let go";
}

TEST(IngestTeardown, AnInputWhoseStateChangesBlockNeverHoldsUpTheEngine) {
  // A write to the FIFO after its reader let go is EPIPE, not a signal that ends the test.
  const auto sigpipe = std::signal(SIGPIPE, SIG_IGN);
  testing::TempDir dir("hallcast-fifo");
  const auto clip = dir.path() / "clip.ts";
  const auto made = testing::run_command(
      {"ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "color=c=blue:s=320x180:r=30:d=3",
       "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "30", "-f", "mpegts", clip.string()});
  ASSERT_EQ(made.exit_code, 0) << made.output;
  std::ifstream in(clip, std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
  const auto fifo = dir.path() / "camera.ts";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);

  common::Redactor redactor;
  std::mutex mutex;
  std::vector<show::Health> changes;  // of "cam", under mutex
  auto engine = std::make_unique<Engine>(
      fifo_show(fifo.string()),
      EngineOptions{std::filesystem::path(HALLCAST_SOURCE_DIR) / "pipelines"}, redactor);
  engine->add_listener([&](const show::Event& event) {
    if (const auto* changed = std::get_if<show::SourceChanged>(&event)) {
      std::lock_guard lock(mutex);
      changes.push_back(changed->status.health);
    }
  });
  const auto wait_for_change = [&](std::size_t count, show::Health health,
                                   std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      {
        std::lock_guard lock(mutex);
        if (changes.size() >= count) {
          return changes[count - 1] == health;
        }
      }
      if (Clock::now() >= deadline) {
        return false;
      }
      std::this_thread::sleep_for(10ms);
    }
  };

  // No writer: opening the camera blocks. Going on the air does not wait for it.
  auto started = std::async(std::launch::async, [&] { engine->start(); });
  int writer = -1;
  if (started.wait_for(5s) != std::future_status::ready) {
    ADD_FAILURE() << "start waited for the camera to open";
    writer = ::open(fifo.c_str(), O_WRONLY);  // lets it open, so the test can go on
  }
  started.get();
  const auto before_writer = slowest_reply(*engine, 1s);
  ASSERT_TRUE(before_writer) << "a command waited for the camera to open";
  EXPECT_LT(*before_writer, 250ms);

  // A writer sends three seconds of picture, then hangs with the pipe open.
  if (writer < 0) {
    writer = ::open(fifo.c_str(), O_WRONLY);
  }
  ASSERT_GE(writer, 0);
  std::thread feed([&] {
    for (std::size_t at = 0; at < bytes.size();) {
      const auto n = ::write(writer, bytes.data() + at, bytes.size() - at);
      if (n < 0 && errno == EPIPE) {
        // filesrc opens a FIFO twice as its pipeline starts (the first time only to
        // answer how it can be read, closing it at once): that reader going away is not
        // the end. The pipe is a new one once both ends are closed; start over.
        ::close(writer);
        writer = ::open(fifo.c_str(), O_WRONLY);
        at = 0;
        if (writer < 0) {
          return;
        }
        continue;
      }
      if (n <= 0) {
        return;
      }
      at += static_cast<std::size_t>(n);
    }
  });
  EXPECT_TRUE(wait_for_change(2, show::Health::live, 8s)) << "the camera never went live";
  // Lost a second after its last frame; its pipeline is then stopped while its reader
  // is stuck in read() on the hung pipe.
  EXPECT_TRUE(wait_for_change(3, show::Health::lost, 10s)) << "the camera was never lost";
  const auto while_hung = slowest_reply(*engine, 2s);
  EXPECT_TRUE(while_hung) << "a command waited for the hung camera to stop";
  if (while_hung) {
    EXPECT_LT(*while_hung, 250ms);
    std::cout << "measured: slowest reply " << before_writer->count()
              << " ms while the camera would not open, " << while_hung->count()
              << " ms while it would not stop\n";
  }

  feed.join();
  ::close(writer);  // the hung reads end
  engine.reset();
  release_readers(fifo);
  std::signal(SIGPIPE, sigpipe);
}

}  // namespace
}  // namespace hallcast::engine
