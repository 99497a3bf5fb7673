// Inside the control server: everything that runs on its libwebsockets service thread.
// Internal to src/control; the public face is server.h.
//
// Threads: the constructor and start() run on the caller's thread before the service
// thread exists, finish() after it has been joined; every other member runs on the
// service thread, so the state below needs no lock. The engine reaches it only through
// the Mailbox.
#pragma once

#include <libwebsockets.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/redactor.h"
#include "control/auth.h"
#include "control/connection_gate.h"
#include "control/frame.h"
#include "control/login_throttle.h"
#include "control/mailbox.h"
#include "control/metrics.h"
#include "control/server.h"
#include "control/static_files.h"
#include "engine/engine.h"

namespace hallcast::control {

// One connection: an HTTP exchange and, after an upgrade, a WebSocket client.
struct Peer {
  // Where it comes from, as ConnectionLimits counts it; empty if it was never counted
  // (the listening socket, lws's own pipe).
  std::string address;

  // HTTP
  enum class Route { none, login, logout };
  Route route = Route::none;
  std::string body;  // the request body, up to max_body_bytes
  bool body_too_large = false;
  std::chrono::steady_clock::time_point body_deadline;  // the whole body by then
  std::string cookie;              // the Cookie header, read before the body arrives
  Role upgrade_role = Role::none;  // granted at the upgrade, taken up once established
  std::string upgrade_session;     // the session id the upgrade's cookie named, if any

  // WebSocket
  std::uint64_t client = 0;  // 0 until established
  Role role = Role::none;
  // The browser session it was opened with; "" for a bearer token or an open server.
  // When that session ends (logout, or pushed out by newer ones) the client goes too.
  std::string session;
  bool revoked = false;  // its session ended: refuse everything, close on the next turn
  std::string incoming;  // a message being put together from its fragments
  std::deque<FramePtr> queue;
  std::size_t in_flight = 0;  // commands sent to the engine, reply not yet queued
  bool dropped = false;       // fell behind; being closed
  bool leaving = false;       // the server is stopping: close on the next write turn
  bool multiview = false;     // subscribed to the thumbnails (multiview.subscribe)
  std::string listen;         // the tap it listens to (listen.start), or ""
};

class Service {
 public:
  // The login form's body is a token and little else.
  static constexpr std::size_t max_body_bytes = 4096;

  Service(const config::Control& control, ServerOptions options, engine::Engine& engine,
          const common::Redactor& redactor, std::shared_ptr<Mailbox> mailbox);
  ~Service();

  void start();         // creates the context and binds; throws ControlError
  void run();           // the service loop, until request_exit()
  void request_wake();  // any thread: deliver the mailbox soon
  // Any thread: tell every WebSocket client goodbye (1001) and accept no new ones;
  // open_clients() falls to 0 as they answer.
  void request_close();
  int open_clients() const { return open_clients_.load(); }
  void request_exit();  // any thread: leave run() now
  void finish();        // after run() has returned: closes whatever is left
  int port() const { return port_; }

 private:
  struct ContextDeleter {
    void operator()(lws_context* context) const { lws_context_destroy(context); }
  };

  // What a request's credentials come to.
  struct Credential {
    Role role = Role::none;
    std::string session;  // the session id, when a cookie granted the role
    // The address has presented too many wrong tokens lately: nothing was compared.
    std::optional<std::chrono::seconds> retry_after;
  };

  static int callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, std::size_t len);
  int dispatch(lws* wsi, lws_callback_reasons reason, void* user, void* in, std::size_t len);
  Peer& peer(lws* wsi) { return peers_[wsi]; }

  // Connections (service.cpp): counted in and out through gate_.
  void on_wsi_created(lws* wsi);
  void on_wsi_destroyed(lws* wsi);

  // HTTP (http_routes.cpp)
  int on_http(lws* wsi, Peer& peer, std::string_view path);
  int on_http_body(Peer& peer, std::string_view chunk);
  int on_http_body_done(lws* wsi, Peer& peer);
  int on_confirm_upgrade(lws* wsi, Peer& peer);
  // `audience`: a file of the public audience page, which other sites may frame and
  // which plays media from blob: URLs; the panel's files may be neither.
  int serve_file(lws* wsi, std::string_view path, bool audience = false);
  int serve_hls(lws* wsi, std::string_view path);
  Credential authenticate(lws* wsi, const Peer& peer);
  bool same_origin(lws* wsi) const;
  bool host_allowed(lws* wsi) const;

  // WebSocket (ws_clients.cpp)
  int on_established(lws* wsi, Peer& peer);
  int on_receive(lws* wsi, Peer& peer, const char* data, std::size_t len);
  int on_writeable(lws* wsi, Peer& peer);
  void on_closed(Peer& peer);
  int handle_message(lws* wsi, Peer& peer);
  void handle_connection_request(lws* wsi, Peer& peer, const ConnectionRequest& request);
  // Counts `peer` in or out of the multiview and tells the engine when the count
  // leaves or reaches 0.
  void set_multiview(Peer& peer, bool subscribed);
  // Listening (listening.cpp). The error for a tap the show does not have, or none.
  std::optional<Error> check_tap(const std::string& tap);
  // Moves `peer` to `tap` ("" for none) and tells the engine when a tap gains its
  // first listener or loses its last.
  void set_listen(Peer& peer, const std::string& tap);
  void deliver_listen_packet(const show::ListenPacket& packet);
  void enqueue(lws* wsi, Peer& peer, FramePtr frame);
  void broadcast(const FramePtr& frame);
  void deliver_mail();
  void deliver_thumbnail(const show::Thumbnail& thumbnail);
  void say_goodbye();
  // Closes every WebSocket client opened with session `id` (logged out, or pushed out).
  void end_session_clients(std::string_view id);
  FramePtr make_frame(std::string_view text) const;
  FramePtr state_frame();

  // Set before the thread starts, then read-only.
  config::Control control_;
  ServerOptions options_;
  engine::Engine& engine_;
  const common::Redactor& redactor_;
  std::shared_ptr<Mailbox> mailbox_;
  Authenticator authenticator_;
  StaticFiles files_;
  lws_retry_bo_t idle_policy_{};
  lws_protocols protocols_[2]{};
  std::unique_ptr<lws_context, ContextDeleter> context_;
  int port_ = 0;

  std::atomic<bool> closing_{false};  // any thread
  std::atomic<bool> exiting_{false};  // any thread
  std::atomic<int> open_clients_{0};  // written on the service thread, read by stop()

  // Service thread only.
  Sessions sessions_;
  ConnectionGate gate_;
  LoginThrottle throttle_;
  std::unordered_map<lws*, Peer> peers_;  // node-based: references stay valid
  std::unordered_map<std::uint64_t, lws*> clients_;
  std::uint64_t next_client_ = 1;
  bool goodbye_said_ = false;
  ClientCounts counts_;  // counts_.multiview: the peers with multiview set
  std::unordered_map<std::string, int> listeners_;         // per tap: the peers listening to it
  std::shared_ptr<const show::Snapshot> cached_snapshot_;  // what cached_state_ shows
  FramePtr cached_state_;
};

}  // namespace hallcast::control
