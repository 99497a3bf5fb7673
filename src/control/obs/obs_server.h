// The obs-websocket listener (SPEC §5, docs/obs-websocket.md): a second port,
// `control.obs_websocket.listen`, speaking obs-websocket 5.x (rpcVersion 1) so that
// tools made for OBS (Bitfocus Companion, Stream Deck, obs-websocket-js) drive the show
// unmodified. It runs on a libwebsockets service thread of its own, apart from the
// control server, and reaches the engine the way the control server does: typed
// commands in, snapshots and events out, a mailbox between the threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/redactor.h"
#include "config/config.h"
#include "engine/engine.h"

namespace hallcast::control::obs {

struct ObsOptions {
  config::Secret password;  // empty: no authentication, loopback only
  std::string version;      // hallcast's, for GetVersion
  // Messages queued for one client before it is dropped as too slow.
  std::size_t max_queued_frames = 1024;
  // Requests and batches of one client waiting their turn; more are answered NotReady.
  std::size_t max_waiting_jobs = 64;
};

// What is wrong with serving obs-websocket as configured with `password`: a listen
// address other machines can reach, without a password. Each problem names
// `control.obs_websocket.listen`. Empty when there is no obs-websocket listener. The
// config already refuses such a listener at load; this keeps the server from starting
// one whatever Config it is given.
std::vector<config::Problem> check_listener(const config::Control& control,
                                            const config::Secret& password);

class ObsServer {
 public:
  // Registers its engine listener, so it must run before engine.start(). Throws
  // ControlError (control/server.h) when check_listener finds a problem. `config` must
  // have control.obs_websocket; `engine` and `redactor` must outlive the server.
  ObsServer(const config::Config& config, ObsOptions options, engine::Engine& engine,
            const common::Redactor& redactor);
  ~ObsServer();  // stop()s
  ObsServer(const ObsServer&) = delete;
  ObsServer& operator=(const ObsServer&) = delete;

  // Binds and starts serving; throws ControlError when it cannot listen.
  void start();
  // Tells every client ExitStarted, closes them (1001) and joins the thread. Idempotent.
  void stop();
  // The port it listens on (0 in the config: any free port); 0 before start().
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hallcast::control::obs
