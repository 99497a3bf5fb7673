// An nginx from a whole configuration (see nginx_process.h).
#include "support/nginx_process.h"

#include <unistd.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/ports.h"

namespace hallcast::testing {

std::string nginx_binary() {
  return ::access("/usr/sbin/nginx", X_OK) == 0 ? "/usr/sbin/nginx" : "nginx";
}

NginxProcess::NginxProcess(std::string config_text, std::vector<int> ports,
                           std::chrono::milliseconds timeout)
    : dir_("hallcast-nginx-tier"), ports_(std::move(ports)) {
  std::ofstream(dir_.path() / "nginx.conf") << config_text;
  spawn(timeout);
}

NginxProcess::~NginxProcess() {
  kill();
}

bool NginxProcess::running() {
  return process_ && process_->running();
}

void NginxProcess::spawn(std::chrono::milliseconds timeout) {
  process_ = std::make_unique<ChildProcess>(std::vector<std::string>{
      nginx_binary(), "-p", dir_.path().string() + "/", "-c", (dir_.path() / "nginx.conf").string(),
      "-e", (dir_.path() / "error.log").string(), "-g", "daemon off; master_process off;"});
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (const int port : ports_) {
    while (!can_connect(port)) {
      if (!running() || std::chrono::steady_clock::now() > deadline) {
        const std::string details = log();
        kill();
        throw std::runtime_error("nginx did not start on port " + std::to_string(port) + ":\n" +
                                 details);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
}

void NginxProcess::kill() {
  if (running()) {
    process_->send_signal(SIGKILL);
    process_->wait_for_exit(std::chrono::seconds(5));
  }
}

void NginxProcess::restart(std::chrono::milliseconds timeout) {
  kill();
  spawn(timeout);
}

std::string NginxProcess::log() const {
  std::ifstream in(dir_.path() / "error.log");
  std::ostringstream text;
  text << in.rdbuf();
  if (process_) {
    text << process_->output();
  }
  return text.str();
}

}  // namespace hallcast::testing
