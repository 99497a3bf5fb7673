// /metrics: the show's health in the Prometheus text format (version 0.0.4), for the
// hall's monitoring. Built from a snapshot plus the control server's own counters; like
// every other view of the state it cannot contain a key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "show/state.h"

namespace hallcast::control {

struct ClientCounts {
  int operators = 0;
  int viewers = 0;
  std::uint64_t dropped = 0;  // clients disconnected for falling behind, since start
  int multiview = 0;          // clients subscribed to the multiview thumbnails
  // Thumbnails not sent to a subscriber whose queue was too full, since start.
  std::uint64_t thumbnails_skipped = 0;
  int listening = 0;  // clients listening to a signal (listen.start)
  // HTTP and WebSocket connections open, and those closed at once for being over the
  // limits (ConnectionLimits) since start.
  std::size_t connections = 0;
  std::uint64_t connections_refused = 0;
  // Wrong tokens presented, and requests answered 429 for too many of them, since start.
  std::uint64_t wrong_tokens = 0;
  std::uint64_t throttled = 0;
};

inline constexpr std::string_view metrics_content_type = "text/plain; version=0.0.4; charset=utf-8";

std::string format_metrics(const show::Snapshot& snapshot, const ClientCounts& clients);

}  // namespace hallcast::control
