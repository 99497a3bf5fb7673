// A PTZ camera for tests: it speaks VISCA on a loopback port, over UDP with Sony's
// VISCA-over-IP framing or as raw bytes over TCP, answers as a Sony camera does (ACK
// then completion, RESET acknowledged, power inquiry answered "on") and keeps every
// message it received, so that a test can check the bytes on the wire. It can lose
// datagrams, fall silent and ask for a sequence reset, as real cameras on real
// networks do.
//
// Written independently of the engine's VISCA code (the bytes here are spelled out
// from the VISCA command set), so that the two cannot share a mistake.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hallcast::testing {

class ViscaCamera {
 public:
  enum class Transport { udp, tcp };

  struct Message {
    std::vector<std::uint8_t> bytes;  // UDP: the whole datagram; TCP: one VISCA message
    // UDP only: the header's fields and what follows it.
    std::uint16_t type = 0;
    std::uint32_t sequence = 0;
    std::vector<std::uint8_t> payload;  // TCP: same as bytes
    bool answered = false;              // false when it was lost or ignored
  };

  explicit ViscaCamera(Transport transport);
  ~ViscaCamera();
  ViscaCamera(const ViscaCamera&) = delete;
  ViscaCamera& operator=(const ViscaCamera&) = delete;

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  std::vector<Message> received() const;
  // The VISCA payloads received (answered or not), in order.
  std::vector<std::vector<std::uint8_t>> payloads() const;

  // Waits until `done(received())` holds, or `timeout`; returns whether it held.
  bool wait_for(const std::function<bool(const std::vector<Message>&)>& done,
                std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  // Waits until `payload` has been received at least `count` times.
  bool wait_for_payload(const std::vector<std::uint8_t>& payload, int count = 1,
                        std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

  void lose_next(int datagrams);  // received and kept, but not answered
  void set_silent(bool silent);   // answer nothing at all
  void ask_for_reset();           // answer the next command with "sequence number wrong"

 private:
  void run();
  void handle_udp();
  void handle_tcp_data(int fd);
  std::vector<std::vector<std::uint8_t>> answer(const std::vector<std::uint8_t>& payload) const;

  Transport transport_;
  int socket_ = -1;
  int stop_fd_ = -1;
  int port_ = 0;
  mutable std::mutex mutex_;  // guards everything below
  mutable std::condition_variable changed_;
  std::vector<Message> received_;
  int lose_ = 0;
  bool silent_ = false;
  bool reset_wanted_ = false;
  std::thread thread_;
};

}  // namespace hallcast::testing
