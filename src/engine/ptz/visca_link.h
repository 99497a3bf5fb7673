// One PTZ camera's VISCA connection, on a thread of its own: a camera that does not
// answer costs its own thread the wait, never the engine thread or another camera.
//
// Commands are queued and sent one at a time. Each waits for the camera's answer (an
// ACK, a completion or an error; the completion of a long move is not waited for) up
// to `reply_timeout`, and is sent again up to `attempts` times in all (VISCA over UDP
// loses packets; the sequence number stays the same, so the camera can tell a repeat).
// When the camera reports a wrong sequence number the link sends RESET and goes on
// from 1. An idle link asks the camera's power state every `heartbeat`, so that a
// camera which went away shows `no_reply` before anyone needs it.
//
// Newer commands of the same kind replace queued ones (a joystick sends drives faster
// than a slow camera answers; only the latest matters), except recalls and stores,
// which all go, in order.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "config/config.h"
#include "engine/gst/contain.h"
#include "engine/ptz/visca.h"
#include "show/state.h"

namespace hallcast::engine {

struct ViscaLinkOptions {
  config::Ptz ptz;
  std::chrono::milliseconds reply_timeout{300};
  int attempts = 3;
  std::chrono::milliseconds heartbeat{5000};
};

class ViscaLink {
 public:
  // Which queued command a new one replaces.
  enum class Kind { memory, drive, zoom, tally };

  // Called on the link's thread whenever the camera answered (ok) or stopped answering
  // (no_reply); `detail` says why, for the log.
  using OnLink = std::function<void(show::PtzLink link, const std::string& detail)>;

  // The thread is named "visca-" and the first letters of `name`. Whatever a
  // transaction throws goes to `failures` (part `ptz`, unit `name`); the link then
  // starts afresh at its next command.
  ViscaLink(std::string name, ViscaLinkOptions options, OnLink on_link,
            FailureSink* failures = nullptr);
  ~ViscaLink();  // wakes the thread and joins it
  ViscaLink(const ViscaLink&) = delete;
  ViscaLink& operator=(const ViscaLink&) = delete;

  // From any thread; never blocks on the network.
  void send(visca::Bytes command, Kind kind);

 private:
  struct Item {
    visca::Bytes bytes;
    Kind kind = Kind::memory;
    bool inquiry = false;
  };

  void run();
  bool open_socket(std::string& detail);
  void close_socket();
  bool transact(const Item& item, std::string& detail);
  bool transact_udp(const Item& item, std::string& detail);
  bool transact_tcp(const Item& item, std::string& detail);
  bool reset_sequence(std::string& detail);
  bool send_all(const visca::Bytes& bytes);
  // Waits until the socket is readable or `deadline`; false on timeout or stop.
  bool wait_readable(std::chrono::steady_clock::time_point deadline);
  void report(bool answered, const std::string& detail);

  const std::string name_;
  const ViscaLinkOptions options_;
  const OnLink on_link_;
  FailureSink* const failures_;

  std::mutex mutex_;  // guards queue_ and stop_
  std::condition_variable wake_;
  std::deque<Item> queue_;
  bool stop_ = false;

  // The link thread's own.
  int socket_ = -1;
  int stop_fd_ = -1;  // an eventfd that wakes a poll() on stop
  std::uint32_t sequence_ = 0;
  bool answered_ = false;
  bool reported_ = false;
  visca::Bytes stream_;  // TCP bytes received but not yet a whole message

  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace hallcast::engine
