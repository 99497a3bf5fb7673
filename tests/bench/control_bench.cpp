// Control-plane benchmark: the live show (real engine, real server) with 100 WebSocket
// clients. Prints the time from a command leaving the sender to its event reaching
// every client (p50/p90/p99/max), and the programme's frame rate and the process's CPU
// without and with the clients, to show that clients do not disturb the engine.
//
//   hallcast_control_bench [--clients 100] [--commands 200] [--interval-ms 50]
//                          [--width 640] [--height 360] [--fps 30] [--seconds 10]
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "common/redactor.h"
#include "config/config.h"
#include "control/server.h"
#include "engine/engine.h"
#include "support/temp_dir.h"
#include "support/ws_client.h"

namespace {

using namespace hallcast;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr const char* token = "bench-token-0123456789";

struct Settings {
  int clients = 100;
  int commands = 200;
  int interval_ms = 50;
  int width = 640;
  int height = 360;
  int fps = 30;
  int seconds = 10;
};

Settings parse_arguments(int argc, char** argv) {
  Settings s;
  std::map<std::string, int*> flags{{"--clients", &s.clients},         {"--commands", &s.commands},
                                    {"--interval-ms", &s.interval_ms}, {"--width", &s.width},
                                    {"--height", &s.height},           {"--fps", &s.fps},
                                    {"--seconds", &s.seconds}};
  for (int i = 1; i + 1 < argc; i += 2) {
    auto it = flags.find(argv[i]);
    if (it == flags.end()) {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      std::exit(2);
    }
    *it->second = std::atoi(argv[i + 1]);
  }
  return s;
}

std::string show_json(const Settings& s, const std::filesystem::path& record_dir) {
  json show = {
      {"event", {{"title", "bench"}, {"speakers", json::array()}}},
      {"video",
       {{"width", s.width},
        {"height", s.height},
        {"fps", s.fps},
        {"bitrate_kbps", 1500},
        {"keyframe_interval_s", 2}}},
      {"audio", {{"sample_rate", 48000}, {"bitrate_kbps", 96}}},
      {"sources",
       {{{"id", "cam1"}, {"kind", "video"}, {"uri", "test:video?pattern=ball"}},
        {{"id", "cam2"}, {"kind", "video"}, {"uri", "test:video?pattern=smpte"}},
        {{"id", "mic1"}, {"kind", "audio"}, {"uri", "test:audio?freq=440&volume=0.3"}},
        {{"id", "booth-en"},
         {"kind", "interpretation"},
         {"language", "en"},
         {"uri", "test:audio?freq=1000&volume=0.3&on_s=2&off_s=3"}}}},
      {"scenes",
       {{{"id", "wide"},
         {"layers", {{{"source", "cam1"}, {"x", 0}, {"y", 0}, {"w", 1}, {"h", 1}}}}},
        {{"id", "close"},
         {"layers", {{{"source", "cam2"}, {"x", 0}, {"y", 0}, {"w", 1}, {"h", 1}}}}}}},
      {"overlays", json::array()},
      {"outputs", {{{"id", "rec"}, {"type", "record"}, {"path", record_dir.string()}}}},
  };
  return show.dump();
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
         usage.ru_stime.tv_usec / 1e6;
}

struct Timing {
  double fps = 0;
  double slowest_fps = 1e9;  // the worst half-second the engine reported
  double cpu_percent = 0;
  std::uint64_t dropped = 0;
};

// Frame rate from the engine's own counter, sampled at the engine's 500 ms tick.
Timing measure_programme(engine::Engine& engine, int seconds) {
  Timing t;
  const double cpu_start = cpu_seconds();
  const auto start = Clock::now();
  auto first = engine.snapshot();
  auto previous = first;
  const auto end = start + std::chrono::seconds(seconds);
  while (Clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    auto now = engine.snapshot();
    const double dt = now->programme.uptime_s - previous->programme.uptime_s;
    if (dt > 0.2) {
      t.slowest_fps = std::min(
          t.slowest_fps, (now->programme.frames_encoded - previous->programme.frames_encoded) / dt);
      previous = now;
    }
  }
  const double span = previous->programme.uptime_s - first->programme.uptime_s;
  t.fps =
      span > 0 ? (previous->programme.frames_encoded - first->programme.frames_encoded) / span : 0;
  t.cpu_percent = 100.0 * (cpu_seconds() - cpu_start) /
                  std::chrono::duration<double>(Clock::now() - start).count();
  t.dropped = previous->programme.frames_dropped;
  return t;
}

double percentile(std::vector<double>& values, double p) {
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p * (values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  const Settings s = parse_arguments(argc, argv);
  testing::TempDir dir("hallcast-bench");
  config::Config config = config::parse(show_json(s, dir.path() / "rec"));
  config.control.port = 0;

  common::Redactor redactor;
  redactor.add(token);
  engine::Engine engine(config, {std::filesystem::path(HALLCAST_SOURCE_DIR) / "pipelines"},
                        redactor);
  control::ServerOptions options;
  options.web_dir = std::filesystem::path(HALLCAST_SOURCE_DIR) / "web";
  options.tokens.operator_token = config::Secret(token);
  control::ControlServer server(config.control, options, engine, redactor);
  spdlog::set_level(spdlog::level::warn);
  engine.start();
  server.start();
  const int port = server.port();

  std::printf(
      "hallcast control benchmark: %dx%d@%d programme, %d clients, %d scene.cut every %d ms\n",
      s.width, s.height, s.fps, s.clients, s.commands, s.interval_ms);
  std::this_thread::sleep_for(std::chrono::seconds(2));  // let the pipelines settle
  const Timing quiet = measure_programme(engine, s.seconds);

  // The clients: each reads on its own thread and stamps every programme event.
  testing::WsOptions ws;
  ws.headers = {std::string("Authorization: Bearer ") + token};
  std::vector<std::unique_ptr<testing::WsClient>> clients;
  for (int i = 0; i < s.clients; ++i) {
    clients.push_back(std::make_unique<testing::WsClient>(port, ws));
    if (!clients.back()->upgraded()) {
      std::fprintf(stderr, "client %d refused: %d\n", i, clients.back()->status());
      return 1;
    }
    clients.back()->receive_json();  // the state
  }
  std::vector<std::vector<Clock::time_point>> arrivals(clients.size());
  std::atomic<bool> done{false};
  std::vector<std::thread> readers;
  for (std::size_t i = 0; i < clients.size(); ++i) {
    readers.emplace_back([&, i] {
      while (!done.load()) {
        auto m = clients[i]->receive(std::chrono::milliseconds(200));
        if (m.kind == testing::WsMessage::Kind::text &&
            m.payload.find("\"event\":\"program\"") != std::string::npos) {
          arrivals[i].push_back(Clock::now());
        } else if (m.kind == testing::WsMessage::Kind::close ||
                   m.kind == testing::WsMessage::Kind::closed) {
          return;
        }
      }
    });
  }

  // The sender: its own connection, one command per interval, alternating scenes so
  // that every command is exactly one programme event.
  testing::WsClient sender(port, ws);
  sender.receive_json();
  std::vector<Clock::time_point> sent;
  std::vector<double> reply_ms;
  std::thread load([&] {
    auto next = Clock::now();
    for (int k = 0; k < s.commands; ++k) {
      next += std::chrono::milliseconds(s.interval_ms);
      const json request = {
          {"id", k}, {"cmd", "scene.cut"}, {"scene", k % 2 == 0 ? "close" : "wide"}};
      sent.push_back(Clock::now());
      const json reply = sender.request(request);
      reply_ms.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - sent.back()).count());
      if (reply["ok"] != true) {
        std::fprintf(stderr, "command refused: %s\n", reply.dump().c_str());
      }
      std::this_thread::sleep_until(next);
    }
  });
  const Timing busy =
      measure_programme(engine, std::max(s.seconds, s.commands * s.interval_ms / 1000));
  load.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  done.store(true);
  for (auto& r : readers)
    r.join();

  std::vector<double> latency_ms;
  std::size_t missing = 0;
  for (const auto& times : arrivals) {
    for (std::size_t k = 0; k < sent.size(); ++k) {
      if (k < times.size()) {
        latency_ms.push_back(std::chrono::duration<double, std::milli>(times[k] - sent[k]).count());
      } else {
        ++missing;
      }
    }
  }
  const std::size_t samples = latency_ms.size();
  const double p50 = percentile(latency_ms, 0.50), p90 = percentile(latency_ms, 0.90),
               p99 = percentile(latency_ms, 0.99), max = latency_ms.empty() ? 0 : latency_ms.back();
  std::printf(
      "command -> event at every client: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms "
      "(%zu samples, %zu missing)\n",
      p50, p90, p99, max, samples, missing);
  std::printf("command -> reply at the sender:   p50 %.2f ms, p99 %.2f ms\n",
              percentile(reply_ms, 0.50), percentile(reply_ms, 0.99));
  std::printf("programme without clients: %.2f fps (slowest half-second %.1f), CPU %.0f%%\n",
              quiet.fps, quiet.slowest_fps, quiet.cpu_percent);
  std::printf("programme with %d clients: %.2f fps (slowest half-second %.1f), CPU %.0f%%\n",
              s.clients, busy.fps, busy.slowest_fps, busy.cpu_percent);
  std::printf("frames dropped: %llu -> %llu\n", static_cast<unsigned long long>(quiet.dropped),
              static_cast<unsigned long long>(busy.dropped));
  server.stop();
  engine.stop(std::chrono::seconds(4));
  return missing == 0 ? 0 : 1;
}
