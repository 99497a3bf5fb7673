// What is behind Engine: the state, the pipelines and the engine thread, shared by the
// engine's source files (engine.cpp: going on and off the air, the programme's bus,
// the state's counters; engine_commands.cpp: the operator's commands; engine_hall.cpp:
// the hall's cameras and the auto director; engine_show.cpp: the opening look, the
// overlays' pictures, the cue list, clips following the programme, armed
// destinations). Not for use outside src/engine.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/audio/listen_taps.h"
#include "engine/audio/meter_board.h"
#include "engine/cue_runner.h"
#include "engine/engine.h"
#include "engine/engine_thread.h"
#include "engine/gst/pipeline_templates.h"
#include "engine/health.h"
#include "engine/inputs/input_set.h"
#include "engine/outputs/output_unit.h"
#include "engine/programme.h"
#include "engine/ptz/hall_cameras.h"
#include "engine/relay/relay_hub.h"
#include "engine/video/overlay_deck.h"
#include "engine/video/overlays.h"
#include "show/live_state.h"

namespace hallcast::engine {

// Everything below is touched on the engine thread only, except where a member says
// otherwise.
struct Engine::Impl {
  using Clock = std::chrono::steady_clock;

  Impl(config::Config c, EngineOptions o, const common::Redactor& r);

  config::Config config;
  EngineOptions options;
  const common::Redactor& redactor;
  PipelineTemplates templates;
  MeterBoard meters;
  std::vector<Listener> listeners;  // fixed before start()
  std::function<void(const std::string&)> fatal;
  std::function<void(std::uint64_t)> heartbeat;  // fixed before start()

  show::Snapshot state;
  mutable std::mutex published_mutex;  // guards `published`
  std::shared_ptr<const show::Snapshot> published;

  // Every contained failure, and what became of its part. Before `thread`: work it
  // posted may still run while the thread stops.
  HealthBoard health;

  // The pipelines are reset on the engine thread (~Engine) before `thread`, declared
  // last and so destroyed first, stops; after that nothing runs that could touch
  // the members above.
  std::unique_ptr<Programme> programme;
  std::unique_ptr<ListenTaps> listen;  // with the programme, and gone before it
  // With config.relay: the uploads and the relay's statistics, behind the RTMP
  // outputs. After the programme (its uploads feed from it), before the outputs (they
  // use it).
  std::unique_ptr<RelayHub> relay;
  std::vector<std::unique_ptr<OutputDriver>> outputs;
  std::unique_ptr<HallCameras> hall;  // PTZ cameras, tally, auto director; while running
  std::unique_ptr<OverlayDeck> deck;  // the programme's captions' pictures
  SourcePtr programme_watch;
  SourcePtr timer;
  SourcePtr meter_timer;
  bool running = false;
  bool multiview_active = false;
  std::set<std::string> listening;  // the taps someone listens to, on the air or not
  // Destinations an operator or a cue started or stopped: no longer armed (a stopped one
  // is stopped, not waiting to go on the air).
  std::set<std::string> disarmed;
  std::chrono::steady_clock::time_point started_at;
  std::map<std::string, std::chrono::steady_clock::time_point> last_counter_event;
  // They keep references to `state`, `health` and `thread` (made after them, used only
  // from start() on).
  Overlays overlays;
  CueRunner cues;
  InputSet inputs;
  EngineThread thread;

  // --- state and events (engine.cpp) ----------------------------------------------
  void publish();
  // A listener that throws loses that one event; the others still get it.
  void emit(const show::Event& event);
  void on_health(const show::PartHealth& part);
  // Counters (bytes, bitrate, uptime) move all the time: clients hear of them once a
  // second; anything else about an output goes out at once.
  static constexpr std::chrono::milliseconds kCounterEventInterval{1000};
  void on_output_change(const show::OutputStatus& status);
  // From a streaming thread: a multiview picture, handed to the listeners here.
  void on_thumbnail(const std::string& feed, Multiview::Jpeg jpeg);

  // --- on and off the air (engine.cpp) --------------------------------------------
  std::vector<config::Problem> check();
  std::vector<config::Problem> scrubbed(std::vector<config::Problem> problems) const;
  void start(Destinations destinations);
  void stop(std::chrono::milliseconds budget);
  void make_outputs();
  // Capture devices named in the config that this machine does not have. Not a reason
  // to refuse to start (a camera may be plugged in later), but `check` says so.
  std::vector<config::Problem> missing_devices() const;
  void set_multiview_active(bool active);

  // --- listening (engine_listen.cpp) ----------------------------------------------
  // With the programme playing: its taps, and how a failed one is started again.
  void start_listening();
  void set_listening(const std::string& tap, bool on);
  void start_tap(const std::string& tap);  // throws BuildError

  // --- the programme's bus (engine.cpp) -------------------------------------------
  static gboolean on_programme_bus(GstBus*, GstMessage* message, gpointer data);
  void handle_programme_message(GstMessage* message);
  // An error from an optional branch is that branch's; any other ends the show.
  void on_programme_error(GstMessage* message);

  // --- commands (engine_commands.cpp) ---------------------------------------------
  show::Reply execute(const show::Command& command, Clock::time_point received);
  const config::Scene* find_scene(std::string_view id) const;
  OutputDriver* find_output(std::string_view id) const;
  static show::Reply no_scene(std::string_view id);
  // The state says what the operator asked for; the mixer makes it so at the next
  // frame boundary.
  void set_program(const std::string& id);
  void set_preview(const std::string& id);
  show::Reply take(const show::TransitionTake& c, Clock::time_point received);
  // Only the bus off air feeds the preview thumbnail.
  void update_preview_feed();
  show::Reply set_audio(const show::AudioSet& c);

  // --- the hall's cameras (engine_hall.cpp) ---------------------------------------
  // On the air: the PTZ links, the tallies, the preview's presets, the auto director.
  void start_hall();
  // Whether the meters' readings are wanted by the auto director.
  bool hall_follows() const;
  // A change of programme or preview, an operator's take or cut, the floor mics'
  // levels: each passed to the hall, whose failure is the `ptz` part's, never the
  // command's or the programme's.
  void hall_program(const std::string& id);
  void hall_preview(const std::string& id);
  void hall_manual_switch(Clock::time_point when);
  void hall_levels(const std::vector<show::Level>& levels);
  // ptz.recall, ptz.store, ptz.move and auto.set.
  show::Reply hall_execute(const show::Command& command, Clock::time_point received);

  // --- the show's day (engine_show.cpp) -------------------------------------------
  // The show as it opens: its opening look, and cues whose time has gone by passed.
  static show::Snapshot make_state(const config::Config& config, const EngineOptions& options);
  Overlays::Hooks overlay_hooks();
  CueRunner::Changed cue_changed();
  void on_source_health(const std::string& id, show::Health health);
  // Before the first frame: every caption drawn, the opening ones shown on it.
  void open_overlays();
  // On the air: countdowns tick, inputs run, clips follow the programme, destinations
  // not started are armed, cues run.
  void go_live();
  void close_show();  // no more cues, inputs or captions
  // Clips follow the scene on programme, reached by a fade of `fade` (0: a cut).
  void follow_programme(std::chrono::milliseconds fade);
  // What the panel shows as "ready": idle, able to go on the air now, and neither
  // started nor stopped since the show began (armed).
  void set_ready(show::OutputStatus& status) const;
  // Before an output.start or output.stop: the destination is no longer armed, and says
  // so at once even when its state does not change (a stop of an armed one).
  void disarm(const std::string& id);
  // Cues done in an earlier run of this show (its saved state) are done again, before
  // the cue list starts.
  void restore_cues(const std::vector<show::CueLiveState>& done);
};

}  // namespace hallcast::engine
