// The WebSocket side of the control server: each client's requests go to the engine as
// typed commands; replies, the state and every event come back through the client's
// bounded queue. A client that lets its queue fill is dropped, never waited for.
// Requests about the connection itself (the multiview subscription) are answered here.
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <cstring>

#include "control/protocol.h"
#include "control/service.h"
#include "control/wire.h"

namespace hallcast::control {

namespace {

// The kernel's share of a client's backlog. Left to autotuning, loopback and LAN sockets
// grow to megabytes, and a stuck client would hold minutes of events there before its
// queue (the part we can see and count) started to fill. 64 KiB is still many times
// what a panel needs in flight.
constexpr int socket_send_buffer = 64 * 1024;

// The close code for a client whose browser session ended (docs/protocol.md).
constexpr auto session_ended = static_cast<lws_close_status>(4001);

int close_with(lws* wsi, lws_close_status status, std::string_view reason) {
  lws_close_reason(wsi, status, reinterpret_cast<unsigned char*>(const_cast<char*>(reason.data())),
                   reason.size());
  return -1;
}

}  // namespace

int Service::on_established(lws* wsi, Peer& peer) {
  peer.role = peer.upgrade_role;
  peer.session = std::move(peer.upgrade_session);
  if (peer.role == Role::none) {
    return -1;  // cannot happen: the upgrade was refused
  }
  if (closing_.load()) {
    return close_with(wsi, LWS_CLOSE_STATUS_GOINGAWAY, "server stopping");
  }
  const int fd = lws_get_socket_fd(wsi);
  if (fd >= 0) {
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &socket_send_buffer, sizeof(socket_send_buffer));
  }
  peer.client = next_client_++;
  clients_[peer.client] = wsi;
  (peer.role == Role::operator_ ? counts_.operators : counts_.viewers)++;
  open_clients_.store(static_cast<int>(clients_.size()));
  char address[64] = "?";
  lws_get_peer_simple(wsi, address, sizeof(address));
  spdlog::info("control: client {} connected from {} ({})", peer.client, address,
               to_string(peer.role));
  enqueue(wsi, peer, state_frame());
  return 0;
}

void Service::on_closed(Peer& peer) {
  if (peer.client == 0) {
    return;
  }
  if (peer.multiview) {
    set_multiview(peer, false);
  }
  set_listen(peer, "");
  clients_.erase(peer.client);
  open_clients_.store(static_cast<int>(clients_.size()));
  (peer.role == Role::operator_ ? counts_.operators : counts_.viewers)--;
  spdlog::info("control: client {} disconnected", peer.client);
  peer.client = 0;
  peer.queue.clear();
}

int Service::on_receive(lws* wsi, Peer& peer, const char* data, std::size_t len) {
  if (peer.dropped) {
    return -1;
  }
  if (peer.revoked) {
    return 0;  // nothing it asks is done; its close (and why) is on the way
  }
  if (lws_frame_is_binary(wsi)) {
    return close_with(wsi, LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE, "text frames only");
  }
  // Checked while the message is still arriving: a huge one is never held in memory.
  if (peer.incoming.size() + len > max_frame_bytes) {
    spdlog::warn("control: client {} sent a message over {} bytes; closing", peer.client,
                 max_frame_bytes);
    return close_with(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, "message too large");
  }
  peer.incoming.append(data, len);
  if (!lws_is_final_fragment(wsi)) {
    return 0;
  }
  return handle_message(wsi, peer);
}

int Service::handle_message(lws* wsi, Peer& peer) {
  const std::string text = std::move(peer.incoming);
  peer.incoming.clear();
  // A browser's session may have lapsed or been pushed out by newer ones since the
  // upgrade: its client goes with it, and nothing it asks is carried out.
  if (!peer.session.empty() &&
      sessions_.find_id(peer.session, Sessions::Clock::now()) == Role::none) {
    end_session_clients(peer.session);
    return 0;
  }
  auto parsed = parse_request(text);

  if (auto* unreadable = std::get_if<Unreadable>(&parsed)) {
    spdlog::warn("control: client {}: {}; closing", peer.client, unreadable->message);
    return unreadable->reason == Unreadable::Reason::too_large
               ? close_with(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, unreadable->message)
               : close_with(wsi, LWS_CLOSE_STATUS_INVALID_PAYLOAD, unreadable->message);
  }
  if (auto* rejected = std::get_if<Rejected>(&parsed)) {
    enqueue(wsi, peer, make_frame(encode_reply(rejected->id, rejected->error)));
    return 0;
  }
  if (auto* connection = std::get_if<ConnectionRequest>(&parsed)) {
    handle_connection_request(wsi, peer, *connection);
    return 0;
  }
  auto& request = std::get<Request>(parsed);
  if (peer.role != Role::operator_ && !is_read_only(request.command)) {
    enqueue(
        wsi, peer,
        make_frame(encode_reply(
            request.id, Error{ErrorCode::read_only,
                              "a viewer cannot " + std::string(command_name(request.command))})));
    return 0;
  }
  // Bounds what one client can pile onto the engine's queue.
  if (peer.in_flight >= options_.max_commands_in_flight) {
    enqueue(wsi, peer,
            make_frame(encode_reply(request.id, Error{ErrorCode::busy,
                                                      "too many commands waiting; wait for "
                                                      "their replies"})));
    return 0;
  }
  ++peer.in_flight;
  const bool then_state = std::holds_alternative<show::StateGet>(request.command);
  // Runs on the engine thread: hand the typed reply over, nothing more.
  engine_.submit(std::move(request.command),
                 [mailbox = mailbox_, client = peer.client, id = std::move(request.id),
                  then_state](show::Reply reply) mutable {
                   mailbox->post(ReplyItem{client, std::move(id), std::move(reply), then_state});
                 });
  return 0;
}

void Service::handle_connection_request(lws* wsi, Peer& peer, const ConnectionRequest& request) {
  // Open to viewers: watching the pictures or listening changes nothing in the show.
  // Asking twice is harmless; the reply is ok either way.
  std::optional<Error> error;
  switch (request.command) {
    case ConnectionCommand::multiview_subscribe:
      set_multiview(peer, true);
      break;
    case ConnectionCommand::multiview_unsubscribe:
      set_multiview(peer, false);
      break;
    case ConnectionCommand::listen_start:
      // A bad tap changes nothing: a client listening goes on hearing what it heard.
      error = check_tap(request.tap);
      if (!error) {
        set_listen(peer, request.tap);
      }
      break;
    case ConnectionCommand::listen_stop:
      set_listen(peer, "");
      break;
  }
  enqueue(wsi, peer, make_frame(encode_reply(request.id, error)));
}

void Service::set_multiview(Peer& peer, bool subscribed) {
  if (peer.multiview == subscribed) {
    return;
  }
  peer.multiview = subscribed;
  counts_.multiview += subscribed ? 1 : -1;
  spdlog::debug("control: client {} {} the multiview ({} watching)", peer.client,
                subscribed ? "subscribed to" : "left", counts_.multiview);
  // The engine makes thumbnails only while someone is watching: nothing is encoded
  // for a hall where nobody has the multiview open.
  if (counts_.multiview == (subscribed ? 1 : 0)) {
    engine_.set_multiview_active(subscribed);
  }
}

void Service::enqueue(lws* wsi, Peer& peer, FramePtr frame) {
  if (peer.dropped || peer.revoked || peer.client == 0) {
    return;
  }
  if (peer.queue.size() >= options_.max_queued_frames) {
    // It cannot keep up (or stopped reading): let it go rather than hold anyone up.
    // The kill is asynchronous because a stuck socket would never become writable
    // for a polite close.
    peer.dropped = true;
    peer.queue.clear();
    ++counts_.dropped;
    spdlog::warn("control: client {} fell {} messages behind; dropping it", peer.client,
                 options_.max_queued_frames);
    lws_close_reason(wsi, LWS_CLOSE_STATUS_POLICY_VIOLATION,
                     reinterpret_cast<unsigned char*>(const_cast<char*>("too slow")), 8);
    lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    return;
  }
  peer.queue.push_back(std::move(frame));
  lws_callback_on_writable(wsi);
}

void Service::end_session_clients(std::string_view id) {
  for (const auto& [client, wsi] : clients_) {
    Peer& p = peer(wsi);
    if (p.session != id || p.revoked) {
      continue;
    }
    // From now on it can do nothing: what it sends closes it, nothing more is sent to
    // it, and it is told why on its next write turn. One that has stopped reading is
    // cut off after the request timeout.
    p.revoked = true;
    p.queue.clear();
    spdlog::info("control: client {}: its session ended; closing", p.client);
    lws_callback_on_writable(wsi);
    lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK,
                    static_cast<int>(options_.request_timeout.count()));
  }
}

void Service::broadcast(const FramePtr& frame) {
  for (const auto& [client, wsi] : clients_) {
    enqueue(wsi, peer(wsi), frame);
  }
}

int Service::on_writeable(lws* wsi, Peer& peer) {
  if (peer.dropped) {
    return -1;
  }
  if (peer.revoked) {
    return close_with(wsi, session_ended, "session ended");
  }
  if (peer.leaving) {
    return close_with(wsi, LWS_CLOSE_STATUS_GOINGAWAY, "server stopping");
  }
  // A few frames per turn while the socket takes them: events come in bursts (a take
  // is a program and a preview event) and each turn costs a poll round.
  for (int written = 0; written < 16 && !peer.queue.empty(); ++written) {
    FramePtr frame = std::move(peer.queue.front());
    peer.queue.pop_front();
    if (lws_write(wsi, frame->payload(), frame->size(),
                  frame->binary() ? LWS_WRITE_BINARY : LWS_WRITE_TEXT) <
        static_cast<int>(frame->size())) {
      return -1;
    }
    if (lws_send_pipe_choked(wsi)) {
      break;
    }
  }
  if (!peer.queue.empty()) {
    lws_callback_on_writable(wsi);
  }
  return 0;
}

}  // namespace hallcast::control
