#include "support/ws_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <stdexcept>

namespace hallcast::testing {

namespace {

using Clock = std::chrono::steady_clock;

// `source`: the loopback address to connect from ("" for the kernel's choice), so a
// test can play several clients on one machine (all of 127.0.0.0/8 is loopback).
int connect_loopback(int port, int receive_buffer, const std::string& source = {}) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    throw std::runtime_error("socket() failed");
  }
  if (!source.empty()) {
    sockaddr_in from{};
    from.sin_family = AF_INET;
    if (::inet_pton(AF_INET, source.c_str(), &from.sin_addr) != 1 ||
        ::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof(from)) != 0) {
      ::close(fd);
      throw std::runtime_error("cannot bind to " + source);
    }
  }
  if (receive_buffer > 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof(receive_buffer));
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot connect to port " + std::to_string(port));
  }
  return fd;
}

void send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) {
      throw std::runtime_error("send failed");
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Appends what arrives before `deadline`; false on timeout or end of stream.
bool read_some(int fd, std::string& into, Clock::time_point deadline, bool& eof) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(std::max<long>(0, left.count()))) <= 0) {
    return false;
  }
  char chunk[65536];
  const ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
  if (n <= 0) {
    eof = true;
    return false;
  }
  into.append(chunk, static_cast<std::size_t>(n));
  return true;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Parses a status line and headers from `head` (everything before the blank line).
HttpResponse parse_head(std::string_view head) {
  HttpResponse r;
  const auto first_end = head.find("\r\n");
  const std::string_view status_line = head.substr(0, first_end);
  if (status_line.starts_with("HTTP/1.") && status_line.size() >= 12) {
    r.status = std::stoi(std::string(status_line.substr(9, 3)));
  }
  std::string_view rest = first_end == std::string_view::npos ? "" : head.substr(first_end + 2);
  while (!rest.empty()) {
    const auto end = rest.find("\r\n");
    const std::string_view line = rest.substr(0, end);
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string name = lower(std::string(line.substr(0, colon)));
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ')
        value.remove_prefix(1);
      auto& slot = r.headers[name];
      slot += (slot.empty() ? "" : "\n") + std::string(value);
    }
    if (end == std::string_view::npos)
      break;
    rest.remove_prefix(end + 2);
  }
  return r;
}

// Reads one HTTP answer from `fd`, starting with whatever is already in `buffer`.
HttpResponse read_response(int fd, std::string& buffer, Clock::time_point deadline) {
  bool eof = false;
  std::size_t head_end;
  while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (!read_some(fd, buffer, deadline, eof)) {
      return {};
    }
  }
  HttpResponse r = parse_head(std::string_view(buffer).substr(0, head_end));
  buffer.erase(0, head_end + 4);
  if (r.status == 101) {
    return r;
  }
  const std::string length = r.header("content-length");
  if (!length.empty()) {
    const std::size_t want = std::stoul(length);
    while (buffer.size() < want && read_some(fd, buffer, deadline, eof)) {
    }
    r.body = buffer.substr(0, std::min(want, buffer.size()));
    buffer.erase(0, r.body.size());
  } else if (r.status != 204 && r.status != 304 && r.status >= 200) {
    while (read_some(fd, buffer, deadline, eof)) {
    }
    r.body = std::move(buffer);
    buffer.clear();
  }
  return r;
}

std::string base64(const unsigned char* data, std::size_t size) {
  static constexpr char table[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < size; i += 3) {
    const unsigned n = (data[i] << 16) | ((i + 1 < size ? data[i + 1] : 0) << 8) |
                       (i + 2 < size ? data[i + 2] : 0);
    out += table[(n >> 18) & 63];
    out += table[(n >> 12) & 63];
    out += i + 1 < size ? table[(n >> 6) & 63] : '=';
    out += i + 2 < size ? table[n & 63] : '=';
  }
  return out;
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? std::string() : it->second;
}

HttpResponse http_exchange(int port, std::string_view request, std::chrono::milliseconds timeout) {
  return http_exchange_from("", port, request, timeout);
}

HttpResponse http_exchange_from(const std::string& source, int port, std::string_view request,
                                std::chrono::milliseconds timeout) {
  const int fd = connect_loopback(port, 0, source);
  HttpResponse r;
  try {
    send_all(fd, request);
    std::string buffer;
    r = read_response(fd, buffer, Clock::now() + timeout);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  return r;
}

HttpResponse http_get(int port, std::string_view path, const std::vector<std::string>& headers) {
  std::string request = "GET " + std::string(path) +
                        " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nConnection: close\r\n";
  for (const auto& h : headers)
    request += h + "\r\n";
  return http_exchange(port, request + "\r\n");
}

HttpResponse http_post(int port, std::string_view path, std::string_view body,
                       const std::vector<std::string>& headers) {
  std::string request = "POST " + std::string(path) +
                        " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nConnection: close\r\nContent-Type: "
                        "application/x-www-form-urlencoded\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\n";
  for (const auto& h : headers)
    request += h + "\r\n";
  return http_exchange(port, request + "\r\n" + std::string(body));
}

WsClient::WsClient(int port, Options options) {
  fd_ = connect_loopback(port, options.receive_buffer, options.source);
  std::random_device random;
  unsigned char nonce[16];
  for (auto& b : nonce)
    b = static_cast<unsigned char>(random());
  std::string request = "GET " + options.path + " HTTP/1.1\r\n";
  // A test may name another Host (to play a DNS-rebinding page); otherwise the real one.
  const bool own_host =
      std::any_of(options.headers.begin(), options.headers.end(),
                  [](const std::string& h) { return lower(h).starts_with("host:"); });
  if (!own_host)
    request += "Host: 127.0.0.1:" + std::to_string(port) + "\r\n";
  request += "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " +
             base64(nonce, sizeof(nonce)) + "\r\nSec-WebSocket-Version: 13\r\n";
  for (const auto& h : options.headers)
    request += h + "\r\n";
  send_all(fd_, request + "\r\n");
  handshake_ = read_response(fd_, buffer_, Clock::now() + 5s);
}

WsClient::~WsClient() {
  if (fd_ >= 0)
    ::close(fd_);
}

void WsClient::send_frame(std::uint8_t opcode, std::string_view payload, bool fin) {
  std::string frame;
  frame += static_cast<char>((fin ? 0x80 : 0) | opcode);
  const std::size_t n = payload.size();
  if (n < 126) {
    frame += static_cast<char>(0x80 | n);
  } else if (n < 65536) {
    frame += static_cast<char>(0x80 | 126);
    frame += static_cast<char>(n >> 8);
    frame += static_cast<char>(n & 0xFF);
  } else {
    frame += static_cast<char>(0x80 | 127);
    for (int shift = 56; shift >= 0; shift -= 8)
      frame += static_cast<char>((n >> shift) & 0xFF);
  }
  // Clients must mask (RFC 6455 5.3); the key need not be secret for a test.
  const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
  frame.append(reinterpret_cast<const char*>(mask), 4);
  for (std::size_t i = 0; i < n; ++i)
    frame += static_cast<char>(payload[i] ^ mask[i % 4]);
  send_all(fd_, frame);
}

void WsClient::send_text(std::string_view text) {
  send_frame(0x1, text);
}

void WsClient::close(int code) {
  std::string payload;
  payload += static_cast<char>(code >> 8);
  payload += static_cast<char>(code & 0xFF);
  try {
    send_frame(0x8, payload);
  } catch (const std::exception&) {
    // already gone
  }
}

bool WsClient::fill(Clock::time_point deadline) {
  if (eof_)
    return false;
  return read_some(fd_, buffer_, deadline, eof_);
}

WsMessage WsClient::receive(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    // Parse one frame if it is all there.
    if (buffer_.size() >= 2) {
      const auto b0 = static_cast<unsigned char>(buffer_[0]);
      const auto b1 = static_cast<unsigned char>(buffer_[1]);
      std::size_t header = 2;
      std::uint64_t length = b1 & 0x7F;
      if (length == 126)
        header = 4;
      if (length == 127)
        header = 10;
      if (b1 & 0x80)
        header += 4;  // a masked server frame would be a server bug; read it anyway
      if (buffer_.size() >= header) {
        if (length == 126) {
          length = (static_cast<unsigned char>(buffer_[2]) << 8) |
                   static_cast<unsigned char>(buffer_[3]);
        } else if (length == 127) {
          length = 0;
          for (int i = 2; i < 10; ++i)
            length = (length << 8) | static_cast<unsigned char>(buffer_[i]);
        }
        if (buffer_.size() >= header + length) {
          std::string payload = buffer_.substr(header, length);
          buffer_.erase(0, header + length);
          const bool fin = b0 & 0x80;
          const std::uint8_t opcode = b0 & 0x0F;
          if (opcode == 0x9) {
            send_frame(0xA, payload);
            continue;
          }
          if (opcode == 0xA)
            continue;
          if (opcode == 0x8) {
            WsMessage m{WsMessage::Kind::close, {}, 1005};
            if (payload.size() >= 2) {
              m.close_code = (static_cast<unsigned char>(payload[0]) << 8) |
                             static_cast<unsigned char>(payload[1]);
              m.payload = payload.substr(2);
            }
            close(m.close_code == 1005 ? 1000 : m.close_code);
            return m;
          }
          if (opcode != 0x0) {
            fragment_opcode_ = opcode;
            fragments_.clear();
          }
          fragments_ += payload;
          if (!fin)
            continue;
          WsMessage m{fragment_opcode_ == 0x2 ? WsMessage::Kind::binary : WsMessage::Kind::text,
                      std::move(fragments_), 0};
          fragments_.clear();
          if (m.kind == WsMessage::Kind::text)
            transcript_ += m.payload + "\n";
          return m;
        }
      }
    }
    if (!fill(deadline)) {
      return {eof_ ? WsMessage::Kind::closed : WsMessage::Kind::timeout, {}, 0};
    }
  }
}

WsMessage WsClient::receive_text(Clock::time_point deadline) {
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    WsMessage m = receive(std::max(left, std::chrono::milliseconds(0)));
    if (m.kind != WsMessage::Kind::binary)
      return m;
    binary_.push_back(std::move(m.payload));
  }
}

nlohmann::json WsClient::receive_json(std::chrono::milliseconds timeout) {
  if (!skipped_.empty()) {
    nlohmann::json first = std::move(skipped_.front());
    skipped_.pop_front();
    return first;
  }
  WsMessage m = receive_text(Clock::now() + timeout);
  if (m.kind != WsMessage::Kind::text) {
    throw std::runtime_error("expected a text message, got kind " +
                             std::to_string(static_cast<int>(m.kind)) + " code " +
                             std::to_string(m.close_code));
  }
  return nlohmann::json::parse(m.payload);
}

nlohmann::json WsClient::wait_for(const std::function<bool(const nlohmann::json&)>& match,
                                  std::chrono::milliseconds timeout) {
  for (auto it = skipped_.begin(); it != skipped_.end(); ++it) {
    if (match(*it)) {
      nlohmann::json found = std::move(*it);
      skipped_.erase(it);
      return found;
    }
  }
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (Clock::now() >= deadline)
      throw std::runtime_error("no matching message in time");
    WsMessage m = receive_text(deadline);
    if (m.kind != WsMessage::Kind::text) {
      throw std::runtime_error("no matching message: kind " +
                               std::to_string(static_cast<int>(m.kind)) + " code " +
                               std::to_string(m.close_code));
    }
    nlohmann::json message = nlohmann::json::parse(m.payload);
    if (match(message))
      return message;
    skipped_.push_back(std::move(message));
  }
}

std::vector<nlohmann::json> WsClient::take_all(std::chrono::milliseconds quiet) {
  std::vector<nlohmann::json> all(std::make_move_iterator(skipped_.begin()),
                                  std::make_move_iterator(skipped_.end()));
  skipped_.clear();
  // Meters arrive ten times a second for as long as the show runs: they do not count
  // as activity, or the connection would never be quiet.
  auto deadline = Clock::now() + quiet;
  for (;;) {
    WsMessage m = receive_text(deadline);
    if (m.kind != WsMessage::Kind::text)
      return all;
    auto message = nlohmann::json::parse(m.payload);
    if (message.value("event", "") != "meters") {
      deadline = Clock::now() + quiet;
    }
    all.push_back(std::move(message));
  }
}

std::vector<std::string> WsClient::take_binary(std::chrono::milliseconds wait) {
  std::vector<std::string> all(std::make_move_iterator(binary_.begin()),
                               std::make_move_iterator(binary_.end()));
  binary_.clear();
  const auto deadline = Clock::now() + wait;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0)
      return all;
    WsMessage m = receive(left);
    if (m.kind == WsMessage::Kind::binary) {
      all.push_back(std::move(m.payload));
    } else if (m.kind == WsMessage::Kind::text) {
      skipped_.push_back(nlohmann::json::parse(m.payload));
    } else {
      return all;
    }
  }
}

nlohmann::json WsClient::request(const nlohmann::json& request, std::chrono::milliseconds timeout) {
  send_text(request.dump());
  const auto id = request.at("id");
  return wait_for(
      [&](const nlohmann::json& m) {
        return m.contains("ok") && m.contains("id") && m["id"] == id;
      },
      timeout);
}

int WsClient::wait_for_close(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    WsMessage m = receive(std::max(left, std::chrono::milliseconds(0)));
    if (m.kind == WsMessage::Kind::close)
      return m.close_code;
    if (m.kind == WsMessage::Kind::closed)
      return 0;
    if (m.kind == WsMessage::Kind::timeout)
      return -1;
  }
}

}  // namespace hallcast::testing
