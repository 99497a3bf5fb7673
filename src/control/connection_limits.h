// How many connections hallcast's listeners may hold, in total and per client address.
//
// Anyone on the hall's network can open a TCP connection and send nothing. Each costs a
// file descriptor, and the show needs descriptors too: the recording and HLS open new
// files as they go, destinations open sockets when they reconnect. These limits keep the
// listeners to a share of RLIMIT_NOFILE, so no flood of idle or half-sent requests can
// take what the show needs, and one address cannot take every slot from the others.
// A connection over a limit is closed as soon as it is accepted.
//
// One object may be shared by several listeners (the control port and obs-websocket):
// the descriptors are the process's, not a port's. Thread-safe.
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace hallcast::control {

struct ConnectionLimitSettings {
  // A browser opens up to 6 connections to a host for files and fetches (HLS segments
  // included) plus one per WebSocket, so a panel, a viewer page and the hall's player in
  // one browser stay under 10. 32 lets a few browsers share one address (an operator
  // desk behind NAT, an audience proxy on the same machine).
  std::size_t per_address = 32;
  // A few operator desks, some viewers and a proxy for the audience page need a few
  // dozen. 256 leaves room for all of them several times over.
  std::size_t total = 256;
};

// Each connection may hold two descriptors (its socket, and a file being sent). The
// listeners together use at most a quarter of the soft RLIMIT_NOFILE: `wanted` with its
// total lowered to soft_limit / 8 (and per_address to no more than the total). At
// least one connection is always allowed.
ConnectionLimitSettings within_descriptor_limit(ConnectionLimitSettings wanted,
                                                unsigned long long soft_limit);
// The same, for this process's current soft limit.
ConnectionLimitSettings within_descriptor_limit(ConnectionLimitSettings wanted);

// The key a client's connections are counted under: the IPv4 address, or the /64 an
// IPv6 address lies in (a host picks any address in its /64 at will). An IPv4 address
// mapped into IPv6 counts as the IPv4 one. "" for other families.
std::string address_key(const sockaddr* address, socklen_t length);

class ConnectionLimits {
 public:
  enum class Verdict { admitted, over_total, over_address };

  explicit ConnectionLimits(ConnectionLimitSettings settings);

  // Counts one more connection from `key` if both limits allow it.
  Verdict admit(const std::string& key);
  // One connection admitted for `key` has closed.
  void release(const std::string& key);

  std::size_t open() const;
  const ConnectionLimitSettings& settings() const { return settings_; }

 private:
  const ConnectionLimitSettings settings_;
  mutable std::mutex mutex_;
  std::size_t open_ = 0;                                      // guarded by mutex_
  std::unordered_map<std::string, std::size_t> per_address_;  // guarded by mutex_; no zeros
};

}  // namespace hallcast::control
