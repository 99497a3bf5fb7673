// The engine: the one owner of every pipeline (the programme and one per destination),
// driven from its own thread. Other threads talk to it through this class only: it
// takes calls, publishes immutable snapshots of the show state and announces every
// change to its listeners. It never sees JSON or a socket.
//
// A failure inside the show (a destination refused, a source lost, a thumbnail encoder
// that fails, a callback that throws) becomes a state and an event; only start-up
// problems throw, and only a failure of the programme's own path (its mixer, its
// encoders) ends the show, through `on_fatal`.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/redactor.h"
#include "config/config.h"
#include "engine/gst/build_error.h"
#include "engine/test_hooks.h"
#include "show/commands.h"
#include "show/events.h"
#include "show/schedule.h"
#include "show/state.h"

namespace hallcast::show {
struct CueLiveState;  // show/live_state.h
}  // namespace hallcast::show

namespace hallcast::engine {

struct EngineOptions {
  std::filesystem::path pipelines_dir;  // the pipeline templates (pipelines/)
  TestHooks test_hooks = {};            // empty but in tests (test_hooks.h)
  // The cue list, in the config's order. Cues due before the engine is made have
  // passed: they never run by themselves.
  std::vector<show::Cue> schedule = {};
};

class Engine {
 public:
  using Listener = std::function<void(const show::Event&)>;

  // `redactor` must know every secret (keys, token) and outlive the engine.
  Engine(config::Config config, EngineOptions options, const common::Redactor& redactor);
  ~Engine();  // stops at once if still running
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Build every pipeline it implies without going live; the problems found, each
  // naming its config value.
  std::vector<config::Problem> check();

  // Which destinations start with the show.
  enum class Destinations {
    enabled,  // those the config enables
    none,     // none: the caller starts them (a show restored from its saved state)
  };

  // Go on the air: the programme in its opening look, then the destinations
  // `destinations` names, then the cue list. Throws StartupError when the programme
  // cannot be built or started.
  void start(Destinations destinations = Destinations::enabled);

  // Cues done in an earlier run of this show (a restored state: show::plan_restore) stay
  // as they were and never run by themselves. Call before start(), so that none of them
  // runs in between.
  void restore_cues(std::vector<show::CueLiveState> done);

  // Leave the air within `budget`: destinations closed, recordings finalised.
  void stop(std::chrono::milliseconds budget);

  // Run `command` on the engine thread; `done` is called there with the reply. Never
  // blocks the caller. A command whose effect is not available answers not_supported.
  void submit(show::Command command, std::function<void(show::Reply)> done);
  // The same, waiting for the reply (a program or a test driving the engine in line).
  // Not from the engine thread.
  show::Reply run(show::Command command);

  // Produce multiview thumbnails (Thumbnail events) while `active`; nothing is spent
  // on them otherwise. From any thread.
  void set_multiview_active(bool active);

  // Listening: encode `tap` ("source:<id>" for an audio or interpretation source
  // before its fader, "track:<language>" for a track as broadcast) as ListenPacket
  // events while `on`; nothing runs for a tap nobody listens to. Unknown taps are
  // ignored (the caller checks them against the snapshot). From any thread.
  void set_listening(const std::string& tap, bool on);

  // The current state; cheap, from any thread.
  std::shared_ptr<const show::Snapshot> snapshot() const;

  // Listeners run on the engine thread, must be quick and must not call back into the
  // engine synchronously. Register them before start().
  void add_listener(Listener listener);

  // Called (on the engine thread) when the programme itself fails beyond repair.
  void on_fatal(std::function<void(const std::string&)> handler);

  // Liveness, for a supervisor: `beat` runs on the engine thread twice a second while
  // on the air, from the timer that publishes the counters, with the number of
  // programme frames encoded so far. A wedged engine thread stops the beats; a stuck
  // programme keeps the number still. Must be quick. Register before start().
  void on_heartbeat(std::function<void(std::uint64_t frames_encoded)> beat);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hallcast::engine
