// Keeps the saved live state up to date, from a thread of its own, so that the engine
// never waits on a disk.
//
// Whoever sees the show change rings the doorbell (cheap, from any thread: the engine's
// listener does, for every event that may change the live state). The writer then lets
// the burst settle for `debounce`, reads the live state once and, if it differs from
// what is on disk, writes it atomically. However fast the changes come (a fader being
// dragged), it writes at most once per `debounce`; a meter tick or a counter that moved
// writes nothing.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "show/live_state.h"

namespace hallcast::store {

class StateWriter {
 public:
  using Reader = std::function<show::LiveState()>;

  // `file` is written when the live state changes, once started. Touches nothing yet.
  StateWriter(std::filesystem::path file, std::chrono::milliseconds debounce);
  ~StateWriter();  // stop()s
  StateWriter(const StateWriter&) = delete;
  StateWriter& operator=(const StateWriter&) = delete;

  // Rings the writer from any thread; may outlive the writer (it then does nothing).
  std::function<void()> doorbell() const;

  // Starts the thread, which reads the live state with `read` and writes it at once if
  // it differs from `on_disk` (what the file holds now; nullopt: nothing usable).
  void start(Reader read, std::optional<show::LiveState> on_disk);

  // Writes what is still pending, then ends the thread; `read` is not called again.
  // Idempotent.
  void stop();

  // Files written so far.
  unsigned writes() const;

 private:
  struct Shared {
    std::mutex mutex;
    std::condition_variable wake;
    bool dirty = false;     // guarded by mutex
    bool stopping = false;  // guarded by mutex
    void ring();
  };

  void run();
  void save_if_changed();

  const std::filesystem::path file_;
  const std::chrono::milliseconds debounce_;
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
  // The writer thread's own, set before it starts.
  Reader read_;
  std::optional<show::LiveState> on_disk_;
  bool failing_ = false;
  std::atomic<unsigned> writes_{0};  // written by the writer thread, read by anyone
  std::thread thread_;               // started and joined by the owner's thread
};

}  // namespace hallcast::store
