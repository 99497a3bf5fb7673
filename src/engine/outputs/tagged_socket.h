// Finds a sink's TCP connection among this process's sockets, to read its TCP_INFO.
//
// rtmp2sink (GStreamer 1.22) keeps its socket to itself, but it applies its
// `peak-kbps` property to that socket as SO_MAX_PACING_RATE (peak-kbps × 125 bytes/s),
// which anyone holding the descriptor can read back. So each destination sets a
// peak-kbps of its own, far above any real uplink (8 Gbit/s and up, which paces
// nothing a programme sends), and finds its connection as the one socket carrying that
// rate. The descriptor is only ever read (getsockopt), and checked again on every
// look, since once the sink closes it the number may come back as something else.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "engine/outputs/peer_reading.h"

namespace hallcast::engine {

class TaggedSocket {
 public:
  // A peak-kbps value no other destination of this process uses.
  static std::uint32_t next_tag_kbps();

  explicit TaggedSocket(std::uint32_t tag_kbps);

  // The connection's state now; nullopt while no open TCP socket carries the tag (not
  // connected yet, or closed).
  std::optional<TcpSample> sample();

 private:
  bool carries_tag(int fd) const;
  int find() const;

  std::uint64_t tag_rate_;  // bytes per second, as the socket holds it
  int fd_ = -1;             // where it was found last
};

}  // namespace hallcast::engine
