#include "integration/run_support.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "support/media_probe.h"
#include "support/ports.h"
#include "support/show_json.h"
#include "support/ws_client.h"

namespace hallcast::testing {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

int count_lines_starting_with(const std::string& text, const std::string& prefix) {
  const auto lines = lines_of(text);
  return static_cast<int>(std::count_if(lines.begin(), lines.end(), [&](const std::string& line) {
    return line.rfind(prefix, 0) == 0;
  }));
}

int count_lines_with(const std::string& text, const std::vector<std::string>& fragments) {
  const auto lines = lines_of(text);
  return static_cast<int>(std::count_if(lines.begin(), lines.end(), [&](const std::string& line) {
    return std::all_of(fragments.begin(), fragments.end(), [&](const std::string& fragment) {
      return line.find(fragment) != std::string::npos;
    });
  }));
}

std::string tail(const std::string& text, size_t length) {
  return text.size() <= length ? text : "…" + text.substr(text.size() - length);
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json base_config(int control_port) {
  return small_show_json(control_port);
}

json rtmp_output(const std::string& id, const std::string& url, const std::string& key_env) {
  return {{"id", id},           {"type", "rtmp"},      {"url", url},
          {"key_env", key_env}, {"language", "floor"}, {"enabled", true}};
}

json record_output(const std::filesystem::path& folder) {
  return {{"id", "rec"}, {"type", "record"}, {"path", folder.string()}};
}

std::vector<std::filesystem::path> find_recordings(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> found;
  std::error_code error;
  for (std::filesystem::recursive_directory_iterator it(folder, error), end; !error && it != end;
       it.increment(error)) {
    const auto extension = it->path().extension();
    if (it->is_regular_file() && (extension == ".mkv" || extension == ".ts")) {
      found.push_back(it->path());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::string list_folder(const std::filesystem::path& folder) {
  std::string text;
  std::error_code error;
  for (std::filesystem::recursive_directory_iterator it(folder, error), end; !error && it != end;
       it.increment(error)) {
    text += "  " + it->path().string() + "\n";
  }
  return text.empty() ? "  (empty)\n" : text;
}

double metric(const std::string& page, const std::string& sample) {
  for (const auto& line : lines_of(page)) {
    if (line.size() > sample.size() && line.compare(0, sample.size(), sample) == 0 &&
        line[sample.size()] == ' ') {
      return std::stod(line.substr(sample.size() + 1));
    }
  }
  return -1;
}

std::size_t video_packets_in(const std::filesystem::path& file) {
  try {
    return read_packets(file, "v").size();
  } catch (const std::runtime_error&) {
    return 0;  // not even a header yet
  }
}

void ShowRunTest::TearDown() {
  if (!HasFailure()) {
    return;
  }
  if (!earlier_output_.empty()) {
    std::cerr << "---- earlier hallcast output ----\n" << tail(earlier_output_) << "\n";
  }
  if (program_) {
    std::cerr << "---- hallcast output (" << program_->log_path().string() << ") ----\n"
              << tail(program_->output()) << "\n";
  }
  if (nginx_) {
    std::cerr << "---- nginx log ----\n" << tail(nginx_->log(), 8000) << "\n";
  }
}

NginxRtmp& ShowRunTest::start_nginx() {
  nginx_.emplace();
  return *nginx_;
}

std::filesystem::path ShowRunTest::record_dir() {
  const auto folder = work_.path() / "recordings";
  std::filesystem::create_directories(folder);
  return folder;
}

std::vector<std::string> ShowRunTest::command(const std::vector<std::string>& extra) const {
  std::vector<std::string> argv{kBinary,       "run",
                                "--config",    (work_.path() / "hallcast.json").string(),
                                "--log-level", "debug"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

void ShowRunTest::start(const json& config, const Environment& env,
                        const std::vector<std::string>& extra,
                        const std::vector<std::string>& wrapper) {
  ASSERT_NO_FATAL_FAILURE(write_text(work_.path() / "hallcast.json", config.dump(2)));
  if (program_) {
    earlier_output_ += program_->output();
    program_.reset();
  }
  std::vector<std::string> argv = wrapper;
  const auto run = command(extra);
  argv.insert(argv.end(), run.begin(), run.end());
  program_ = std::make_unique<ChildProcess>(argv, env, work_.path());
}

::testing::AssertionResult ShowRunTest::keep_running(std::chrono::milliseconds duration) {
  const auto started = Clock::now();
  while (Clock::now() - started < duration) {
    if (const auto code = program_->wait_for_exit(100ms)) {
      const auto after = std::chrono::duration<double>(Clock::now() - started).count();
      return ::testing::AssertionFailure()
             << "hallcast exited on its own after " << after << " s with code " << *code;
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult ShowRunTest::run_until_encoded(int control_port, double frames,
                                                          std::chrono::seconds limit) {
  const auto started = Clock::now();
  double encoded = 0.0;
  while (Clock::now() - started < limit) {
    if (auto running = keep_running(100ms); !running) {
      return running;
    }
    if (!can_connect(control_port)) {
      continue;
    }
    const HttpResponse response =
        http_get(control_port, "/metrics", {"Authorization: Bearer " + std::string(kToken)});
    if (response.status == 200) {
      encoded = metric(response.body, "hallcast_frames_encoded_total");
      if (encoded >= frames) {
        return ::testing::AssertionSuccess();
      }
    }
  }
  return ::testing::AssertionFailure()
         << encoded << " frames encoded after " << limit.count() << " s, not " << frames;
}

::testing::AssertionResult ShowRunTest::run_until_recorded(std::size_t packets,
                                                           std::chrono::seconds limit) {
  const auto started = Clock::now();
  std::size_t seen = 0;
  while (Clock::now() - started < limit) {
    if (auto running = keep_running(200ms); !running) {
      return running;
    }
    const auto found = find_recordings(record_dir());
    seen = found.empty() ? 0 : video_packets_in(found.back());
    if (seen >= packets) {
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure()
         << seen << " video packets recorded after " << limit.count() << " s, not " << packets;
}

ShowRunTest::Stop ShowRunTest::stop_with(int signal) {
  const auto started = Clock::now();
  program_->send_signal(signal);
  Stop result;
  result.exit_code = program_->wait_for_exit(kStopWait);
  result.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  return result;
}

void ShowRunTest::expect_clean_stop() {
  const Stop stop = stop_with(SIGINT);
  ASSERT_TRUE(stop.exit_code.has_value())
      << "still running " << kStopWait.count() << " s after SIGINT";
  EXPECT_EQ(*stop.exit_code, 0);
  EXPECT_LE(stop.took, kStopLimit) << "took " << stop.took.count() << " ms to stop";
}

std::filesystem::path ShowRunTest::the_recording() {
  const auto found = find_recordings(record_dir());
  EXPECT_EQ(found.size(), 1u) << "recordings folder:\n" << list_folder(record_dir());
  return found.empty() ? std::filesystem::path() : found.front();
}

}  // namespace hallcast::testing
