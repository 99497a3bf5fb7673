// Is the program at the other end of a TCP connection still reading what we send? A
// server that hangs with its connection open goes on acknowledging data for many
// seconds — its kernel takes it into the receive buffer — and our side goes on writing
// until both kernels' buffers are full (10 MB and more on loopback, 15–19 s of a
// 3 Mbit/s programme). Neither the bytes we wrote nor the server's TCP
// acknowledgements tell a hung server from a healthy one in that time.
//
// The receive window tells them apart at once. The server's kernel advertises how far
// it will take data: the acknowledged position plus the free buffer space (its "right
// edge"). A server that reads moves the edge on as fast as data arrives; one that does
// not read leaves it where it was (Linux never moves it back), so the window shrinks
// by every byte acknowledged until it is shut. Measured on loopback with nginx-rtmp
// stopped by SIGSTOP at 3 Mbit/s: the edge had moved 75 kB per 200 ms before the stop
// and 2.5 kB per 200 ms after it (the buffer's own growth), the window was shut 4.7 s
// later, and rtmp2sink's writes blocked 16 s later.
//
// So: over the last `span`, if the server's kernel acknowledged a fair amount and its
// reader made room for less than a quarter of it, or its window never once was back at
// its open size and shrank, or its reader made no room at all and the window is shut
// with data waiting, the server is not reading. A healthy server on a
// loaded machine misses its turn for milliseconds, not for a whole span. A slow or
// lossy network holds back the acknowledgements themselves, so it is never mistaken
// for a hung server (the feed's backlog catches a destination that cannot keep up).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>

namespace hallcast::engine {

// One look at a connection from the sending side (TCP_INFO).
struct TcpSample {
  std::chrono::steady_clock::time_point at;
  std::uint64_t acked = 0;   // bytes the peer acknowledged (tcpi_bytes_acked)
  std::uint64_t window = 0;  // the peer's advertised receive window (tcpi_snd_wnd)
  std::uint64_t unsent = 0;  // written by us, not sent yet (tcpi_notsent_bytes)
};

class PeerReading {
 public:
  // 2.5 s: a verdict at most 3 s after a server stops (at one sample every 0.5 s), and
  // a healthy server would have to miss every turn for 2.5 s to be misjudged.
  static constexpr std::chrono::milliseconds kSpan{2500};
  // Less acknowledged than this in a span is too little to judge by (under 52 kbit/s).
  static constexpr std::uint64_t kLeastAcked = 16 * 1024;

  explicit PeerReading(std::chrono::milliseconds span = kSpan) : span_(span) {}

  // Adds the latest sample; returns why the peer is judged not to read, or "" while it
  // reads or there is not yet enough to judge by.
  std::string add(const TcpSample& sample);

 private:
  std::chrono::milliseconds span_;
  std::deque<TcpSample> samples_;  // oldest first; the oldest one a span or more old
  std::uint64_t open_window_ = 0;  // the largest window this connection advertised
};

}  // namespace hallcast::engine
