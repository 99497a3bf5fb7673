#include "support/visca_camera.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace hallcast::testing {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes header(std::uint16_t type, std::uint32_t sequence, std::size_t length) {
  return {static_cast<std::uint8_t>(type >> 8),      static_cast<std::uint8_t>(type),
          static_cast<std::uint8_t>(length >> 8),    static_cast<std::uint8_t>(length),
          static_cast<std::uint8_t>(sequence >> 24), static_cast<std::uint8_t>(sequence >> 16),
          static_cast<std::uint8_t>(sequence >> 8),  static_cast<std::uint8_t>(sequence)};
}

Bytes packet(std::uint16_t type, std::uint32_t sequence, const Bytes& payload) {
  Bytes out = header(type, sequence, payload.size());
  const auto header_size = static_cast<std::ptrdiff_t>(out.size());
  out.resize(out.size() + payload.size());
  std::copy(payload.begin(), payload.end(), out.begin() + header_size);
  return out;
}

}  // namespace

ViscaCamera::ViscaCamera(Transport transport) : transport_(transport) {
  const bool udp = transport == Transport::udp;
  socket_ = socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const int one = 1;
  setsockopt(socket_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(socket_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
      (!udp && listen(socket_, 4) != 0)) {
    throw std::runtime_error("the test camera cannot listen on loopback");
  }
  port_ = ntohs(address.sin_port);
  stop_fd_ = eventfd(0, EFD_CLOEXEC);
  thread_ = std::thread([this] { run(); });
}

ViscaCamera::~ViscaCamera() {
  const std::uint64_t one = 1;
  [[maybe_unused]] auto written = write(stop_fd_, &one, sizeof one);
  thread_.join();
  close(socket_);
  close(stop_fd_);
}

void ViscaCamera::run() {
  std::vector<int> clients;
  for (;;) {
    std::vector<pollfd> fds{{stop_fd_, POLLIN, 0}, {socket_, POLLIN, 0}};
    for (int client : clients) {
      fds.push_back({client, POLLIN, 0});
    }
    if (poll(fds.data(), fds.size(), -1) < 0 || (fds[0].revents & POLLIN)) {
      break;
    }
    if (fds[1].revents & POLLIN) {
      if (transport_ == Transport::udp) {
        handle_udp();
      } else {
        const int client = accept4(socket_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client >= 0) {
          clients.push_back(client);
        }
      }
    }
    for (std::size_t i = 2; i < fds.size(); ++i) {
      if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
        std::uint8_t chunk[512];
        const auto n = recv(fds[i].fd, chunk, sizeof chunk, 0);
        if (n <= 0) {
          close(fds[i].fd);
          clients.erase(std::find(clients.begin(), clients.end(), fds[i].fd));
          continue;
        }
        // One VISCA message per FF; the tests send whole messages, so a read that
        // ends mid-message is not expected and would only show as a failed check.
        Bytes message;
        for (ssize_t k = 0; k < n; ++k) {
          message.push_back(chunk[k]);
          if (chunk[k] != 0xFF) {
            continue;
          }
          Message kept{message, 0, 0, message, false};
          std::vector<Bytes> replies;
          {
            std::lock_guard lock(mutex_);
            if (!silent_) {
              replies = answer(message);
              kept.answered = true;
            }
            received_.push_back(kept);
          }
          changed_.notify_all();
          for (const auto& reply : replies) {
            send(fds[i].fd, reply.data(), reply.size(), MSG_NOSIGNAL);
          }
          message.clear();
        }
      }
    }
  }
  for (int client : clients) {
    close(client);
  }
}

// A command: ACK on socket 1, then its completion. An inquiry (8x 09 …): the power
// inquiry's answer, "on" (90 50 02 FF).
std::vector<Bytes> ViscaCamera::answer(const Bytes& payload) const {
  if (payload.size() >= 3 && payload[1] == 0x09) {
    return {{0x90, 0x50, 0x02, 0xFF}};
  }
  return {{0x90, 0x41, 0xFF}, {0x90, 0x51, 0xFF}};
}

void ViscaCamera::handle_udp() {
  Bytes datagram(2048);
  sockaddr_storage from{};
  socklen_t from_length = sizeof from;
  const auto n = recvfrom(socket_, datagram.data(), datagram.size(), 0,
                          reinterpret_cast<sockaddr*>(&from), &from_length);
  if (n < 0) {
    return;
  }
  datagram.resize(static_cast<std::size_t>(n));
  Message kept;
  kept.bytes = datagram;
  if (datagram.size() >= 8) {
    kept.type = static_cast<std::uint16_t>((datagram[0] << 8) | datagram[1]);
    kept.sequence = (std::uint32_t{datagram[4]} << 24) | (std::uint32_t{datagram[5]} << 16) |
                    (std::uint32_t{datagram[6]} << 8) | std::uint32_t{datagram[7]};
    kept.payload.assign(datagram.begin() + 8, datagram.end());
  }
  std::vector<Bytes> replies;
  {
    std::lock_guard lock(mutex_);
    if (silent_ || datagram.size() < 8) {
      // answered stays false
    } else if (lose_ > 0) {
      --lose_;
    } else if (kept.type == 0x0200) {
      // RESET: acknowledged with the control reply 01
      replies.push_back(packet(0x0201, kept.sequence, {0x01}));
      kept.answered = true;
    } else if (reset_wanted_ && (kept.type == 0x0100 || kept.type == 0x0110)) {
      reset_wanted_ = false;
      replies.push_back(packet(0x0201, kept.sequence, {0x0F, 0x01}));
      kept.answered = true;
    } else if (kept.type == 0x0100 || kept.type == 0x0110) {
      for (const auto& reply : answer(kept.payload)) {
        replies.push_back(packet(0x0111, kept.sequence, reply));
      }
      kept.answered = true;
    }
    received_.push_back(kept);
  }
  changed_.notify_all();
  for (const auto& reply : replies) {
    sendto(socket_, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from), from_length);
  }
}

std::vector<ViscaCamera::Message> ViscaCamera::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

std::vector<std::vector<std::uint8_t>> ViscaCamera::payloads() const {
  std::vector<Bytes> out;
  for (const auto& message : received()) {
    out.push_back(message.payload);
  }
  return out;
}

bool ViscaCamera::wait_for(const std::function<bool(const std::vector<Message>&)>& done,
                           std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return done(received_); });
}

bool ViscaCamera::wait_for_payload(const std::vector<std::uint8_t>& payload, int count,
                                   std::chrono::milliseconds timeout) const {
  return wait_for(
      [&](const std::vector<Message>& messages) {
        return std::count_if(messages.begin(), messages.end(),
                             [&](const Message& m) { return m.payload == payload; }) >= count;
      },
      timeout);
}

void ViscaCamera::lose_next(int datagrams) {
  std::lock_guard lock(mutex_);
  lose_ = datagrams;
}

void ViscaCamera::set_silent(bool silent) {
  std::lock_guard lock(mutex_);
  silent_ = silent;
}

void ViscaCamera::ask_for_reset() {
  std::lock_guard lock(mutex_);
  reset_wanted_ = true;
}

}  // namespace hallcast::testing
