#include "app/signals.h"

#include <sys/resource.h>

#include <spdlog/spdlog.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>

namespace hallcast::app {

namespace {

// Their default action ends the process; none is a fault of the process itself.
constexpr std::array kStopSignals = {SIGHUP,  SIGINT,  SIGQUIT,   SIGUSR1, SIGUSR2,
                                     SIGALRM, SIGTERM, SIGSTKFLT, SIGXCPU, SIGVTALRM,
                                     SIGPROF, SIGIO,   SIGPWR};

bool ignored_by_parent(int signal) {
  struct sigaction current {};
  return sigaction(signal, nullptr, &current) == 0 && current.sa_handler == SIG_IGN;
}

}  // namespace

StopSignals::StopSignals() {
  sigemptyset(&set_);
  auto add = [this](int signal) {
    sigaddset(&set_, signal);
    // A blocked signal whose action is "ignore" is thrown away, never waited for.
    std::signal(signal, SIG_DFL);
  };
  for (int signal : kStopSignals) {
    if (signal == SIGHUP && ignored_by_parent(SIGHUP)) {
      hup_ignored_ = true;
      continue;
    }
    add(signal);
  }
  for (int signal = SIGRTMIN; signal <= SIGRTMAX; ++signal) {
    add(signal);
  }
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN);
  pthread_sigmask(SIG_BLOCK, &set_, nullptr);
}

int StopSignals::wait(std::chrono::milliseconds timeout) const {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  const timespec poll{static_cast<time_t>(seconds.count()),
                      static_cast<long>((timeout - seconds).count() * 1'000'000)};
  const int signal = sigtimedwait(&set_, nullptr, &poll);
  return signal > 0 ? signal : 0;
}

void StopSignals::log_exceptions() const {
  if (hup_ignored_) {
    spdlog::info("SIGHUP is ignored (nohup): a closed terminal will not stop the show");
  }
}

std::string signal_name(int signal) {
  if (signal >= SIGRTMIN && signal <= SIGRTMAX) {
    return signal == SIGRTMIN ? "SIGRTMIN" : "SIGRTMIN+" + std::to_string(signal - SIGRTMIN);
  }
  const char* abbrev = sigabbrev_np(signal);
  return abbrev != nullptr ? std::string("SIG") + abbrev : "signal " + std::to_string(signal);
}

void raise_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    spdlog::warn("open files: cannot read the limit: {}", std::strerror(errno));
    return;
  }
  const rlim_t soft = limit.rlim_cur;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
      spdlog::warn("open files: cannot raise the limit from {} to {}: {}", soft, limit.rlim_max,
                   std::strerror(errno));
      return;
    }
  }
  spdlog::info("open files: limit {} (was {}, hard limit {})", limit.rlim_cur, soft,
               limit.rlim_max);
}

}  // namespace hallcast::app
