#include "engine/outputs/file_progress.h"

namespace hallcast::engine {

FileProgress::FileProgress(const std::vector<GstElement*>& feeds, std::vector<NumberedFiles*> files)
    : files_(std::move(files)) {
  for (GstElement* feed : feeds) {
    counter_.count(feed);
  }
}

Progress FileProgress::read() {
  Progress progress;
  progress.bytes = counter_.bytes();
  if (files_.empty()) {
    progress.reached = progress.bytes > 0;
    return progress;
  }
  for (auto it = files_.begin(); !on_disk_ && it != files_.end(); ++it) {
    on_disk_ = (*it)->bytes() > 0;
  }
  progress.reached = on_disk_;
  return progress;
}

}  // namespace hallcast::engine
