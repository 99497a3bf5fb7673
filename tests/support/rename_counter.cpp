#include "support/rename_counter.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <stdexcept>

namespace hallcast::testing {

RenameCounter::RenameCounter(const std::filesystem::path& folder, std::string name)
    : name_(std::move(name)) {
  fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  // Creations are watched too though not counted: the kernel merges an event into an
  // identical one still queued, and a temporary file created between two renames keeps
  // them apart.
  if (fd_ < 0 || inotify_add_watch(fd_, folder.c_str(), IN_MOVED_TO | IN_CREATE) < 0) {
    throw std::runtime_error("cannot watch " + folder.string());
  }
}

RenameCounter::~RenameCounter() {
  if (fd_ >= 0) {
    close(fd_);
  }
}

int RenameCounter::count() {
  alignas(inotify_event) char buffer[8192];
  for (;;) {
    const ssize_t n = read(fd_, buffer, sizeof buffer);
    if (n <= 0) {
      return count_;
    }
    for (ssize_t at = 0; at < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
      if ((event->mask & IN_MOVED_TO) != 0 && event->len > 0 && name_ == event->name) {
        ++count_;
      }
      at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }
}

}  // namespace hallcast::testing
