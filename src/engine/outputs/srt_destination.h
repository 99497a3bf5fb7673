// An SRT receiver: MPEG-TS with the video and every language track. It calls the
// receiver, or — with no host in the URL — listens for receivers to call it; the key,
// if any, is the SRT stream id.
//
// Progress is what its pipeline took from the programme. A listener is on the air
// while a receiver is connected (srtsink's caller-added/removed signals); with nobody
// there it drops what it is given, which is neither sent nor a failure.
#pragma once

#include "engine/outputs/destination.h"

namespace hallcast::engine {

class SrtDestination : public Destination {
 public:
  explicit SrtDestination(DestinationContext context);

  BuiltPipeline build(const std::vector<std::string>& languages) override;
  std::string describe() const override;
  std::unique_ptr<ProgressSensor> sensor(BuiltPipeline& built, FeedSession& session) override;

 private:
  bool listener_ = false;
  ElementPtr sink_;  // of the attempt built last
};

}  // namespace hallcast::engine
