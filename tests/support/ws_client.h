// A small RFC 6455 client and raw HTTP helpers over a plain TCP socket, for the control
// and panel tests and the benchmark. Deliberately low-level: a test sees exactly what
// the server sent (status lines, headers, close codes) and can send what no library
// would (bad frames, traversal paths, oversized messages).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace hallcast::testing {

using namespace std::chrono_literals;

struct HttpResponse {
  int status = 0;                              // 0: no answer
  std::map<std::string, std::string> headers;  // lower-case names; repeats joined by "\n"
  std::string body;

  std::string header(const std::string& name) const;
};

// Sends `request` verbatim and reads one answer (by content-length, or until the server
// closes).
HttpResponse http_exchange(int port, std::string_view request,
                           std::chrono::milliseconds timeout = 5s);
// The same from loopback address `source` (e.g. "127.0.0.2"): another client.
HttpResponse http_exchange_from(const std::string& source, int port, std::string_view request,
                                std::chrono::milliseconds timeout = 5s);
// GET/POST with Host and Connection: close; `headers` are whole lines without CRLF.
HttpResponse http_get(int port, std::string_view path,
                      const std::vector<std::string>& headers = {});
HttpResponse http_post(int port, std::string_view path, std::string_view body,
                       const std::vector<std::string>& headers = {});

struct WsMessage {
  enum class Kind { text, binary, close, timeout, closed };
  Kind kind = Kind::timeout;
  std::string payload;  // text or binary; a close frame's reason
  int close_code = 0;   // close: 1005 if the frame had none
};

struct WsOptions {
  std::string path = "/ws";
  std::vector<std::string> headers;  // whole header lines, e.g. "Authorization: Bearer x"
  int receive_buffer = 0;            // SO_RCVBUF if > 0: a client that reads slowly
  std::string source;                // the loopback address to connect from; "" any
};

class WsClient {
 public:
  using Options = WsOptions;

  // Connects and asks for the upgrade; check upgraded() or status().
  explicit WsClient(int port, Options options = {});
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  bool upgraded() const { return handshake_.status == 101; }
  int status() const { return handshake_.status; }
  const HttpResponse& handshake() const { return handshake_; }

  void send_text(std::string_view text);
  void send_frame(std::uint8_t opcode, std::string_view payload, bool fin = true);
  void close(int code = 1000);

  // The next message (text, binary or close), answering pings on the way.
  WsMessage receive(std::chrono::milliseconds timeout = 5s);
  // The JSON readers below pass over binary messages (multiview thumbnails) and keep
  // them for take_binary.
  //
  // The next text message as JSON (first those wait_for passed over); throws
  // std::runtime_error on a close, end of stream or timeout.
  nlohmann::json receive_json(std::chrono::milliseconds timeout = 5s);
  // The first message that satisfies `match`, looking first at those passed over
  // before; the others are kept, in order, for later calls. Throws on timeout or close.
  nlohmann::json wait_for(const std::function<bool(const nlohmann::json&)>& match,
                          std::chrono::milliseconds timeout = 5s);
  // Sends `request` and waits for the reply carrying its "id".
  nlohmann::json request(const nlohmann::json& request, std::chrono::milliseconds timeout = 5s);
  // Every JSON message passed over so far plus all that arrive until `quiet` passes
  // without one.
  std::vector<nlohmann::json> take_all(std::chrono::milliseconds quiet);
  // Every binary message passed over so far plus all that arrive within `wait` (text
  // messages meanwhile are kept for the JSON readers). Stops early on a close.
  std::vector<std::string> take_binary(std::chrono::milliseconds wait);
  // Waits until the server closes the connection; the close code, or 0 if the socket
  // just ended, or -1 on timeout.
  int wait_for_close(std::chrono::milliseconds timeout = 5s);

  // Every text message received so far, one per line (for scanning for secrets).
  const std::string& transcript() const { return transcript_; }
  int fd() const { return fd_; }

 private:
  bool fill(std::chrono::steady_clock::time_point deadline);  // false: timeout or EOF
  // The next message that is not binary; binary ones go to binary_ on the way.
  WsMessage receive_text(std::chrono::steady_clock::time_point deadline);
  bool eof_ = false;
  int fd_ = -1;
  std::string buffer_;  // received, not yet parsed
  HttpResponse handshake_;
  std::string transcript_;
  std::string fragments_;
  std::deque<nlohmann::json> skipped_;
  std::deque<std::string> binary_;  // binary messages the JSON readers passed over
  std::uint8_t fragment_opcode_ = 0;
};

}  // namespace hallcast::testing
