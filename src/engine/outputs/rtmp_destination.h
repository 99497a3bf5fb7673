// An RTMP or RTMPS platform: FLV with the video and one language track, pushed by the
// template's sink (rtmp2sink) to the URL with the stream key as the stream name.
//
// Its progress is what the connection wrote (rtmp2sink's `stats`, which count only once
// the stream is published) and, to notice a server that hangs with its connection open,
// whether the server still reads (its TCP receive window, see peer_reading.h) — the
// only way to tell within seconds, where the written bytes go on rising for as long as
// the kernels' buffers last.
#pragma once

#include <cstdint>

#include "engine/outputs/destination.h"

namespace hallcast::engine {

class RtmpDestination : public Destination {
 public:
  explicit RtmpDestination(DestinationContext context);

  bool carries_every_language() const override { return false; }
  std::string unstartable_reason() const override;
  BuiltPipeline build(const std::vector<std::string>& languages) override;
  std::string describe() const override;
  std::unique_ptr<ProgressSensor> sensor(BuiltPipeline& built, FeedSession& session) override;

 private:
  ElementPtr sink_;             // of the attempt built last
  std::uint32_t tag_kbps_ = 0;  // its connection's tag (tagged_socket.h); 0: none
};

}  // namespace hallcast::engine
