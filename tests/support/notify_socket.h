// A stand-in for systemd's notification socket: an AF_UNIX datagram socket a test binds
// and hands to the program under test as NOTIFY_SOCKET, then reads what it was told
// (READY=1, WATCHDOG=1, STOPPING=1, …) and when.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "support/temp_dir.h"

namespace hallcast::testing {

class NotifySocket {
 public:
  struct Message {
    std::string text;
    std::chrono::steady_clock::time_point at;
  };

  // Binds a socket in a fresh temp folder. Throws std::runtime_error if it cannot.
  NotifySocket();
  ~NotifySocket();
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  // The value for NOTIFY_SOCKET.
  std::string path() const { return path_.string(); }

  // The next datagram, or nullopt when none came within `timeout`.
  std::optional<Message> receive(std::chrono::milliseconds timeout);

 private:
  TempDir dir_{"hallcast-notify"};
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace hallcast::testing
