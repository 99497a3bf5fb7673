// A WebSocket message ready for lws_write, shared by every client it goes to. Used by
// the control server and the obs-websocket listener alike.
#pragma once

#include <libwebsockets.h>

#include <memory>
#include <string_view>
#include <vector>

namespace hallcast::control {

// A text or binary frame ready for lws_write: LWS_PRE bytes of headroom, then the
// payload. One frame is shared by every client it goes to; lws writes each frame header
// into the headroom just before sending, which is safe because every write happens on
// the one service thread, lws copies whatever the socket did not take, and no extension
// (permessage-deflate) is enabled that would rewrite the payload in place. Binary
// frames are the multiview thumbnails and obs-websocket's MessagePack messages.
class Frame {
 public:
  enum class Kind { text, binary };
  explicit Frame(std::string_view payload, Kind kind = Kind::text);
  unsigned char* payload() { return bytes_.data() + LWS_PRE; }
  std::size_t size() const { return bytes_.size() - LWS_PRE; }
  bool binary() const { return kind_ == Kind::binary; }

 private:
  std::vector<unsigned char> bytes_;
  Kind kind_;
};
using FramePtr = std::shared_ptr<Frame>;

}  // namespace hallcast::control
