// Child processes for tests (see process.h).
#include "support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

extern char** environ;

namespace hallcast::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = -1;
  }

 private:
  int fd_;
};

std::runtime_error system_failure(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

int decode_wait_status(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return -1;
}

std::vector<std::string> build_environment(const Environment& changes) {
  std::map<std::string, std::string> merged;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    const auto equals = text.find('=');
    if (equals != std::string_view::npos) {
      merged[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
    }
  }
  for (const auto& [name, value] : changes) {
    if (value) {
      merged[name] = *value;
    } else {
      merged.erase(name);
    }
  }
  std::vector<std::string> result;
  result.reserve(merged.size());
  for (const auto& [name, value] : merged) {
    result.push_back(name + "=" + value);
  }
  return result;
}

// Looked up before fork(): a PATH search in the child would allocate, which is not
// safe between fork and exec.
std::string resolve_executable(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    return name;
  }
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  throw std::runtime_error("program not found in PATH: " + name);
}

// Starts argv with stdin/stdout/stderr on the given descriptors. Reports a failed exec
// (missing binary, bad working dir) as an exception instead of a mysterious exit 127.
pid_t spawn(const std::vector<std::string>& argv, const Environment& env,
            const std::filesystem::path& working_dir, int stdin_fd, int stdout_fd, int stderr_fd) {
  if (argv.empty()) {
    throw std::invalid_argument("spawn: empty argv");
  }
  const std::string executable = resolve_executable(argv[0]);
  std::vector<char*> arg_pointers;
  for (const auto& arg : argv) {
    arg_pointers.push_back(const_cast<char*>(arg.c_str()));
  }
  arg_pointers.push_back(nullptr);
  const std::vector<std::string> env_strings = build_environment(env);
  std::vector<char*> env_pointers;
  for (const auto& entry : env_strings) {
    env_pointers.push_back(const_cast<char*>(entry.c_str()));
  }
  env_pointers.push_back(nullptr);
  const std::string dir = working_dir.string();

  int report_pipe[2];
  if (::pipe2(report_pipe, O_CLOEXEC) != 0) {
    throw system_failure("pipe2");
  }
  Fd report_read(report_pipe[0]);
  Fd report_write(report_pipe[1]);

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    throw system_failure("fork");
  }
  if (pid == 0) {
    // Only async-signal-safe calls from here to exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) {
      ::_exit(127);  // the test died before prctl took effect
    }
    // A signal mask and ignored signals survive exec; the child must see SIGINT and
    // SIGTERM as a user would send them.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD}) {
      ::signal(sig, SIG_DFL);
    }
    int error = 0;
    if (::dup2(stdin_fd, STDIN_FILENO) < 0 || ::dup2(stdout_fd, STDOUT_FILENO) < 0 ||
        ::dup2(stderr_fd, STDERR_FILENO) < 0) {
      error = errno;
    } else if (!dir.empty() && ::chdir(dir.c_str()) != 0) {
      error = errno;
    } else {
      ::execve(executable.c_str(), arg_pointers.data(), env_pointers.data());
      error = errno;
    }
    [[maybe_unused]] auto written = ::write(report_pipe[1], &error, sizeof error);
    ::_exit(127);
  }

  report_write.reset();
  int child_error = 0;
  ssize_t got;
  do {
    got = ::read(report_read.get(), &child_error, sizeof child_error);
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof child_error)) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    throw std::runtime_error("cannot start " + describe_command(argv) + ": " +
                             std::strerror(child_error));
  }
  return pid;
}

Fd open_dev_null() {
  Fd fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    throw system_failure("open /dev/null");
  }
  return fd;
}

}  // namespace

ChildProcess::ChildProcess(std::vector<std::string> argv, const Environment& env,
                           const std::filesystem::path& working_dir)
    : log_dir_("hallcast-child") {
  const std::string program = argv.empty() ? "child" : std::filesystem::path(argv[0]).filename();
  log_path_ = log_dir_.path() / (program + ".log");
  Fd log(::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644));
  if (log.get() < 0) {
    throw system_failure("open " + log_path_.string());
  }
  Fd null_input = open_dev_null();
  pid_ = spawn(argv, env, working_dir, null_input.get(), log.get(), log.get());
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !poll_exit()) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

void ChildProcess::send_signal(int signal) {
  if (!poll_exit()) {
    ::kill(pid_, signal);
  }
}

bool ChildProcess::poll_exit() {
  if (exit_code_) {
    return true;
  }
  int status = 0;
  const pid_t result = ::waitpid(pid_, &status, WNOHANG);
  if (result == pid_) {
    exit_code_ = decode_wait_status(status);
    return true;
  }
  if (result < 0 && errno == ECHILD) {
    exit_code_ = -1;  // reaped elsewhere; nothing left to wait for
    return true;
  }
  return false;
}

std::optional<int> ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!poll_exit()) {
    if (Clock::now() >= deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return exit_code_;
}

bool ChildProcess::running() {
  return !poll_exit();
}

std::string ChildProcess::output() const {
  std::ifstream in(log_path_, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          const Environment& env, const std::filesystem::path& working_dir) {
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    throw system_failure("pipe2");
  }
  Fd out_read(out_pipe[0]);
  Fd out_write(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw system_failure("pipe2");
  }
  Fd err_read(err_pipe[0]);
  Fd err_write(err_pipe[1]);
  Fd null_input = open_dev_null();

  const pid_t pid =
      spawn(argv, env, working_dir, null_input.get(), out_write.get(), err_write.get());
  out_write.reset();
  err_write.reset();

  CommandResult result;
  const auto deadline = Clock::now() + timeout;
  pollfd fds[2] = {{out_read.get(), POLLIN, 0}, {err_read.get(), POLLIN, 0}};
  std::string* sinks[2] = {&result.stdout_text, &result.stderr_text};
  int open_streams = 2;
  char buffer[65536];
  while (open_streams > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    const int ready = ::poll(fds, 2, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno != EINTR) {
      ::kill(pid, SIGKILL);
      throw system_failure("poll");
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) {
        continue;
      }
      const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
      if (got > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(got));
        result.output.append(buffer, static_cast<size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        fds[i].fd = -1;  // poll ignores negative descriptors
        --open_streams;
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = decode_wait_status(status);
  return result;
}

std::string describe_command(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& arg : argv) {
    if (!text.empty()) {
      text += ' ';
    }
    const bool plain =
        !arg.empty() && arg.find_first_of(" \t\n'\"\\$&;|<>()*?") == std::string::npos;
    if (plain) {
      text += arg;
    } else {
      text += '\'';
      for (char c : arg) {
        text += c == '\'' ? std::string("'\\''") : std::string(1, c);
      }
      text += '\'';
    }
  }
  return text;
}

}  // namespace hallcast::testing
