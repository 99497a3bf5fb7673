#include "engine/engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <future>
#include <map>
#include <type_traits>

#include "engine/audio/meter_board.h"
#include "engine/engine_thread.h"
#include "engine/gst/gst_build.h"
#include "engine/gst/pipeline_templates.h"
#include "engine/inputs/live_input.h"
#include "engine/outputs/output_unit.h"
#include "engine/programme.h"

namespace hallcast::engine {

// Everything below is touched on the engine thread only, except where a member says
// otherwise.
struct Engine::Impl {
  using Clock = std::chrono::steady_clock;

  Impl(config::Config c, EngineOptions o, const common::Redactor& r)
      : config(std::move(c)),
        options(std::move(o)),
        redactor(r),
        templates(options.pipelines_dir),
        meters(config) {
    gst_init(nullptr, nullptr);
    state = show::initial_snapshot(config);
    published = std::make_shared<const show::Snapshot>(state);
  }

  config::Config config;
  EngineOptions options;
  const common::Redactor& redactor;
  PipelineTemplates templates;
  MeterBoard meters;
  std::vector<Listener> listeners;  // fixed before start()
  std::function<void(const std::string&)> fatal;

  show::Snapshot state;
  mutable std::mutex published_mutex;  // guards `published`
  std::shared_ptr<const show::Snapshot> published;

  // The pipelines are reset on the engine thread (~Engine) before `thread`, declared
  // last and so destroyed first, stops; after that nothing runs that could touch
  // the members above.
  std::unique_ptr<Programme> programme;
  std::vector<std::unique_ptr<OutputUnit>> outputs;
  std::vector<std::unique_ptr<LiveInput>> inputs;
  SourcePtr programme_watch;
  SourcePtr timer;
  SourcePtr meter_timer;
  bool running = false;
  bool multiview_active = false;
  std::chrono::steady_clock::time_point started_at;
  std::map<std::string, std::chrono::steady_clock::time_point> last_counter_event;
  EngineThread thread;

  void publish() {
    auto next = std::make_shared<const show::Snapshot>(state);
    std::lock_guard lock(published_mutex);
    published = std::move(next);
  }

  void emit(const show::Event& event) {
    for (const auto& listener : listeners) {
      listener(event);
    }
  }

  // Counters (bytes, bitrate, uptime) move all the time: clients hear of them once a
  // second; anything else about an output goes out at once.
  static constexpr std::chrono::milliseconds kCounterEventInterval{1000};

  void on_output_change(const show::OutputStatus& status) {
    auto* current = state.find_output(status.id);
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

  void make_outputs() {
    outputs.clear();
    for (std::size_t i = 0; i < config.outputs.size(); ++i) {
      OutputContext context{templates,
                            *programme,
                            redactor,
                            thread,
                            config.video,
                            config.audio,
                            [this](const show::OutputStatus& s) { on_output_change(s); }};
      outputs.push_back(std::make_unique<OutputUnit>(config.outputs[i], i,
                                                     config.outputs[i].key.reveal(), context));
    }
  }

  // Capture devices named in the config that this machine does not have. Not a reason
  // to refuse to start (a camera may be plugged in later), but `check` says so.
  std::vector<config::Problem> missing_devices() const {
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

  void make_inputs() {
    inputs.clear();
    for (const auto& options : programme->inputs()) {
      ElementPtr src = adopt(
          gst_bin_get_by_name(GST_BIN(programme->pipeline()), ("input-" + options.id).c_str()));
      const std::string id = options.id;
      inputs.push_back(std::make_unique<LiveInput>(
          options, src.get(), thread, redactor, [this, id](show::Health health) {
            auto it = std::find_if(state.sources.begin(), state.sources.end(),
                                   [&](const auto& source) { return source.id == id; });
            if (it == state.sources.end() || it->health == health) {
              return;
            }
            it->health = health;
            publish();
            emit(show::SourceChanged{*it});
          }));
    }
  }

  std::vector<config::Problem> check() {
    programme = std::make_unique<Programme>(config, templates);
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
    programme.reset();
    return scrubbed(std::move(problems));
  }

  // A pipeline that does not build is reported with its description, which holds the
  // source URIs: an IP camera's password must not go with it.
  std::vector<config::Problem> scrubbed(std::vector<config::Problem> problems) const {
    for (auto& problem : problems) {
      problem.message = redactor.scrub(problem.message);
    }
    return problems;
  }

  void start() {
    programme = std::make_unique<Programme>(config, templates,
                                            [this](const std::string& feed, Multiview::Jpeg jpeg) {
                                              on_thumbnail(feed, std::move(jpeg));
                                            });
    programme->multiview().set_active(multiview_active);
    if (auto problems = programme->build(); !problems.empty()) {
      programme.reset();
      throw StartupError(scrubbed(std::move(problems)));
    }
    // Faders set before the show went on the air hold from its first sample.
    for (const auto& channel : state.audio) {
      programme->set_channel(channel.channel, channel.gain_db, channel.muted);
    }
    programme_watch =
        watch_bus(programme->pipeline(), thread.context(), &Impl::on_programme_bus, this);
    if (gst_element_set_state(programme->pipeline(), GST_STATE_PLAYING) ==
        GST_STATE_CHANGE_FAILURE) {
      programme_watch.reset();
      programme.reset();
      throw StartupError(
          std::vector<config::Problem>{{"$", "the programme pipeline would not start"}});
    }
    running = true;
    spdlog::info("programme: on the air ({}x{}@{}, tracks: {})", config.video.width,
                 config.video.height, config.video.fps, join(programme->languages()));

    make_inputs();
    for (auto& input : inputs) {
      input->start();
    }
    make_outputs();
    for (auto& output : outputs) {
      if (output->config().enabled) {
        output->start();
      }
    }
    started_at = std::chrono::steady_clock::now();
    timer = thread.add_timer(500, [this] {
      for (auto& output : outputs) {
        output->tick();
      }
      state.programme.uptime_s =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
      state.programme.frames_encoded = programme->video_tap().buffers();
      state.programme.frames_dropped = programme->video_tap().missing();
      state.programme.switch_latency = programme->switch_latency().stats();
      state.programme.switch_latency_mixer = programme->switch_latency_mixer().stats();
      state.tracks = meters.loudness(programme->audio());
      publish();
    });
    // The meters: about ten times a second, to whoever listens.
    meter_timer = thread.add_timer(100, [this] {
      if (programme && !listeners.empty()) {
        emit(meters.read(programme->audio()));
      }
    });
  }

  void stop(std::chrono::milliseconds budget) {
    if (!running) {
      return;
    }
    running = false;
    const auto deadline = std::chrono::steady_clock::now() + budget;
    timer.reset();
    meter_timer.reset();
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
    inputs.clear();
    programme_watch.reset();
    programme.reset();
    spdlog::info("programme: off the air");
  }

  // --- commands -------------------------------------------------------------------

  const config::Scene* find_scene(std::string_view id) const {
    for (const auto& scene : config.scenes) {
      if (scene.id == id)
        return &scene;
    }
    return nullptr;
  }

  OutputUnit* find_output(std::string_view id) const {
    for (const auto& output : outputs) {
      if (output->config().id == id)
        return output.get();
    }
    return nullptr;
  }

  static show::Reply no_scene(std::string_view id) {
    return show::Reply::failure(show::ErrorCode::unknown_scene,
                                "no scene \"" + std::string(id) + "\"");
  }

  // The state says what the operator asked for; the mixer makes it so at the next
  // frame boundary.
  void set_program(const std::string& id) {
    if (state.program != id) {
      spdlog::info("programme: scene {}", id);
      state.program = id;
      publish();
      emit(show::ProgramChanged{id});
    }
  }

  void set_preview(const std::string& id) {
    if (state.preview != id) {
      state.preview = id;
      publish();
      emit(show::PreviewChanged{id});
    }
  }

  show::Reply take(const show::TransitionTake& c, Clock::time_point received) {
    if (find_scene(state.preview) == nullptr) {
      return no_scene(state.preview);
    }
    const auto fade = c.type == show::TransitionType::fade
                          ? std::chrono::milliseconds(std::max(0, c.duration_ms))
                          : std::chrono::milliseconds(0);
    if (programme) {
      programme->mixer().take(fade, received);
      update_preview_feed();
    }
    // The bus that was on air keeps its scene: it is the preview now.
    const std::string previous = state.program;
    set_program(state.preview);
    set_preview(previous);
    return show::Reply::success();
  }

  show::Reply set_overlay(const std::string& id, bool visible) {
    auto it = std::find_if(state.overlays.begin(), state.overlays.end(),
                           [&](const auto& o) { return o.id == id; });
    if (it == state.overlays.end()) {
      return show::Reply::failure(show::ErrorCode::unknown_overlay, "no overlay \"" + id + "\"");
    }
    if (programme) {
      programme->captions().set_visible(id, visible);
    }
    if (it->visible != visible) {
      it->visible = visible;
      spdlog::info("overlay {}: {}", id, visible ? "shown" : "hidden");
      publish();
      emit(show::OverlayChanged{*it});
    }
    return show::Reply::success();
  }

  // Only the bus off air feeds the preview thumbnail.
  void update_preview_feed() {
    const int on_air = programme->mixer().on_air();
    programme->multiview().set_feed_wanted("bus" + std::to_string(on_air), false);
    programme->multiview().set_feed_wanted("bus" + std::to_string(1 - on_air), true);
  }

  show::Reply execute(const show::Command& command, Clock::time_point received) {
    using show::ErrorCode;
    using show::Reply;
    return std::visit(
        [&](const auto& c) -> Reply {
          using T = std::decay_t<decltype(c)>;
          if constexpr (std::is_same_v<T, show::StateGet>) {
            return Reply::success();
          } else if constexpr (std::is_same_v<T, show::ScenePreview>) {
            const auto* scene = find_scene(c.scene);
            if (scene == nullptr) {
              return no_scene(c.scene);
            }
            if (programme) {
              programme->mixer().preview(*scene);
            }
            set_preview(scene->id);
            return Reply::success();
          } else if constexpr (std::is_same_v<T, show::SceneCut>) {
            const auto* scene = find_scene(c.scene);
            if (scene == nullptr) {
              return no_scene(c.scene);
            }
            if (programme) {
              programme->mixer().cut_to(*scene, received);
            }
            set_program(scene->id);
            return Reply::success();
          } else if constexpr (std::is_same_v<T, show::TransitionTake>) {
            return take(c, received);
          } else if constexpr (std::is_same_v<T, show::OverlayShow>) {
            return set_overlay(c.overlay, true);
          } else if constexpr (std::is_same_v<T, show::OverlayHide>) {
            return set_overlay(c.overlay, false);
          } else if constexpr (std::is_same_v<T, show::AudioSet>) {
            return set_audio(c);
          } else if constexpr (std::is_same_v<T, show::OutputStart> ||
                               std::is_same_v<T, show::OutputStop>) {
            OutputUnit* output = find_output(c.output);
            if (output == nullptr) {
              return Reply::failure(ErrorCode::unknown_output, "no output \"" + c.output + "\"");
            }
            if constexpr (std::is_same_v<T, show::OutputStart>) {
              output->start();
              if (!output->unstartable_reason().empty()) {
                return Reply::failure(ErrorCode::unavailable, output->unstartable_reason());
              }
            } else {
              output->stop();
            }
            return Reply::success();
          } else if constexpr (std::is_same_v<T, show::OutputSetLanguage>) {
            OutputUnit* output = find_output(c.output);
            if (output == nullptr) {
              return Reply::failure(ErrorCode::unknown_output, "no output \"" + c.output + "\"");
            }
            const auto& languages = state.languages;
            if (std::find(languages.begin(), languages.end(), c.language) == languages.end()) {
              return Reply::failure(ErrorCode::unknown_language,
                                    "no language track \"" + c.language + "\"");
            }
            if (!output->set_language(c.language)) {
              return Reply::failure(ErrorCode::not_supported,
                                    std::string(config::to_string(output->config().type)) +
                                        " outputs carry every language track");
            }
            return Reply::success();
          }
        },
        command);
  }

  show::Reply set_audio(const show::AudioSet& c) {
    auto it = std::find_if(state.audio.begin(), state.audio.end(),
                           [&](const auto& a) { return a.channel == c.channel; });
    if (it == state.audio.end()) {
      return show::Reply::failure(show::ErrorCode::unknown_channel,
                                  "no audio channel \"" + c.channel + "\"");
    }
    show::AudioChannel next = *it;
    if (c.gain_db)
      next.gain_db = *c.gain_db;
    if (c.muted)
      next.muted = *c.muted;
    if (programme) {
      programme->set_channel(next.channel, next.gain_db, next.muted);
    }
    if (!(next == *it)) {
      *it = next;
      publish();
      emit(show::AudioChanged{next});
    }
    return show::Reply::success();
  }

  void set_multiview_active(bool active) {
    if (multiview_active != active) {
      spdlog::info("multiview: {}", active ? "on" : "off");
    }
    multiview_active = active;
    if (programme) {
      programme->multiview().set_active(active);
    }
  }

  // From a streaming thread: a multiview picture, handed to the listeners here.
  void on_thumbnail(const std::string& feed, Multiview::Jpeg jpeg) {
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

  static std::string join(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) {
      text += (text.empty() ? "" : ", ") + item;
    }
    return text;
  }

  static gboolean on_programme_bus(GstBus*, GstMessage* message, gpointer data) {
    static_cast<Impl*>(data)->handle_programme_message(message);
    return G_SOURCE_CONTINUE;
  }

  void handle_programme_message(GstMessage* message) {
    switch (GST_MESSAGE_TYPE(message)) {
      case GST_MESSAGE_ERROR: {
        const auto said = message_text(message, "?");
        const std::string text = redactor.scrub(said.text);
        spdlog::error("programme: {} (from {})", text, GST_OBJECT_NAME(GST_MESSAGE_SRC(message)));
        if (!said.debug.empty()) {
          spdlog::debug("programme: {}", redactor.scrub(said.debug));
        }
        if (fatal) {
          fatal(text);
        }
        break;
      }
      case GST_MESSAGE_WARNING:
        spdlog::warn("programme: {} (from {})", redactor.scrub(message_text(message, "?").text),
                     GST_OBJECT_NAME(GST_MESSAGE_SRC(message)));
        break;
      case GST_MESSAGE_LATENCY:
        gst_bin_recalculate_latency(GST_BIN(programme->pipeline()));
        break;
      case GST_MESSAGE_ELEMENT:
        meters.take(message);
        break;
      default:
        break;
    }
  }
};

Engine::Engine(config::Config config, EngineOptions options, const common::Redactor& redactor)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(options), redactor)) {}

Engine::~Engine() {
  impl_->thread.call([this] {
    impl_->stop(std::chrono::milliseconds(0));
    impl_->outputs.clear();
    impl_->inputs.clear();
    impl_->programme.reset();
  });
}

std::vector<config::Problem> Engine::check() {
  return impl_->thread.call([this] { return impl_->check(); });
}

void Engine::start() {
  impl_->thread.call([this] { impl_->start(); });
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

void Engine::add_listener(Listener listener) {
  impl_->listeners.push_back(std::move(listener));
}

void Engine::on_fatal(std::function<void(const std::string&)> handler) {
  impl_->fatal = std::move(handler);
}

}  // namespace hallcast::engine
