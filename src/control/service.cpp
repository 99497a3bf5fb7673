#include "control/service.h"

#include <spdlog/spdlog.h>

#include "control/listen_address.h"
#include "control/wire.h"

namespace hallcast::control {

namespace {

// lws logs through one process-wide function with no user data; it only forwards to
// spdlog, whose sink (app/logging) scrubs secrets like every other line.
void lws_to_spdlog(int level, const char* line) {
  std::string_view text(line != nullptr ? line : "");
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  if (level & LLL_ERR) {
    spdlog::warn("control: lws: {}", text);
  } else {
    spdlog::debug("control: lws: {}", text);
  }
}

}  // namespace

Service::Service(const config::Control& control, ServerOptions options, engine::Engine& engine,
                 const common::Redactor& redactor, std::shared_ptr<Mailbox> mailbox)
    : control_(control),
      options_(std::move(options)),
      engine_(engine),
      redactor_(redactor),
      mailbox_(std::move(mailbox)),
      authenticator_(options_.tokens),
      files_(options_.web_dir),
      gate_(options_.connection_limits, "control"),
      throttle_(options_.login_throttle) {
  // Drop the copies: from here on only the authenticator holds the tokens.
  options_.tokens = {};
  if (authenticator_.open() && !is_loopback_host(control_.host)) {
    throw ControlError("control: refusing to listen on " + control_.host +
                       " without an operator token: set " + control_.token_env);
  }
  // A client that vanished without closing (a laptop lid shut) is pinged after 20 s of
  // silence and dropped 20 s later.
  idle_policy_.secs_since_valid_ping = 20;
  idle_policy_.secs_since_valid_hangup = 40;

  protocols_[0].name = "hallcast-control";
  protocols_[0].callback = &Service::callback;
  protocols_[0].per_session_data_size = 0;  // per-connection state lives in peers_
  protocols_[0].rx_buffer_size = 0;
  // protocols_[1] stays zeroed: the terminator.
}

Service::~Service() {
  context_.reset();
}

void Service::start() {
  closing_.store(false);
  exiting_.store(false);
  goodbye_said_ = false;
  lws_set_log_level(LLL_ERR | LLL_WARN, &lws_to_spdlog);

  lws_context_creation_info info{};
  info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
  info.user = this;
  // Room for a long cookie and Authorization header; anything larger is refused.
  info.max_http_header_data = 8192;
  lws_context_creation_info vhost{};
  gate_.configure(info, vhost, options_.request_timeout);
  context_.reset(lws_create_context(&info));
  if (!context_) {
    throw ControlError("control: cannot create the HTTP server");
  }

  const std::string address = bind_address(control_.host);
  vhost.vhost_name = "hallcast";
  vhost.port = control_.port;
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
    throw ControlError("control: cannot listen on " + control_.host + ":" +
                       std::to_string(control_.port));
  }
  port_ = lws_get_vhost_listen_port(host);

  if (authenticator_.open()) {
    spdlog::warn(
        "control: NO OPERATOR TOKEN ({} is not set): anyone who can reach {}:{} controls "
        "the show. Set it before the event.",
        control_.token_env, control_.host, port_);
  }
  spdlog::info(
      "control: listening on http://{}:{}/ (panel, /ws, /metrics, /healthz); at most {} "
      "connections, {} per address",
      control_.host, port_, gate_.settings().total, gate_.settings().per_address);
}

void Service::run() {
  while (!exiting_.load()) {
    if (lws_service(context_.get(), 0) < 0) {
      break;
    }
  }
}

void Service::request_wake() {
  lws_cancel_service(context_.get());
}

void Service::request_close() {
  closing_.store(true);
  lws_cancel_service(context_.get());
}

void Service::request_exit() {
  exiting_.store(true);
  if (context_) {
    lws_cancel_service(context_.get());
  }
}

void Service::finish() {
  context_.reset();  // closes whatever is left; their callbacks run here
  // Whatever lws did not report destroyed is given back, so shared limits do not
  // shrink with every restart.
  for (const auto& [wsi, p] : peers_) {
    if (!p.address.empty()) {
      gate_.release(p.address);
    }
  }
  peers_.clear();
  clients_.clear();
}

void Service::say_goodbye() {
  goodbye_said_ = true;
  for (const auto& [client, wsi] : clients_) {
    Peer& p = peer(wsi);
    p.leaving = true;
    p.queue.clear();
    // The close frame goes out on the next write turn.
    lws_callback_on_writable(wsi);
  }
}

int Service::callback(lws* wsi, lws_callback_reasons reason, void* user, void* in,
                      std::size_t len) {
  auto* self = static_cast<Service*>(lws_context_user(lws_get_context(wsi)));
  if (self == nullptr) {
    return lws_callback_http_dummy(wsi, reason, nullptr, in, len);
  }
  return self->dispatch(wsi, reason, user, in, len);
}

int Service::dispatch(lws* wsi, lws_callback_reasons reason, void* user, void* in,
                      std::size_t len) {
  switch (reason) {
    case LWS_CALLBACK_FILTER_NETWORK_CONNECTION:
      // `user` is the accepted connection; `wsi` is the listening socket.
      return gate_.admit(*static_cast<lws_filter_network_conn_args*>(user)) ? 0 : 1;
    case LWS_CALLBACK_WSI_CREATE:
      on_wsi_created(wsi);
      return 0;
    case LWS_CALLBACK_HTTP:
      return on_http(wsi, peer(wsi), std::string_view(static_cast<const char*>(in), len));
    case LWS_CALLBACK_HTTP_BODY:
      return on_http_body(peer(wsi), std::string_view(static_cast<const char*>(in), len));
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
      return on_http_body_done(wsi, peer(wsi));
    case LWS_CALLBACK_HTTP_FILE_COMPLETION:
      return lws_http_transaction_completed(wsi) ? -1 : 0;
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
      return on_confirm_upgrade(wsi, peer(wsi));
    case LWS_CALLBACK_ESTABLISHED:
      return on_established(wsi, peer(wsi));
    case LWS_CALLBACK_RECEIVE:
      return on_receive(wsi, peer(wsi), static_cast<const char*>(in), len);
    case LWS_CALLBACK_SERVER_WRITEABLE:
      return on_writeable(wsi, peer(wsi));
    case LWS_CALLBACK_CLOSED:
      on_closed(peer(wsi));
      return 0;
    case LWS_CALLBACK_WSI_DESTROY:
      on_wsi_destroyed(wsi);
      return 0;
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
      if (closing_.load()) {
        if (!goodbye_said_)
          say_goodbye();
      } else {
        deliver_mail();
      }
      return 0;
    default:
      return lws_callback_http_dummy(wsi, reason, nullptr, in, len);
  }
}

void Service::on_wsi_created(lws* wsi) {
  std::string address = gate_.take_admitted();
  if (address.empty()) {
    return;  // not an accepted connection
  }
  Peer& p = peers_[wsi];
  p = Peer{};
  p.address = std::move(address);
}

void Service::on_wsi_destroyed(lws* wsi) {
  const auto it = peers_.find(wsi);
  if (it == peers_.end()) {
    return;
  }
  if (!it->second.address.empty()) {
    gate_.release(it->second.address);
  }
  peers_.erase(it);
}

FramePtr Service::make_frame(std::string_view text) const {
  // Every frame passes the redactor once, whatever it carries: the engine scrubs its
  // texts already, and this keeps a slip there from reaching a panel.
  return std::make_shared<Frame>(redactor_.scrub(text));
}

FramePtr Service::state_frame() {
  auto snapshot = engine_.snapshot();
  if (snapshot != cached_snapshot_ || !cached_state_) {
    cached_state_ = make_frame(encode_state(*snapshot));
    cached_snapshot_ = std::move(snapshot);
  }
  return cached_state_;
}

void Service::deliver_mail() {
  auto batch = mailbox_->take();
  // A thumbnail is worth sending only if it is its feed's newest: when the service
  // thread falls behind, a batch can hold several of one feed, and the older ones
  // would only delay the newest.
  std::unordered_map<std::string_view, std::size_t> newest_thumbnail;
  if (counts_.multiview > 0) {
    for (std::size_t i = 0; i < batch.items.size(); ++i) {
      const auto* event = std::get_if<show::Event>(&batch.items[i]);
      if (const auto* thumbnail = event ? std::get_if<show::Thumbnail>(event) : nullptr) {
        newest_thumbnail[thumbnail->feed] = i;
      }
    }
  }
  for (std::size_t i = 0; i < batch.items.size(); ++i) {
    auto& item = batch.items[i];
    if (auto* event = std::get_if<show::Event>(&item)) {
      if (const auto* packet = std::get_if<show::ListenPacket>(event)) {
        deliver_listen_packet(*packet);
        continue;
      }
      if (const auto* thumbnail = std::get_if<show::Thumbnail>(event)) {
        // With no subscriber left these are the engine's last before it stopped
        // making them: dropped here unencoded.
        if (counts_.multiview > 0 && newest_thumbnail[thumbnail->feed] == i) {
          deliver_thumbnail(*thumbnail);
        }
        continue;
      }
      broadcast(make_frame(encode_event(*event)));
      continue;
    }
    auto& reply = std::get<ReplyItem>(item);
    auto client = clients_.find(reply.client);
    if (client == clients_.end()) {
      continue;  // it left while the engine worked
    }
    lws* wsi = client->second;
    Peer& p = peer(wsi);
    if (p.in_flight > 0) {
      --p.in_flight;
    }
    std::optional<Error> error;
    if (!reply.reply.ok()) {
      error = Error{from_domain(reply.reply.error), reply.reply.message};
    }
    enqueue(wsi, p, make_frame(encode_reply(reply.id, error)));
    if (reply.then_state && !error) {
      enqueue(wsi, p, state_frame());
    }
  }
  if (batch.overflowed) {
    spdlog::warn("control: events came faster than they could be sent; resending the state");
    broadcast(state_frame());
  }
}

void Service::deliver_thumbnail(const show::Thumbnail& thumbnail) {
  // Encoded once, on the first client that takes it, and shared by all of them.
  FramePtr frame;
  for (const auto& [client, wsi] : clients_) {
    Peer& p = peer(wsi);
    if (!p.multiview || p.dropped || p.leaving) {
      continue;
    }
    // Thumbnails are droppable: a client that has fallen behind skips them and keeps
    // the rest of its queue for the events it must not miss, so thumbnails alone
    // can never get it dropped.
    if (p.queue.size() > options_.max_queued_frames / 2) {
      ++counts_.thumbnails_skipped;
      continue;
    }
    if (!frame) {
      // Only the header is text, and it holds only the feed's name; it passes the
      // redactor like every other text. The JPEG is pixels.
      show::Thumbnail scrubbed{redactor_.scrub(thumbnail.feed), thumbnail.jpeg};
      const std::string payload = encode_thumbnail(scrubbed);
      if (payload.empty()) {
        return;
      }
      frame = std::make_shared<Frame>(payload, Frame::Kind::binary);
    }
    enqueue(wsi, p, frame);
  }
}

}  // namespace hallcast::control
