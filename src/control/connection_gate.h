// ConnectionLimits applied to one libwebsockets listener (the control port; the
// obs-websocket port uses one of its own on the same limits).
//
// lws accepts a connection, asks the protocol callback whether to keep it
// (LWS_CALLBACK_FILTER_NETWORK_CONNECTION), then creates its wsi
// (LWS_CALLBACK_WSI_CREATE), all in one go on the service thread. The gate counts the
// connection in at the first, hands its address to the second, and gives the place
// back when the wsi is destroyed (LWS_CALLBACK_WSI_DESTROY). A connection over the
// limits costs an accept() and a close(), and a log line the sink keeps to a few a
// second however many come.
//
// Used on the listener's service thread only; the limits may be shared across threads.
#pragma once

#include <libwebsockets.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "control/connection_limits.h"

namespace hallcast::control {

class ConnectionGate {
 public:
  // `name` starts the gate's log lines ("control", "obs-websocket").
  ConnectionGate(std::shared_ptr<ConnectionLimits> limits, std::string name);
  ~ConnectionGate();  // gives back a place admitted but never taken up
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  // The lws settings that go with the limits. lws sizes its tables from RLIMIT_NOFILE
  // and would accept until the process has no descriptor left; here its table holds
  // what the limits admit plus its own few (listening sockets, its wake-up pipe), so
  // should it ever fill up it stops accepting rather than failing accept() in a loop.
  // And the request timeouts: headers within `request_timeout` of their first byte
  // however they trickle in, a body's next part within it, a kept-alive connection's
  // next request within it.
  void configure(lws_context_creation_info& context, lws_context_creation_info& vhost,
                 std::chrono::seconds request_timeout) const;

  // LWS_CALLBACK_FILTER_NETWORK_CONNECTION (its `user` argument): false when the
  // connection is over the limits; the callback then returns non-zero and lws closes it.
  bool admit(const lws_filter_network_conn_args& connection);
  // LWS_CALLBACK_WSI_CREATE: the address the new wsi is counted under, for release();
  // "" for a wsi that is not an accepted connection (a listening socket, lws's pipe).
  std::string take_admitted();
  // LWS_CALLBACK_WSI_DESTROY of a wsi take_admitted() gave a non-empty address.
  void release(const std::string& address);

  const ConnectionLimitSettings& settings() const { return limits_->settings(); }
  std::size_t open() const { return open_; }  // this listener's connections
  std::uint64_t refused() const { return refused_; }

 private:
  std::shared_ptr<ConnectionLimits> limits_;
  std::string name_;
  std::optional<std::string> admitted_;  // admitted, its wsi not created yet
  std::size_t open_ = 0;
  std::uint64_t refused_ = 0;
};

}  // namespace hallcast::control
