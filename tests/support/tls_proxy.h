// A TLS front for a plain TCP server on loopback, as an RTMPS platform is: nginx's
// stream module with the test certificate (tests/data/tls), passing each connection on
// to `backend_port`. It can be frozen (SIGSTOP) to play a platform that hangs with its
// TLS connections open.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "support/process.h"
#include "support/temp_dir.h"

namespace hallcast::testing {

class TlsProxy {
 public:
  // Starts nginx and waits until it accepts connections; throws std::runtime_error
  // (with nginx's log) if it cannot.
  explicit TlsProxy(int backend_port);
  ~TlsProxy();
  TlsProxy(const TlsProxy&) = delete;
  TlsProxy& operator=(const TlsProxy&) = delete;

  int port() const { return port_; }
  // SIGSTOP: connections stay open, nothing more is read.
  void pause();
  // SIGCONT.
  void resume();
  std::string log() const;

 private:
  TempDir dir_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
  bool paused_ = false;
};

}  // namespace hallcast::testing
