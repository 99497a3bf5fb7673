// Reads the relay's statistics once a second: an HTTP GET of its rtmp_stat location,
// with libsoup on the engine thread's own main context, so that nothing blocks the
// engine and the answer arrives on the engine thread like every other event. One
// request at a time; a relay that does not answer within two seconds counts as
// unreadable until it does.
//
// Created, used and destroyed on the engine thread (libsoup's sessions belong to one
// thread).
#pragma once

#include <gio/gio.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "engine/engine_thread.h"
#include "engine/relay/relay_stat.h"

typedef struct _SoupSession SoupSession;

namespace hallcast::engine {

// libsoup's objects and GIO's are plain GObjects, not GstObjects.
struct GObjectUnref {
  void operator()(gpointer p) const { g_object_unref(p); }
};
template <typename T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

class StatPoller {
 public:
  // `read` gets each reading: the statistics, or nullopt and why not.
  using Reading = std::function<void(std::optional<RelayStat> stat, const std::string& error)>;

  // Failures thrown by `read` go to `failures` (may be null), charged to "engine".
  StatPoller(EngineThread& thread, FailureSink* failures, std::string url, Reading read);
  ~StatPoller();
  StatPoller(const StatPoller&) = delete;
  StatPoller& operator=(const StatPoller&) = delete;

  static constexpr unsigned kIntervalMs = 1000;

 private:
  struct Request;
  void poll();
  static void on_answer(GObject* session, GAsyncResult* result, gpointer data);
  void answered(GBytes* body, unsigned status, const std::string& failure);

  FailureSink* failures_;
  std::string url_;
  Reading read_;
  GObjectPtr<SoupSession> session_;
  GObjectPtr<GCancellable> cancellable_;
  bool in_flight_ = false;
  // A request outlives the poller when cancelled: its answer checks this first.
  std::shared_ptr<StatPoller*> self_;
  SourcePtr timer_;
};

}  // namespace hallcast::engine
