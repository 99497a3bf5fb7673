// HLS viewers for tests/bench/scale_out.sh: the crowd of tests/support/hls_crowd.h
// against 127.0.0.1:PORT, one line of results at the end.
//   hallcast_test_hls_crowd --port PORT [--viewers 300] [--seconds 60]
// Exit 0 when every viewer played without an error or a stall, 1 otherwise.
#include <iostream>
#include <string>

#include "support/hls_crowd.h"

int main(int argc, char** argv) {
  hallcast::testing::CrowdOptions options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const int value = std::stoi(argv[i + 1]);
    if (name == "--port") {
      options.port = value;
    } else if (name == "--viewers") {
      options.viewers = value;
    } else if (name == "--seconds") {
      options.duration = std::chrono::seconds(value);
    } else {
      std::cerr << "usage: hallcast_test_hls_crowd --port PORT [--viewers N] [--seconds S]\n";
      return 2;
    }
  }
  if (options.port == 0) {
    std::cerr << "hallcast_test_hls_crowd: --port is needed\n";
    return 2;
  }
  const auto report = hallcast::testing::run_crowd(options);
  std::cout << report.summary() << std::endl;
  const bool clean = report.errors == 0 && report.viewers_stalled == 0 &&
                     report.viewers_playing == options.viewers;
  return clean ? 0 : 1;
}
