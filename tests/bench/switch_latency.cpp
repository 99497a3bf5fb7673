// Switch benchmark: the demo show (three test cameras, two microphones, two booths) in
// one process at 1280x720@30, recorded. It makes 100 cuts between the camera scenes, at
// random points of the frame cycle, and prints the engine's own switch latency (command
// to the first encoded frame of the new picture: p50/p99/max; the target is p99 within
// one frame, 33 ms). Then it measures the process's CPU over equal windows with the
// multiview off, on (just switched on, then steady) and off again: what an operator
// watching the multiview costs the machine, in cores.
//
//   hallcast_switch_bench [--cuts 100] [--interval-ms 300] [--seconds 10]
//                         [--width 1280] [--height 720] [--fps 30]
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "common/redactor.h"
#include "config/config.h"
#include "engine/engine.h"
#include "support/show_configs.h"
#include "support/temp_dir.h"

namespace {

using namespace hallcast;
using Clock = std::chrono::steady_clock;

struct Settings {
  int cuts = 100;
  int interval_ms = 300;
  int seconds = 10;  // each CPU window
  int width = 1280;
  int height = 720;
  int fps = 30;
};

Settings parse_arguments(int argc, char** argv) {
  Settings s;
  std::map<std::string, int*> flags{{"--cuts", &s.cuts},       {"--interval-ms", &s.interval_ms},
                                    {"--seconds", &s.seconds}, {"--width", &s.width},
                                    {"--height", &s.height},   {"--fps", &s.fps}};
  for (int i = 1; i < argc; i += 2) {
    auto it = flags.find(argv[i]);
    if (it == flags.end() || i + 1 >= argc) {
      std::fprintf(stderr, "unknown or incomplete argument %s\n", argv[i]);
      std::exit(2);
    }
    *it->second = std::atoi(argv[i + 1]);
  }
  return s;
}

// The demo show as shipped, with the network destinations replaced by one recording:
// the bench measures the mixer and the encoder, not someone's ingest server.
config::Config demo_show(const Settings& s, const std::filesystem::path& record_dir) {
  config::Config c =
      config::load_file(std::filesystem::path(HALLCAST_SOURCE_DIR) / "config" / "demo.json");
  c.video.width = s.width;
  c.video.height = s.height;
  c.video.fps = s.fps;
  c.outputs = {testing::record_output(record_dir)};
  return c;
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);  // every thread of the process
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
         usage.ru_stime.tv_usec / 1e6;
}

struct Window {
  double cores = 0;  // CPU seconds per wall second
  double fps = 0;    // from the engine's frames_encoded
  std::uint64_t dropped = 0;
};

Window measure(engine::Engine& engine, int seconds) {
  const auto first = engine.snapshot();
  const double cpu_start = cpu_seconds();
  const auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  const double cpu = cpu_seconds() - cpu_start;
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  const auto last = engine.snapshot();
  Window w;
  w.cores = cpu / wall;
  // The engine publishes its counters on a tick, so its own clock gives the span.
  const double span = last->programme.uptime_s - first->programme.uptime_s;
  w.fps = span > 0 ? (last->programme.frames_encoded - first->programme.frames_encoded) / span : 0;
  w.dropped = last->programme.frames_dropped - first->programme.frames_dropped;
  return w;
}

bool run(engine::Engine& engine, show::Command command) {
  const auto r = engine.run(std::move(command));
  if (!r.ok())
    std::fprintf(stderr, "command failed: %s\n", r.message.c_str());
  return r.ok();
}

}  // namespace

int main(int argc, char** argv) {
  const Settings s = parse_arguments(argc, argv);
  spdlog::set_level(spdlog::level::warn);
  testing::TempDir dir("hallcast-switch-bench");
  common::Redactor redactor;
  engine::Engine engine(demo_show(s, dir.path()),
                        {std::filesystem::path(HALLCAST_SOURCE_DIR) / "pipelines"}, redactor);
  std::atomic<std::uint64_t> thumbnails{0};
  std::atomic<std::uint64_t> thumbnail_bytes{0};
  std::mutex feeds_mutex;  // guards per_feed (written on the engine thread)
  std::map<std::string, std::uint64_t> per_feed;
  engine.add_listener([&](const show::Event& e) {
    if (const auto* t = std::get_if<show::Thumbnail>(&e)) {
      ++thumbnails;
      thumbnail_bytes += t->jpeg ? t->jpeg->size() : 0;
      std::lock_guard lock(feeds_mutex);
      ++per_feed[t->feed];
    }
  });
  engine.start();
  std::this_thread::sleep_for(std::chrono::seconds(2));  // past start-up

  std::printf("switch bench: %dx%d@%d, demo sources, %d cuts %d ms (+ up to a frame) apart\n",
              s.width, s.height, s.fps, s.cuts, s.interval_ms);
  const char* scenes[] = {"abiru", "kashin", "wide"};  // "wide" starts on programme
  const auto before = engine.snapshot()->programme;
  bool ok = true;
  // A fixed interval that is a whole number of frames (300 ms is 9) would put every
  // command at the same point of the frame cycle and measure one phase only; a random
  // extra up to one frame samples them all.
  std::mt19937 random(20261127);
  std::uniform_int_distribution<int> jitter_us(0, 1'000'000 / s.fps);
  auto next = Clock::now();
  for (int i = 0; i < s.cuts; ++i) {
    ok &= run(engine, show::SceneCut{scenes[i % 3]});
    next += std::chrono::milliseconds(s.interval_ms) + std::chrono::microseconds(jitter_us(random));
    std::this_thread::sleep_until(next);
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));  // past the stats tick
  const auto after = engine.snapshot()->programme;
  const auto& l = after.switch_latency;
  std::printf("switch latency (engine, command to encoded frame) over %llu switches:\n",
              static_cast<unsigned long long>(l.count - before.switch_latency.count));
  std::printf("  p50 %.1f ms  p99 %.1f ms  max %.1f ms  (one frame: %.1f ms)\n", l.p50_ms, l.p99_ms,
              l.max_ms, 1000.0 / s.fps);
  const auto& m = after.switch_latency_mixer;
  std::printf("switch latency (engine, command to the mixer's output frame):\n");
  std::printf("  p50 %.1f ms  p99 %.1f ms  max %.1f ms\n", m.p50_ms, m.p99_ms, m.max_ms);
  std::printf("  frames dropped during the cuts: %llu\n",
              static_cast<unsigned long long>(after.frames_dropped - before.frames_dropped));

  // Thumbnails per feed over one window.
  auto feed_counts = [&] {
    std::lock_guard lock(feeds_mutex);
    return per_feed;
  };
  struct Measured {
    Window w;
    std::map<std::string, std::uint64_t> thumbnails;  // per feed, in this window
    std::uint64_t bytes = 0;
  };
  auto window = [&] {
    const auto counts_before = feed_counts();
    const auto bytes_before = thumbnail_bytes.load();
    Measured m;
    m.w = measure(engine, s.seconds);
    for (const auto& [feed, count] : feed_counts()) {
      const auto it = counts_before.find(feed);
      const auto delta = count - (it == counts_before.end() ? 0 : it->second);
      if (delta > 0)
        m.thumbnails[feed] = delta;
    }
    m.bytes = thumbnail_bytes.load() - bytes_before;
    return m;
  };
  auto print = [&](const char* label, const Measured& m) {
    std::uint64_t total = 0;
    for (const auto& [feed, count] : m.thumbnails)
      total += count;
    std::printf("  %-22s %.2f cores, %.2f fps, %llu dropped, %llu thumbnails", label, m.w.cores,
                m.w.fps, static_cast<unsigned long long>(m.w.dropped),
                static_cast<unsigned long long>(total));
    if (total > 0) {
      std::printf(" (%.1f kB each;", m.bytes / 1024.0 / static_cast<double>(total));
      for (const auto& [feed, count] : m.thumbnails)
        std::printf(" %s %.1f/s", feed.c_str(), count / static_cast<double>(s.seconds));
      std::printf(")");
    }
    std::printf("\n");
  };

  // Two windows with multiview on: the first starts when it is switched on, the second
  // shows the steady state.
  const Measured off = window();
  engine.set_multiview_active(true);
  const Measured on = window();
  const Measured on_steady = window();
  engine.set_multiview_active(false);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // thumbnails in flight
  const Measured off_again = window();

  std::printf("CPU over %d s windows (cores = CPU seconds per second):\n", s.seconds);
  print("multiview off:", off);
  print("multiview on (first):", on);
  print("multiview on (next):", on_steady);
  print("multiview off again:", off_again);
  const double baseline = (off.w.cores + off_again.w.cores) / 2;
  std::printf(
      "  multiview costs %+.2f cores in the first window, %+.2f in the next (on minus "
      "the mean of the two off windows)\n",
      on.w.cores - baseline, on_steady.w.cores - baseline);

  engine.stop(std::chrono::seconds(5));
  if (on_steady.thumbnails.empty() || !off_again.thumbnails.empty()) {
    std::fprintf(stderr, "multiview: thumbnails not produced while on, or produced while off\n");
    ok = false;
  }
  return ok ? 0 : 1;
}
