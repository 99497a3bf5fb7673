// The control server (SPEC §3): one HTTP port serving the operator panel (web/), the
// control WebSocket (/ws), /metrics and /healthz, on its own service thread.
//
// It talks to the engine through typed commands, snapshots and events only: requests
// are parsed by control/protocol.h, answers are built by control/wire.h, and the engine
// never waits for a client. A slow client is dropped, never waited for.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>

#include "common/redactor.h"
#include "config/config.h"
#include "control/auth.h"
#include "control/connection_limits.h"
#include "control/hls_files.h"
#include "control/login_throttle.h"
#include "control/watch_page.h"
#include "engine/engine.h"

namespace hallcast::control {

struct ServerOptions {
  std::filesystem::path web_dir;  // the panel's files
  Tokens tokens;                  // e.g. tokens_from_config(config.control)
  // HLS outputs' folders by output id, served under /hls/ID/ to anyone: the
  // organiser's website plays them. See hls_folders().
  std::map<std::string, HlsFolder, std::less<>> hls_dirs;
  // What the public audience page, /watch, says of the event. See watch_page().
  WatchPage watch;
  // Frames queued for one client before it is dropped as too slow.
  std::size_t max_queued_frames = 1024;
  // Commands of one client waiting for the engine; more are answered "busy".
  std::size_t max_commands_in_flight = 64;
  // Connections held, in total and per address; may be shared with other listeners.
  // Null: the server's own, with the default settings within_descriptor_limit().
  std::shared_ptr<ConnectionLimits> connection_limits;
  // A request must arrive whole within this (its headers; a body, however slowly it
  // trickles in), and a kept-alive connection with no request is closed after it. A
  // browser sends a request at once, so this only ever closes connections that send
  // nothing or dribble (slowloris) and would otherwise hold their slot.
  std::chrono::seconds request_timeout{5};
  LoginThrottleSettings login_throttle;
};

// Every `hls` output's folder and renditions by its id, for ServerOptions::hls_dirs.
std::map<std::string, HlsFolder, std::less<>> hls_folders(const config::Config& config);

// The server cannot be set up as asked: a non-loopback address without a token, or a
// port that cannot be bound.
class ControlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ControlServer {
 public:
  // Registers the server's engine listener, so it must run before engine.start().
  // Throws ControlError when `control.host` is not loopback and there is no operator
  // token. `engine` and `redactor` must outlive the server.
  ControlServer(const config::Control& control, ServerOptions options, engine::Engine& engine,
                const common::Redactor& redactor);
  ~ControlServer();  // stop()s
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Binds control.host:control.port (port 0: any free port) without serving yet:
  // connections wait in the kernel's backlog until start(). A program binds first so
  // that a second instance on the same port fails before it touches anything. Throws
  // ControlError when it cannot listen.
  void listen();

  // Binds, unless listen() did, and starts serving. Throws ControlError when it
  // cannot listen.
  void start();

  // Closes every connection and joins the service thread. Idempotent.
  void stop();

  // The port it listens on; 0 before start().
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hallcast::control
