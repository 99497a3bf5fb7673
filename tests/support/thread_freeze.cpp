#include "support/thread_freeze.h"

#include <sys/ptrace.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace hallcast::testing {
namespace {

pid_t find_thread(pid_t pid, const std::string& name) {
  std::error_code error;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
    std::ifstream comm(task.path() / "comm");
    std::string line;
    if (std::getline(comm, line) && line == name) {
      return static_cast<pid_t>(std::stol(task.path().filename().string()));
    }
  }
  return -1;
}

}  // namespace

ThreadFreeze::ThreadFreeze(pid_t pid, const std::string& name) {
  const pid_t tid = find_thread(pid, name);
  if (tid < 0) {
    error_ = "no thread named " + name + " in process " + std::to_string(pid);
    return;
  }
  if (ptrace(PTRACE_SEIZE, tid, nullptr, nullptr) != 0) {
    error_ = std::string("PTRACE_SEIZE: ") + std::strerror(errno);
    return;
  }
  int status = 0;
  if (ptrace(PTRACE_INTERRUPT, tid, nullptr, nullptr) != 0 ||
      waitpid(tid, &status, __WALL) != tid || !WIFSTOPPED(status)) {
    error_ = std::string("PTRACE_INTERRUPT: ") + std::strerror(errno);
    ptrace(PTRACE_DETACH, tid, nullptr, nullptr);
    return;
  }
  tid_ = tid;
  reaper_ = std::thread([this] { reap(); });
}

// Any thread of the tracer may wait for the tracee. Stops the thread runs into (a
// signal meant for it) are left as they are: it stays stopped. Its end comes with its
// process's end, and is reaped here.
void ThreadFreeze::reap() {
  using namespace std::chrono_literals;
  while (!leaving_) {
    int status = 0;
    const pid_t got = waitpid(tid_, &status, __WALL | WNOHANG);
    if (got < 0 || (got == tid_ && (WIFEXITED(status) || WIFSIGNALED(status)))) {
      ended_ = true;
      return;
    }
    std::this_thread::sleep_for(20ms);
  }
}

ThreadFreeze::~ThreadFreeze() {
  if (tid_ < 0) {
    return;
  }
  if (!ended_) {
    // Only the thread that attached may detach; that is the test's thread, this one.
    ptrace(PTRACE_DETACH, tid_, nullptr, nullptr);
  }
  leaving_ = true;
  reaper_.join();
}

}  // namespace hallcast::testing
