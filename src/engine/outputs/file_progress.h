// Progress of a destination that writes files (a recording, HLS): the bytes its
// pipeline took from the programme (a steady bitrate), and live only once bytes have
// really reached its files on disk. From then on a write that fails is the file sink's
// error; the disk is no longer looked at (a hung network file system would hold up
// the engine thread for as long as it looked). Without known files (a template whose
// sink names its own), what the pipeline took is all there is to go by.
#pragma once

#include <vector>

#include "engine/outputs/byte_counter.h"
#include "engine/outputs/numbered_files.h"
#include "engine/outputs/progress_sensor.h"

namespace hallcast::engine {

class FileProgress : public ProgressSensor {
 public:
  // `files` outlive this sensor.
  FileProgress(const std::vector<GstElement*>& feeds, std::vector<NumberedFiles*> files);

  Progress read() override;

 private:
  std::vector<NumberedFiles*> files_;
  bool on_disk_ = false;  // bytes have reached the files
  ByteCounter counter_;
};

}  // namespace hallcast::engine
