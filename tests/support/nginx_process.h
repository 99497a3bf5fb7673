// An nginx started from a whole configuration a test was handed — what `hallcast deploy`
// prints — in a scratch folder of its own, as `nginx -p DIR/ -c DIR/nginx.conf` with
// `daemon off; master_process off;` added on the command line: one process, in the
// foreground, that the test can kill outright (a master's workers would outlive it)
// and start again on the same ports. Relative paths in the configuration (pid, error
// log, temporary files, cache) land in DIR.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/process.h"
#include "support/temp_dir.h"

namespace hallcast::testing {

class NginxProcess {
 public:
  // Starts nginx and waits until every port in `ports` (on 127.0.0.1) accepts
  // connections; throws std::runtime_error with nginx's log if it does not.
  NginxProcess(std::string config_text, std::vector<int> ports,
               std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~NginxProcess();
  NginxProcess(const NginxProcess&) = delete;
  NginxProcess& operator=(const NginxProcess&) = delete;

  const std::filesystem::path& dir() const { return dir_.path(); }
  bool running();
  // SIGKILL: gone without a goodbye, every connection dropped.
  void kill();
  // Started again from the same configuration; returns once its ports accept.
  void restart(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The error log and whatever nginx printed.
  std::string log() const;

 private:
  void spawn(std::chrono::milliseconds timeout);

  TempDir dir_;
  std::vector<int> ports_;
  std::unique_ptr<ChildProcess> process_;
};

// nginx's binary: /usr/sbin is not on every user's PATH.
std::string nginx_binary();

}  // namespace hallcast::testing
