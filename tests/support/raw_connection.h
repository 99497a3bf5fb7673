// Bare TCP connections to a loopback port, for tests that play a hostile client: open
// many, send half a request or nothing, and see when the server lets go of them.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hallcast::testing {

class RawConnection {
 public:
  // Connects to 127.0.0.1:port from loopback address `source` (any of 127.0.0.0/8, so
  // one machine can play many clients). Throws std::runtime_error if it cannot.
  RawConnection(int port, const std::string& source = "127.0.0.1");
  ~RawConnection();
  RawConnection(RawConnection&& other) noexcept;
  RawConnection& operator=(RawConnection&&) = delete;
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // False if the server has already closed the connection.
  bool send(std::string_view bytes);
  // Everything the server sends until it closes the connection, or until `timeout`.
  std::string read_until_closed(std::chrono::milliseconds timeout);
  // Whether the server has closed it (end of stream or reset) by now; what it sent on
  // the way is read and dropped.
  bool closed_by_server();

  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  bool closed_ = false;
};

// Waits until the server has closed every one of `connections`, or `timeout` passes;
// returns how many it has closed.
std::size_t wait_until_closed(std::vector<RawConnection>& connections,
                              std::chrono::milliseconds timeout);

// Raises this process's soft RLIMIT_NOFILE to at least `wanted` if the hard limit
// allows; returns the soft limit now in force.
unsigned long long raise_open_file_limit(unsigned long long wanted);

}  // namespace hallcast::testing
