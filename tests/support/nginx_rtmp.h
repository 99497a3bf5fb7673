// A private nginx-rtmp server for one test: the "platform" hallcast publishes to.
//
// It listens on a free loopback port, records every stream it receives to
// record_dir()/<stream name>.flv, and can be stopped, killed and restarted on the same
// port to play a destination that drops out, or frozen (SIGSTOP) to play one that hangs
// with its connections open. Its files live in a temp folder that goes away with it.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "support/process.h"
#include "support/temp_dir.h"

namespace hallcast::testing {

struct NginxRtmpOptions {
  std::string application = "live";
  // Off: a stream that publishes again overwrites its recording. On: it appends, so a
  // reconnect test can see what arrived before and after the outage in one file.
  bool record_append = false;
  // More directives for the application block, e.g. "deny publish all;" for a server
  // that takes the connection and then closes it.
  std::string application_directives;
  std::chrono::milliseconds start_timeout = std::chrono::seconds(5);
};

class NginxRtmp {
 public:
  // Starts nginx and waits until it accepts connections; throws std::runtime_error
  // (with nginx's log) if it cannot. A port taken between picking and binding it is
  // retried on another port.
  explicit NginxRtmp(NginxRtmpOptions options = {});
  // Stops nginx if it is running.
  ~NginxRtmp();

  NginxRtmp(const NginxRtmp&) = delete;
  NginxRtmp& operator=(const NginxRtmp&) = delete;

  int port() const { return port_; }
  // rtmp://127.0.0.1:PORT/APPLICATION — a publisher appends "/<stream name>".
  std::string url() const;
  const std::filesystem::path& record_dir() const { return record_dir_; }
  // Where the stream published as `stream_name` is recorded.
  std::filesystem::path recorded_file(std::string_view stream_name) const;

  // True once a TCP connection to the port succeeds; false if nginx exited or the
  // timeout passed first.
  bool wait_until_ready(std::chrono::milliseconds timeout);
  bool running();

  // SIGTERM, then SIGKILL if nginx is still there after 5 s. Closes every connection;
  // recordings written so far stay on disk.
  void stop();
  // SIGKILL: the destination vanishes without a goodbye, as in a network outage.
  void kill();
  // Starts nginx again on the same port (stopping it first if it runs). Returns at
  // once; call wait_until_ready before relying on it.
  void restart();
  // SIGSTOP: nginx freezes with every socket open. The kernel still accepts
  // connections and data until the buffers fill, but nothing is read or answered, as
  // with a hung ingest server.
  void pause();
  // SIGCONT: nginx carries on with whatever waited in its sockets.
  void resume();

  // nginx's error log (level info: one line per connect, publish and disconnect) and
  // whatever nginx printed, for assertion messages.
  std::string log() const;

 private:
  void write_config() const;
  void spawn();

  NginxRtmpOptions options_;
  TempDir dir_;
  std::filesystem::path record_dir_;
  std::filesystem::path config_path_;
  std::filesystem::path error_log_path_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
  // A frozen nginx must be woken before SIGTERM can end it.
  bool paused_ = false;
};

}  // namespace hallcast::testing
