#include "store/state_writer.h"

#include <spdlog/spdlog.h>

#include <exception>

#include "common/thread_name.h"
#include "store/atomic_file.h"
#include "store/state_codec.h"

namespace hallcast::store {

void StateWriter::Shared::ring() {
  {
    std::lock_guard lock(mutex);
    dirty = true;
  }
  wake.notify_one();
}

StateWriter::StateWriter(std::filesystem::path file, std::chrono::milliseconds debounce)
    : file_(std::move(file)), debounce_(debounce) {}

StateWriter::~StateWriter() {
  stop();
}

std::function<void()> StateWriter::doorbell() const {
  return [shared = shared_] { shared->ring(); };
}

void StateWriter::start(Reader read, std::optional<show::LiveState> on_disk) {
  if (thread_.joinable()) {
    return;
  }
  read_ = std::move(read);
  on_disk_ = std::move(on_disk);
  shared_->ring();  // the state to start from, unless the file holds it already
  thread_ = std::thread([this] {
    common::name_this_thread("state-writer");
    run();
  });
}

void StateWriter::stop() {
  if (!thread_.joinable()) {
    return;
  }
  {
    std::lock_guard lock(shared_->mutex);
    shared_->stopping = true;
  }
  shared_->wake.notify_one();
  thread_.join();
}

unsigned StateWriter::writes() const {
  return writes_.load();
}

void StateWriter::run() {
  Shared& s = *shared_;
  std::unique_lock lock(s.mutex);
  for (;;) {
    s.wake.wait(lock, [&] { return s.dirty || s.stopping; });
    if (!s.stopping) {
      // Let the burst settle: what comes meanwhile goes into the same write.
      s.wake.wait_for(lock, debounce_, [&] { return s.stopping; });
    }
    if (s.dirty) {
      s.dirty = false;
      lock.unlock();
      save_if_changed();
      lock.lock();
    }
    if (s.stopping && !s.dirty) {
      return;
    }
  }
}

void StateWriter::save_if_changed() {
  show::LiveState state = read_();
  if (on_disk_ && *on_disk_ == state) {
    return;
  }
  try {
    write_file_atomically(file_, encode_state(state));
  } catch (const std::exception& e) {
    // Tried again at the next change; said once until it works again.
    if (!failing_) {
      spdlog::warn("state: cannot save the show's state: {}", e.what());
    }
    failing_ = true;
    return;
  }
  if (failing_) {
    spdlog::info("state: saved again to {}", file_.string());
  }
  failing_ = false;
  on_disk_ = std::move(state);
  writes_.fetch_add(1);
  spdlog::debug("state: saved to {}", file_.string());
}

}  // namespace hallcast::store
