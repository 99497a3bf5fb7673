// Listening (listen.start / listen.stop): each client hears at most one signal at a
// time, a microphone or booth before its fader or a language track as broadcast. The
// engine encodes a signal only while at least one client listens to it; its packets go
// to those clients alone, as binary frames (wire.h, encode_listen_packet).
#include <spdlog/spdlog.h>

#include "control/service.h"
#include "control/wire.h"

namespace hallcast::control {

std::optional<Error> Service::check_tap(const std::string& tap) {
  // The tap's form is the parser's ("source:<id>" or "track:<language>"); whether the
  // show has it, the state's.
  const auto snapshot = engine_.snapshot();
  if (tap.rfind("source:", 0) == 0) {
    const std::string id = tap.substr(7);
    for (const auto& source : snapshot->sources) {
      if (source.id != id) {
        continue;
      }
      if (source.kind == config::SourceKind::video) {
        return Error{ErrorCode::unknown_channel, "source \"" + id + "\" carries no sound"};
      }
      return std::nullopt;
    }
    return Error{ErrorCode::unknown_channel, "no source \"" + id + "\""};
  }
  const std::string language = tap.substr(tap.find(':') + 1);
  for (const auto& known : snapshot->languages) {
    if (known == language) {
      return std::nullopt;
    }
  }
  return Error{ErrorCode::unknown_language, "no track \"" + language + "\""};
}

void Service::set_listen(Peer& peer, const std::string& tap) {
  if (peer.listen == tap) {
    return;
  }
  if (!peer.listen.empty()) {
    --counts_.listening;
    if (--listeners_[peer.listen] == 0) {
      listeners_.erase(peer.listen);
      engine_.set_listening(peer.listen, false);
    }
  }
  peer.listen = tap;
  if (!tap.empty()) {
    ++counts_.listening;
    if (++listeners_[tap] == 1) {
      engine_.set_listening(tap, true);
    }
  }
  spdlog::debug("control: client {} listens to {}", peer.client, tap.empty() ? "nothing" : tap);
}

void Service::deliver_listen_packet(const show::ListenPacket& packet) {
  if (listeners_.count(packet.tap) == 0) {
    return;  // the engine's last before it stopped: nobody listens any more
  }
  FramePtr frame;
  for (const auto& [client, wsi] : clients_) {
    Peer& p = peer(wsi);
    if (p.listen != packet.tap || p.dropped || p.leaving) {
      continue;
    }
    // Like thumbnails, droppable: a client behind loses a gap of sound, never the
    // events it must not miss.
    if (p.queue.size() > options_.max_queued_frames / 2) {
      continue;
    }
    if (!frame) {
      // The header's one text, the tap, passes the redactor like every other text.
      show::ListenPacket scrubbed = packet;
      scrubbed.tap = redactor_.scrub(packet.tap);
      const std::string payload = encode_listen_packet(scrubbed);
      if (payload.empty()) {
        return;
      }
      frame = std::make_shared<Frame>(payload, Frame::Kind::binary);
    }
    enqueue(wsi, p, frame);
  }
}

}  // namespace hallcast::control
