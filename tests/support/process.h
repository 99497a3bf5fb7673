// Child processes for tests: the program under test, nginx, ffmpeg and ffprobe.
//
// ChildProcess is for long-running children that a test signals and waits for; its
// stdout and stderr go to one log file so the test can read what it printed (for
// example to check that no secret was logged). run_command is for short tools whose
// output the test parses.
//
// Every child gets PR_SET_PDEATHSIG(SIGKILL): if the test binary dies (a crash, or
// ctest killing it on timeout) no nginx or hallcast is left running behind it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace hallcast::testing {

// Changes to the inherited environment: a value sets the variable, std::nullopt
// removes it (so a test can be sure a variable is unset).
using Environment = std::map<std::string, std::optional<std::string>>;

class ChildProcess {
 public:
  // Starts argv[0] (looked up in PATH when it has no slash) with the test's own
  // environment changed by `env`, in `working_dir` (the test's when empty).
  // Throws std::runtime_error when the program cannot be started.
  explicit ChildProcess(std::vector<std::string> argv, const Environment& env = {},
                        const std::filesystem::path& working_dir = {});
  // Kills (SIGKILL) and reaps the child if it is still running.
  ~ChildProcess();

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  // Does nothing once the child has been reaped, so a stale pid is never signalled.
  void send_signal(int signal);

  // The exit code, or 128 + signal number if a signal ended it; nullopt if the child
  // is still running after `timeout`.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);

  bool running();

  // Everything the child wrote to stdout and stderr so far.
  std::string output() const;
  const std::filesystem::path& log_path() const { return log_path_; }

 private:
  bool poll_exit();

  TempDir log_dir_;
  std::filesystem::path log_path_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

struct CommandResult {
  int exit_code = -1;      // 128 + signal if killed; see timed_out
  bool timed_out = false;  // killed because it outran its timeout
  std::string output;      // stdout and stderr, interleaved as they arrived
  std::string stdout_text;
  std::string stderr_text;
};

// Runs a short command to completion, capturing its output. A command still running
// after `timeout` is killed and reported as timed_out.
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(60),
                          const Environment& env = {},
                          const std::filesystem::path& working_dir = {});

// For assertion messages: the command line, quoted where needed.
std::string describe_command(const std::vector<std::string>& argv);

}  // namespace hallcast::testing
