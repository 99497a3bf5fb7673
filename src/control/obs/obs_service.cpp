// The obs-websocket listener's lws plumbing: the context, the two subprotocols,
// admission, reading messages and writing each client's queue.
#include "control/obs/obs_service.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include "control/listen_address.h"
#include "control/server.h"

namespace hallcast::control::obs {
namespace {

// As for the control server: keep a stuck client's backlog where it can be counted.
constexpr int socket_send_buffer = 64 * 1024;

std::string header(lws* wsi, lws_token_indexes token) {
  const int length = lws_hdr_total_length(wsi, token);
  if (length <= 0) {
    return "";
  }
  std::string value(static_cast<std::size_t>(length) + 1, '\0');
  if (lws_hdr_copy(wsi, value.data(), length + 1, token) < 0) {
    return "";
  }
  value.resize(static_cast<std::size_t>(length));
  return value;
}

// "host:port", "[::1]:port" or "host" → host.
std::string host_of(std::string authority) {
  if (authority.starts_with("[")) {
    const auto end = authority.find(']');
    return end == std::string::npos ? authority : authority.substr(1, end - 1);
  }
  const auto colon = authority.find(':');
  return colon == std::string::npos ? authority : authority.substr(0, colon);
}

std::string peer_address(lws* wsi) {
  char address[64] = "?";
  lws_get_peer_simple(wsi, address, sizeof(address));
  return address;
}

}  // namespace

ObsService::ObsService(const config::Config& config, ObsOptions options, engine::Engine& engine,
                       const common::Redactor& redactor, std::shared_ptr<Mailbox> mailbox)
    : config_(config),
      options_(std::move(options)),
      engine_(engine),
      redactor_(redactor),
      mailbox_(std::move(mailbox)),
      auth_(options_.password),
      translator_(config_, *engine.snapshot()) {
  // Only the derived secret stays (in auth_).
  options_.password = {};
  idle_policy_.secs_since_valid_ping = 20;
  idle_policy_.secs_since_valid_hangup = 40;
  // One protocol per subprotocol, so lws negotiates it; the first also answers a
  // client that asks for none (JSON, as in OBS).
  protocols_[0].name = "obswebsocket.json";
  protocols_[1].name = "obswebsocket.msgpack";
  for (int i = 0; i < 2; ++i) {
    protocols_[i].callback = &ObsService::callback;
    protocols_[i].per_session_data_size = 0;  // per-connection state lives in connections_
    protocols_[i].rx_buffer_size = 0;
  }
  meter_timer_.service = this;
  delayed_timer_.service = this;
}

ObsService::~ObsService() {
  context_.reset();
}

void ObsService::start() {
  closing_.store(false);
  exiting_.store(false);
  goodbye_said_ = false;
  const auto& obs = *config_.control.obs_websocket;

  lws_context_creation_info info{};
  info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
  info.user = this;
  info.max_http_header_data = 8192;
  context_.reset(lws_create_context(&info));
  if (!context_) {
    throw ControlError("obs-websocket: cannot create the server");
  }
  const std::string address = bind_address(obs.host);
  lws_context_creation_info vhost{};
  vhost.vhost_name = "obs-websocket";
  vhost.port = obs.port;
  vhost.iface = address.empty() ? nullptr : address.c_str();
  vhost.protocols = protocols_;
  vhost.retry_and_idle_policy = &idle_policy_;
  vhost.options = LWS_SERVER_OPTION_VALIDATE_UTF8 | LWS_SERVER_OPTION_FAIL_UPON_UNABLE_TO_BIND;
  if (address.find(':') == std::string::npos && !address.empty()) {
    vhost.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
  }
  lws_vhost* host = lws_create_vhost(context_.get(), &vhost);
  if (host == nullptr) {
    context_.reset();
    throw ControlError("obs-websocket: cannot listen on " + obs.host + ":" +
                       std::to_string(obs.port));
  }
  port_ = lws_get_vhost_listen_port(host);
  if (!auth_.required()) {
    spdlog::warn(
        "obs-websocket: no password ({} is not set): anyone on this machine controls "
        "the show through {}:{}",
        obs.password_env, obs.host, port_);
  }
  spdlog::info("obs-websocket: listening on ws://{}:{}/", obs.host, port_);
}

void ObsService::run() {
  while (!exiting_.load()) {
    if (lws_service(context_.get(), 0) < 0) {
      break;
    }
  }
}

void ObsService::request_wake() {
  lws_cancel_service(context_.get());
}

void ObsService::request_close() {
  closing_.store(true);
  lws_cancel_service(context_.get());
}

void ObsService::request_exit() {
  exiting_.store(true);
  if (context_) {
    lws_cancel_service(context_.get());
  }
}

void ObsService::finish() {
  context_.reset();
  connections_.clear();
  clients_.clear();
}

int ObsService::callback(lws* wsi, lws_callback_reasons reason, void*, void* in, std::size_t len) {
  auto* self = static_cast<ObsService*>(lws_context_user(lws_get_context(wsi)));
  if (self == nullptr) {
    return lws_callback_http_dummy(wsi, reason, nullptr, in, len);
  }
  return self->dispatch(wsi, reason, in, len);
}

int ObsService::dispatch(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len) {
  switch (reason) {
    case LWS_CALLBACK_HTTP:
      // Only WebSockets here; a browser pointed at the port learns so.
      lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, "connect with an obs-websocket client");
      return -1;
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
      return admit(wsi) ? 0 : 1;
    case LWS_CALLBACK_ESTABLISHED:
      return on_established(wsi, connection(wsi));
    case LWS_CALLBACK_RECEIVE:
      return on_receive(wsi, connection(wsi), static_cast<const char*>(in), len);
    case LWS_CALLBACK_SERVER_WRITEABLE:
      return on_writeable(wsi, connection(wsi));
    case LWS_CALLBACK_CLOSED:
      on_closed(wsi, connection(wsi));
      return 0;
    case LWS_CALLBACK_WSI_DESTROY:
      if (auto it = connections_.find(wsi); it != connections_.end()) {
        lws_sul_cancel(&it->second.pause_timer.sul);
        connections_.erase(it);
      }
      return 0;
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
      if (closing_.load()) {
        if (!goodbye_said_) {
          say_goodbye();
        }
      } else {
        deliver_mail();
      }
      return 0;
    default:
      return lws_callback_http_dummy(wsi, reason, nullptr, in, len);
  }
}

bool ObsService::admit(lws* wsi) const {
  if (closing_.load()) {
    return false;
  }
  if (auth_.required()) {
    return true;  // the password decides
  }
  // Without a password, whoever reaches the port is trusted, and only loopback can.
  // A web page could still reach it through the browser: refuse one from another
  // site (its Origin), and one whose name was re-pointed at 127.0.0.1 (its Host).
  const std::string host = host_of(header(wsi, WSI_TOKEN_HOST));
  const std::string origin = header(wsi, WSI_TOKEN_ORIGIN);
  std::string origin_host;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (origin.starts_with(scheme)) {
      origin_host = host_of(origin.substr(scheme.size()));
    }
  }
  const bool ok =
      (host.empty() || is_loopback_host(host)) && (origin.empty() || is_loopback_host(origin_host));
  if (!ok) {
    spdlog::warn("obs-websocket: refused a connection from {}: not a local client",
                 peer_address(wsi));
  }
  return ok;
}

int ObsService::on_established(lws* wsi, Connection& c) {
  if (closing_.load()) {
    return close_with(wsi, LWS_CLOSE_STATUS_GOINGAWAY, "Server stopping.");
  }
  const int fd = lws_get_socket_fd(wsi);
  if (fd >= 0) {
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &socket_send_buffer, sizeof(socket_send_buffer));
  }
  const lws_protocols* protocol = lws_get_protocol(wsi);
  c.encoding = encoding_of(protocol != nullptr && protocol->name != nullptr ? protocol->name : "");
  c.id = next_client_++;
  clients_[c.id] = wsi;
  open_clients_.store(static_cast<int>(clients_.size()));
  c.pause_timer.service = this;
  c.pause_timer.wsi = wsi;
  const std::string challenge = auth_.required() ? auth_.new_challenge() : "";
  c.session = std::make_unique<Session>(auth_, challenge);
  spdlog::info("obs-websocket: client {} connected from {} ({})", c.id, peer_address(wsi),
               c.encoding == Encoding::json ? "json" : "msgpack");
  send(wsi, c, hello(auth_, challenge));
  return 0;
}

void ObsService::on_closed(lws*, Connection& c) {
  if (c.id == 0) {
    return;
  }
  clients_.erase(c.id);
  open_clients_.store(static_cast<int>(clients_.size()));
  spdlog::info("obs-websocket: client {} disconnected", c.id);
  lws_sul_cancel(&c.pause_timer.sul);
  c.id = 0;
  c.queue.clear();
  c.waiting.clear();
  c.running.reset();
}

int ObsService::on_receive(lws* wsi, Connection& c, const char* data, std::size_t len) {
  if (c.dropped || c.leaving) {
    return c.dropped ? -1 : 0;
  }
  // Checked while the message is still arriving: a huge one is never held in memory.
  if (c.incoming.size() + len > max_message_bytes) {
    spdlog::warn("obs-websocket: client {} sent a message over {} bytes; closing", c.id,
                 max_message_bytes);
    return close_with(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, "Message too large.");
  }
  c.incoming.append(data, len);
  if (!lws_is_final_fragment(wsi)) {
    return 0;
  }
  return handle_message(wsi, c);
}

int ObsService::handle_message(lws* wsi, Connection& c) {
  const std::string payload = std::move(c.incoming);
  c.incoming.clear();
  ++c.messages_in;
  auto decoded = decode(c.encoding, lws_frame_is_binary(wsi) != 0, payload);
  if (auto* close = std::get_if<CloseWith>(&decoded)) {
    spdlog::warn("obs-websocket: client {}: {}; closing", c.id, close->reason);
    return close_with(wsi, static_cast<int>(close->code), close->reason);
  }
  const bool was_identified = c.session->identified();
  auto outcome = c.session->handle(std::get<nlohmann::json>(decoded));
  if (auto* close = std::get_if<CloseWith>(&outcome)) {
    if (close->code == CloseCode::authentication_failed) {
      spdlog::warn("obs-websocket: client {} from {} failed to authenticate", c.id,
                   peer_address(wsi));
    } else {
      spdlog::warn("obs-websocket: client {}: {}; closing", c.id, close->reason);
    }
    return close_with(wsi, static_cast<int>(close->code), close->reason);
  }
  if (auto* reply = std::get_if<Send>(&outcome)) {
    if (!was_identified) {
      spdlog::info("obs-websocket: client {} identified", c.id);
    }
    send(wsi, c, reply->message);
    update_meter_timer();
    return 0;
  }
  accept_job(wsi, c, std::get<Job>(std::move(outcome)));
  return 0;
}

void ObsService::send(lws* wsi, Connection& c, const nlohmann::json& message) {
  // Every message passes the redactor once, as on the control server.
  const std::string text = encode(c.encoding, message);
  const auto kind = c.encoding == Encoding::json ? Frame::Kind::text : Frame::Kind::binary;
  enqueue(wsi, c,
          std::make_shared<Frame>(kind == Frame::Kind::text ? redactor_.scrub(text) : text, kind));
}

void ObsService::enqueue(lws* wsi, Connection& c, FramePtr frame) {
  if (c.dropped || c.id == 0) {
    return;
  }
  if (c.queue.size() >= options_.max_queued_frames) {
    c.dropped = true;
    c.queue.clear();
    spdlog::warn("obs-websocket: client {} fell {} messages behind; dropping it", c.id,
                 options_.max_queued_frames);
    lws_close_reason(wsi, LWS_CLOSE_STATUS_POLICY_VIOLATION,
                     reinterpret_cast<unsigned char*>(const_cast<char*>("too slow")), 8);
    lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    return;
  }
  ++c.messages_out;
  c.queue.push_back(std::move(frame));
  lws_callback_on_writable(wsi);
}

int ObsService::on_writeable(lws* wsi, Connection& c) {
  if (c.dropped) {
    return -1;
  }
  for (int written = 0; written < 16 && !c.queue.empty(); ++written) {
    FramePtr frame = std::move(c.queue.front());
    c.queue.pop_front();
    if (lws_write(wsi, frame->payload(), frame->size(),
                  frame->binary() ? LWS_WRITE_BINARY : LWS_WRITE_TEXT) <
        static_cast<int>(frame->size())) {
      return -1;
    }
    if (lws_send_pipe_choked(wsi)) {
      break;
    }
  }
  if (!c.queue.empty()) {
    lws_callback_on_writable(wsi);
    return 0;
  }
  if (c.leaving) {
    return close_with(wsi, LWS_CLOSE_STATUS_GOINGAWAY, "Server stopping.");
  }
  return 0;
}

int ObsService::close_with(lws* wsi, int code, std::string_view reason) {
  // A close frame's reason has room for 123 bytes.
  const std::string_view text = reason.substr(0, 123);
  lws_close_reason(wsi, static_cast<lws_close_status>(code),
                   reinterpret_cast<unsigned char*>(const_cast<char*>(text.data())), text.size());
  return -1;
}

}  // namespace hallcast::control::obs
