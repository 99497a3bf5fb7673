// A recording: the video and every language track (each tagged with its language) in
// files in the output's folder, named after the output and the time the attempt began,
// cut into numbered pieces when the template's muxer does that (splitmuxsink).
//
// A recording is on the air while bytes really reach its file, not while its pipeline
// takes data: on a full disk every write fails, and an attempt that wrote nothing
// leaves no empty file behind. A folder that cannot be made or a file that cannot be
// opened or written (a full disk, no descriptor left) is a failure tried again later,
// like a network destination's.
#pragma once

#include <optional>

#include "engine/outputs/destination.h"
#include "engine/outputs/numbered_files.h"

namespace hallcast::engine {

class RecordDestination : public Destination {
 public:
  explicit RecordDestination(DestinationContext context);

  std::string prepare() override;
  BuiltPipeline build(const std::vector<std::string>& languages) override;
  std::string describe() const override;
  std::unique_ptr<ProgressSensor> sensor(BuiltPipeline& built, FeedSession& session) override;
  void after_attempt() override;

 private:
  // The files of the attempt built last.
  std::optional<NumberedFiles> files_;
};

}  // namespace hallcast::engine
