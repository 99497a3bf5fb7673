// Loopback ports for tests: every server a test starts (nginx, hallcast's control
// port) listens on 127.0.0.1 only, on a port nobody else is using, so tests can run in
// parallel and never touch the network.
#pragma once

#include <chrono>

namespace hallcast::testing {

// A port on 127.0.0.1 that was free a moment ago: the kernel picks it for a socket
// bound to port 0, which is then closed. Another process could take it before the
// caller binds it; callers that can retry (NginxRtmp) do.
int free_loopback_port();

// True when a TCP connection to 127.0.0.1:port is accepted right now.
bool can_connect(int port);

// Polls can_connect until it succeeds or `timeout` passes.
bool wait_for_port(int port, std::chrono::milliseconds timeout);

}  // namespace hallcast::testing
