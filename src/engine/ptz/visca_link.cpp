#include "engine/ptz/visca_link.h"

#include <netdb.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/thread_name.h"

namespace hallcast::engine {
namespace {

using Clock = std::chrono::steady_clock;

// Commands that are still queued beyond this are dropped (a camera that does not
// answer must not make the show's memory grow).
constexpr std::size_t kMaxQueued = 64;

// What is left of a thread name's 15 characters after "visca-".
constexpr std::size_t kThreadNameRoom = 9;

}  // namespace

ViscaLink::ViscaLink(std::string name, ViscaLinkOptions options, OnLink on_link,
                     FailureSink* failures)
    : name_(std::move(name)),
      options_(std::move(options)),
      on_link_(std::move(on_link)),
      failures_(failures) {
  stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  thread_ = std::thread([this] { run(); });
}

ViscaLink::~ViscaLink() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (stop_fd_ >= 0) {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto written = write(stop_fd_, &one, sizeof one);
  }
  thread_.join();
  close_socket();
  if (stop_fd_ >= 0) {
    close(stop_fd_);
  }
}

void ViscaLink::send(visca::Bytes command, Kind kind) {
  {
    std::lock_guard lock(mutex_);
    bool replaced = false;
    if (kind != Kind::memory) {
      for (auto& queued : queue_) {
        if (queued.kind == kind) {
          queued.bytes = command;
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) {
      if (queue_.size() >= kMaxQueued) {
        spdlog::warn("ptz {}: camera is not keeping up; a command was dropped", name_);
        return;
      }
      queue_.push_back({std::move(command), kind, false});
    }
  }
  wake_.notify_one();
}

void ViscaLink::run() {
  // The kernel keeps 15 characters of a thread's name.
  common::name_this_thread(("visca-" + name_.substr(0, kThreadNameRoom)).c_str());
  // The first thing a link does is see whether the camera is there.
  Item item{visca::power_inquiry(), Kind::memory, true};
  for (;;) {
    const bool done = contain(failures_, part::kPtz, name_, [&] {
      std::string detail;
      const bool answered = transact(item, detail);
      report(answered, detail);
    });
    if (!done) {
      close_socket();
      sequence_ = 0;
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, options_.heartbeat, [this] { return stop_ || !queue_.empty(); });
    if (stop_) {
      return;
    }
    if (queue_.empty()) {
      item = {visca::power_inquiry(), Kind::memory, true};
    } else {
      item = std::move(queue_.front());
      queue_.pop_front();
    }
  }
}

void ViscaLink::report(bool answered, const std::string& detail) {
  if (reported_ && answered == answered_) {
    return;
  }
  reported_ = true;
  answered_ = answered;
  if (on_link_) {
    on_link_(answered ? show::PtzLink::ok : show::PtzLink::no_reply, detail);
  }
}

bool ViscaLink::open_socket(std::string& detail) {
  const bool udp = options_.ptz.protocol == config::PtzProtocol::visca_udp;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = udp ? SOCK_DGRAM : SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(options_.ptz.port);
  if (const int error = getaddrinfo(options_.ptz.host.c_str(), port.c_str(), &hints, &found);
      error != 0) {
    detail = std::string("cannot resolve the camera's address: ") + gai_strerror(error);
    return false;
  }
  for (addrinfo* address = found; address != nullptr; address = address->ai_next) {
    const int fd = socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                          address->ai_protocol);
    if (fd < 0) {
      continue;
    }
    // UDP: connect() only fixes the peer, so that datagrams from anyone else are not read.
    if (connect(fd, address->ai_addr, address->ai_addrlen) == 0) {
      socket_ = fd;
      break;
    }
    if (errno == EINPROGRESS) {
      pollfd fds[2] = {{fd, POLLOUT, 0}, {stop_fd_, POLLIN, 0}};
      const auto wait = options_.reply_timeout * options_.attempts;
      int error = 0;
      socklen_t length = sizeof error;
      if (poll(fds, 2, static_cast<int>(wait.count())) == 1 && (fds[0].revents & POLLOUT) &&
          getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0) {
        socket_ = fd;
        break;
      }
      detail = error != 0 ? std::string("cannot connect: ") + std::strerror(error)
                          : "cannot connect: no answer";
    } else {
      detail = std::string("cannot connect: ") + std::strerror(errno);
    }
    close(fd);
  }
  freeaddrinfo(found);
  if (socket_ >= 0) {
    stream_.clear();
    return true;
  }
  return false;
}

void ViscaLink::close_socket() {
  if (socket_ >= 0) {
    close(socket_);
    socket_ = -1;
  }
}

bool ViscaLink::wait_readable(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (left <= 0) {
    return false;
  }
  pollfd fds[2] = {{socket_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
  if (poll(fds, 2, static_cast<int>(left)) <= 0 || (fds[1].revents & POLLIN)) {
    return false;
  }
  return (fds[0].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
}

bool ViscaLink::send_all(const visca::Bytes& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto n = ::send(socket_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) {
        continue;  // a dozen bytes: the socket buffer frees up at once
      }
      return false;
    }
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

bool ViscaLink::transact(const Item& item, std::string& detail) {
  if (socket_ < 0 && !open_socket(detail)) {
    return false;
  }
  return options_.ptz.protocol == config::PtzProtocol::visca_udp ? transact_udp(item, detail)
                                                                 : transact_tcp(item, detail);
}

// RESET (02 00, payload 01): the camera forgets the sequence it expected; ours starts
// over. Sent when the link opens and whenever the camera says our number is wrong.
bool ViscaLink::reset_sequence(std::string& detail) {
  for (int attempt = 0; attempt < options_.attempts; ++attempt) {
    if (!send_all(visca::frame(visca::reset(0)))) {
      detail = std::string("cannot send: ") + std::strerror(errno);
      return false;
    }
    const auto deadline = Clock::now() + options_.reply_timeout;
    while (wait_readable(deadline)) {
      visca::Bytes datagram(2048);
      const auto n = recv(socket_, datagram.data(), datagram.size(), 0);
      if (n < 0) {
        break;  // e.g. ECONNREFUSED: nothing listens there (yet)
      }
      datagram.resize(static_cast<std::size_t>(n));
      const auto packet = visca::unframe(datagram);
      if (packet && packet->type == visca::kControlReply &&
          visca::parse_control_reply(packet->payload) == visca::ControlReply::reset_done) {
        sequence_ = 1;
        return true;
      }
    }
  }
  detail = "no reply to RESET";
  return false;
}

bool ViscaLink::transact_udp(const Item& item, std::string& detail) {
  if (sequence_ == 0 && !reset_sequence(detail)) {
    return false;
  }
  std::uint32_t sequence = sequence_++;
  const std::uint16_t type = item.inquiry ? visca::kInquiry : visca::kCommand;
  for (int attempt = 0; attempt < options_.attempts; ++attempt) {
    if (!send_all(visca::frame({type, sequence, item.bytes}))) {
      detail = std::string("cannot send: ") + std::strerror(errno);
      return false;
    }
    const auto deadline = Clock::now() + options_.reply_timeout;
    bool resend = false;
    while (!resend && wait_readable(deadline)) {
      visca::Bytes datagram(2048);
      const auto n = recv(socket_, datagram.data(), datagram.size(), 0);
      if (n < 0) {
        break;
      }
      datagram.resize(static_cast<std::size_t>(n));
      const auto packet = visca::unframe(datagram);
      if (!packet) {
        continue;
      }
      if (packet->type == visca::kControlReply) {
        const auto said = visca::parse_control_reply(packet->payload);
        if (said == visca::ControlReply::sequence_error ||
            said == visca::ControlReply::message_error) {
          if (!reset_sequence(detail)) {
            return false;
          }
          sequence = sequence_++;
          resend = true;
        }
        continue;
      }
      if (packet->type != visca::kReply || packet->sequence != sequence) {
        continue;  // a late completion of an earlier command
      }
      const auto reply = visca::parse_reply(packet->payload);
      if (reply.kind == visca::ReplyKind::error) {
        spdlog::warn("ptz {}: the camera refused a command: {}", name_,
                     visca::describe_error(reply.error));
      }
      if (reply.kind != visca::ReplyKind::other) {
        return true;
      }
    }
  }
  detail = "no reply after " + std::to_string(options_.attempts) + " attempts";
  return false;
}

bool ViscaLink::transact_tcp(const Item& item, std::string& detail) {
  if (!send_all(item.bytes)) {
    detail = std::string("cannot send: ") + std::strerror(errno);
    close_socket();
    return false;
  }
  // TCP delivers or fails by itself: no resending (a repeated recall would be harmless,
  // a repeated store not always), only the whole of the time to answer.
  const auto deadline = Clock::now() + options_.reply_timeout * options_.attempts;
  while (wait_readable(deadline)) {
    std::uint8_t chunk[512];
    const auto n = recv(socket_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        continue;
      }
      detail = n == 0 ? "the camera closed the connection" : std::strerror(errno);
      close_socket();
      return false;
    }
    stream_.insert(stream_.end(), chunk, chunk + n);
    for (const auto& message : visca::take_messages(stream_)) {
      const auto reply = visca::parse_reply(message);
      if (reply.kind == visca::ReplyKind::error) {
        spdlog::warn("ptz {}: the camera refused a command: {}", name_,
                     visca::describe_error(reply.error));
      }
      if (reply.kind != visca::ReplyKind::other) {
        return true;
      }
    }
  }
  detail = "no reply";
  close_socket();
  return false;
}

}  // namespace hallcast::engine
