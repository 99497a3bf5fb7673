#include "engine/engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <future>
#include <map>
#include <optional>

#include "engine/engine_impl.h"
#include "engine/gst/contain.h"
#include "engine/gst/gst_build.h"

namespace hallcast::engine {

namespace {

// How often the state's counters (uptime, frames, switch latency, loudness, every
// destination's bytes and bitrate) are brought up to date.
constexpr unsigned kStateIntervalMs = 500;

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) {
    text += (text.empty() ? "" : ", ") + item;
  }
  return text;
}

std::string source_name(GstMessage* message) {
  GstObject* src = GST_MESSAGE_SRC(message);
  return src != nullptr && GST_OBJECT_NAME(src) != nullptr ? GST_OBJECT_NAME(src) : "the programme";
}

}  // namespace

Engine::Impl::Impl(config::Config c, EngineOptions o, const common::Redactor& r)
    : config(std::move(c)),
      options(std::move(o)),
      redactor(r),
      templates(options.pipelines_dir),
      meters(config),
      state(make_state(config, options)),
      health(redactor),
      overlays(state.overlays, overlay_hooks()),
      cues(
          thread, state.schedule,
          [this](const show::Command& command) { return execute(command, Clock::now()); },
          cue_changed()),
      inputs(thread, redactor, health,
             [this](const std::string& id, show::Health now) { on_source_health(id, now); }),
      thread(&health) {
  gst_init(nullptr, nullptr);
  published = std::make_shared<const show::Snapshot>(state);
  health.attach(thread, [this](const show::PartHealth& part) { on_health(part); });
}

void Engine::Impl::publish() {
  auto next = std::make_shared<const show::Snapshot>(state);
  std::lock_guard lock(published_mutex);
  published = std::move(next);
}

void Engine::Impl::emit(const show::Event& event) {
  for (const auto& listener : listeners) {
    contain(&health, part::kEngine, "listener", [&] { listener(event); });
  }
}

void Engine::Impl::on_health(const show::PartHealth& part) {
  auto it = std::find_if(state.health.begin(), state.health.end(),
                         [&](const auto& h) { return h.part == part.part; });
  if (it == state.health.end()) {
    state.health.push_back(part);
  } else if (*it == part) {
    return;
  } else {
    *it = part;
  }
  publish();
  emit(show::HealthChanged{part});
}

void Engine::Impl::on_output_change(const show::OutputStatus& reported) {
  auto* current = state.find_output(reported.id);
  show::OutputStatus status = reported;
  set_ready(status);
  if (current == nullptr || *current == status) {
    return;
  }
  if (current->state != status.state) {
    spdlog::info("output {}: {} -> {}", status.id, show::to_string(current->state),
                 show::to_string(status.state));
  }
  show::OutputStatus counters_only = *current;
  counters_only.bytes = status.bytes;
  counters_only.bitrate_kbps = status.bitrate_kbps;
  counters_only.uptime_s = status.uptime_s;
  const bool only_counters = counters_only == status;
  *current = status;
  publish();
  const auto now = std::chrono::steady_clock::now();
  auto& last = last_counter_event[status.id];
  if (only_counters && now - last < kCounterEventInterval) {
    return;
  }
  last = now;
  emit(show::OutputChanged{status});
}

void Engine::Impl::make_outputs() {
  outputs.clear();
  relay.reset();
  auto on_change = [this](const show::OutputStatus& s) { on_output_change(s); };
  OutputContext context{templates,    *programme,   redactor, thread,
                        config.video, config.audio, on_change};
  if (config.relay) {
    relay = std::make_unique<RelayHub>(config, context, &health);
  }
  for (std::size_t i = 0; i < config.outputs.size(); ++i) {
    if (relay && config.outputs[i].type == config::OutputType::rtmp) {
      outputs.push_back(relay->make_output(i, on_change));
    } else {
      outputs.push_back(std::make_unique<OutputUnit>(config.outputs[i], i,
                                                     config.outputs[i].key.reveal(), context));
    }
    // Idle since now: the state says so before the destination's first change.
    for (auto& entry : state.outputs) {
      if (entry.id == config.outputs[i].id) {
        entry.since_ms = outputs.back()->status().since_ms;
      }
    }
  }
}

std::vector<config::Problem> Engine::Impl::missing_devices() const {
  std::vector<config::Problem> problems;
  for (std::size_t i = 0; i < config.sources.size(); ++i) {
    const auto* media = std::get_if<config::MediaUri>(&config.sources[i].uri);
    std::error_code ec;
    if (media != nullptr && media->scheme == "v4l2" &&
        !std::filesystem::exists(media->location, ec)) {
      problems.push_back({"sources[" + std::to_string(i) + "].uri",
                          "no capture device " + media->location + " on this machine"});
    }
  }
  return problems;
}

std::vector<config::Problem> Engine::Impl::check() {
  programme = std::make_unique<Programme>(config, templates, health);
  auto problems = programme->build();
  for (auto& problem : missing_devices()) {
    problems.push_back(std::move(problem));
  }
  if (problems.empty()) {
    make_outputs();
    for (auto& output : outputs) {
      try {
        output->build();
      } catch (const BuildError& e) {
        problems.push_back(e.problem());
      }
    }
  }
  outputs.clear();
  relay.reset();
  programme.reset();
  return scrubbed(std::move(problems));
}

// A pipeline that does not build is reported with its description, which holds the
// source URIs: an IP camera's password must not go with it.
std::vector<config::Problem> Engine::Impl::scrubbed(std::vector<config::Problem> problems) const {
  for (auto& problem : problems) {
    problem.message = redactor.scrub(problem.message);
  }
  return problems;
}

void Engine::Impl::start(Destinations destinations) {
  programme = std::make_unique<Programme>(
      config, templates, health,
      [this](const std::string& feed, Multiview::Jpeg jpeg) {
        on_thumbnail(feed, std::move(jpeg));
      },
      options.test_hooks);
  programme->multiview().set_active(multiview_active);
  // The optional parts switch a failing piece off themselves; here is how each is
  // started again (health.h).
  health.on_restart(part::kMultiview,
                    [this](const std::string& feed) { programme->multiview().restart(feed); });
  health.on_restart(part::kCaptions, [this](const std::string& unit) { deck->restart(unit); });
  for (const auto name : {part::kMeters, part::kAudio}) {
    health.on_restart(
        name, [this, name](const std::string& unit) { programme->audio().restart(name, unit); });
  }
  if (auto problems = programme->build(); !problems.empty()) {
    health.clear_restarts();
    programme.reset();
    throw StartupError(scrubbed(std::move(problems)));
  }
  open_overlays();
  // Faders set before the show went on the air hold from its first sample.
  for (const auto& channel : state.audio) {
    programme->audio().set_channel(channel.channel, channel.gain_db, channel.muted);
  }
  programme_watch =
      watch_bus(programme->pipeline(), thread.context(), &Impl::on_programme_bus, this);
  if (gst_element_set_state(programme->pipeline(), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    programme_watch.reset();
    health.clear_restarts();
    close_show();
    programme.reset();
    throw StartupError(
        std::vector<config::Problem>{{"$", "the programme pipeline would not start"}});
  }
  running = true;
  start_listening();
  spdlog::info("programme: on the air ({}x{}@{}, tracks: {})", config.video.width,
               config.video.height, config.video.fps, join(programme->languages()));

  make_outputs();
  for (auto& output : outputs) {
    if (destinations == Destinations::enabled && output->config().enabled) {
      output->start();
    }
  }
  started_at = std::chrono::steady_clock::now();
  start_hall();
  go_live();
  timer = thread.add_timer(kStateIntervalMs, [this] {
    for (auto& output : outputs) {
      output->tick();
    }
    if (relay) {
      relay->tick();
    }
    state.programme.uptime_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
    state.programme.frames_encoded = programme->video_tap().buffers();
    state.programme.frames_dropped = programme->video_tap().missing();
    state.programme.behind_ms = programme->video_tap().behind() / GST_MSECOND;
    state.programme.switch_latency = programme->switch_latency().stats();
    state.programme.switch_latency_mixer = programme->switch_latency_mixer().stats();
    contain(&health, part::kMeters, "loudness",
            [this] { state.tracks = meters.loudness(programme->audio()); });
    publish();
    if (heartbeat) {
      heartbeat(state.programme.frames_encoded);
    }
  });
  meter_timer = thread.add_timer(static_cast<unsigned>(kMeterInterval.count()), [this] {
    const bool following = hall_follows();
    if (programme && (!listeners.empty() || following)) {
      std::optional<show::Meters> reading;
      contain(&health, part::kMeters, "readings",
              [&] { reading = meters.read(programme->audio()); });
      if (reading) {
        if (following) {
          hall_levels(reading->inputs);
        }
        emit(*reading);
      }
    }
  });
}

void Engine::Impl::stop(std::chrono::milliseconds budget) {
  if (!running) {
    return;
  }
  running = false;
  const auto deadline = std::chrono::steady_clock::now() + budget;
  timer.reset();
  meter_timer.reset();
  cues.stop();
  // Network destinations first and at once; then the recordings, which get the rest
  // of the budget to write their end.
  for (auto& output : outputs) {
    if (output->config().type != config::OutputType::record) {
      output->stop();
    }
  }
  for (auto& output : outputs) {
    if (output->config().type == config::OutputType::record) {
      output->finish(deadline);
    }
  }
  outputs.clear();
  relay.reset();
  close_show();
  hall.reset();
  listen.reset();
  programme_watch.reset();
  health.clear_restarts();
  programme.reset();
  spdlog::info("programme: off the air");
}

void Engine::Impl::set_multiview_active(bool active) {
  if (multiview_active != active) {
    spdlog::info("multiview: {}", active ? "on" : "off");
  }
  multiview_active = active;
  if (programme) {
    programme->multiview().set_active(active);
  }
}

void Engine::Impl::on_thumbnail(const std::string& feed, Multiview::Jpeg jpeg) {
  thread.post([this, feed, jpeg = std::move(jpeg)] {
    if (!programme || !multiview_active) {
      return;
    }
    std::string name = feed;
    if (feed == "bus0" || feed == "bus1") {
      if (feed.back() - '0' == programme->mixer().on_air()) {
        return;  // the picture on air is the programme's, not the preview's
      }
      name = "preview";
    }
    emit(show::Thumbnail{std::move(name), jpeg});
  });
}

gboolean Engine::Impl::on_programme_bus(GstBus*, GstMessage* message, gpointer data) {
  auto* self = static_cast<Impl*>(data);
  contain(&self->health, part::kEngine, "programme messages",
          [&] { self->handle_programme_message(message); });
  return G_SOURCE_CONTINUE;
}

void Engine::Impl::on_programme_error(GstMessage* message) {
  const auto said = message_text(message, "?");
  GstObject* src = GST_MESSAGE_SRC(message);
  const std::string from = source_name(message);
  if (!said.debug.empty()) {
    spdlog::debug("programme: {}", redactor.scrub(said.debug));
  }
  if (const std::string feed = src != nullptr ? programme->multiview().feed_of(src) : "";
      !feed.empty()) {
    programme->multiview().fail(feed, said.text + " (from " + from + ")");
    return;
  }
  const std::string text = redactor.scrub(said.text);
  spdlog::error("programme: {} (from {})", text, from);
  if (fatal) {
    fatal(text);
  }
}

void Engine::Impl::handle_programme_message(GstMessage* message) {
  switch (GST_MESSAGE_TYPE(message)) {
    case GST_MESSAGE_ERROR:
      on_programme_error(message);
      break;
    case GST_MESSAGE_WARNING:
      spdlog::warn("programme: {} (from {})", redactor.scrub(message_text(message, "?").text),
                   source_name(message));
      break;
    case GST_MESSAGE_LATENCY:
      gst_bin_recalculate_latency(GST_BIN(programme->pipeline()));
      break;
    case GST_MESSAGE_ELEMENT:
      contain(&health, part::kMeters, "levels", [&] { meters.take(message); });
      break;
    default:
      break;
  }
}

Engine::Engine(config::Config config, EngineOptions options, const common::Redactor& redactor)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(options), redactor)) {}

Engine::~Engine() {
  impl_->thread.call([this] {
    impl_->stop(std::chrono::milliseconds(0));
    impl_->outputs.clear();
    impl_->relay.reset();
    impl_->close_show();
    impl_->programme.reset();
  });
}

std::vector<config::Problem> Engine::check() {
  return impl_->thread.call([this] { return impl_->check(); });
}

void Engine::start(Destinations destinations) {
  impl_->thread.call([this, destinations] { impl_->start(destinations); });
}

void Engine::restore_cues(std::vector<show::CueLiveState> done) {
  impl_->thread.call([this, &done] { impl_->restore_cues(done); });
}

void Engine::stop(std::chrono::milliseconds budget) {
  impl_->thread.call([this, budget] { impl_->stop(budget); });
}

std::shared_ptr<const show::Snapshot> Engine::snapshot() const {
  std::lock_guard lock(impl_->published_mutex);
  return impl_->published;
}

show::Reply Engine::run(show::Command command) {
  std::promise<show::Reply> promise;
  auto reply = promise.get_future();
  submit(std::move(command), [&promise](show::Reply r) { promise.set_value(std::move(r)); });
  return reply.get();
}

void Engine::submit(show::Command command, std::function<void(show::Reply)> done) {
  // Switch latency counts from here: the command has reached the engine.
  const auto received = std::chrono::steady_clock::now();
  impl_->thread.post([this, received, command = std::move(command), done = std::move(done)] {
    show::Reply reply;
    try {
      reply = impl_->execute(command, received);
    } catch (const std::exception& e) {
      spdlog::error("command failed: {}", impl_->redactor.scrub(e.what()));
      reply = show::Reply::failure(show::ErrorCode::internal, "internal error");
    }
    if (done) {
      done(std::move(reply));
    }
  });
}

void Engine::set_multiview_active(bool active) {
  impl_->thread.post([this, active] { impl_->set_multiview_active(active); });
}

void Engine::set_listening(const std::string& tap, bool on) {
  impl_->thread.post([this, tap, on] { impl_->set_listening(tap, on); });
}

void Engine::add_listener(Listener listener) {
  impl_->listeners.push_back(std::move(listener));
}

void Engine::on_fatal(std::function<void(const std::string&)> handler) {
  impl_->fatal = std::move(handler);
}

void Engine::on_heartbeat(std::function<void(std::uint64_t)> beat) {
  impl_->heartbeat = std::move(beat);
}

}  // namespace hallcast::engine
