#include "engine/output_unit.h"

#include <spdlog/spdlog.h>

#include <ctime>
#include <filesystem>

#include "engine/build_error.h"
#include "engine/gst_build.h"
#include "engine/rtmp_target.h"

namespace hallcast::engine {

namespace {

// How much a destination may fall behind before it counts as stalled.
constexpr std::chrono::milliseconds kMaxQueue{4000};

std::string template_name(config::OutputType type) {
  return "output-" + std::string(config::to_string(type));
}

std::string file_extension(GstElement* mux) {
  const std::string factory = GST_OBJECT_NAME(gst_element_get_factory(mux))
                                  ? GST_OBJECT_NAME(gst_element_get_factory(mux))
                                  : "";
  if (factory == "matroskamux")
    return "mkv";
  if (factory == "mpegtsmux")
    return "ts";
  if (factory == "mp4mux" || factory == "qtmux")
    return "mp4";
  if (factory == "flvmux")
    return "flv";
  return "bin";
}

std::string timestamp_now() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%d-%H%M%S", &local);
  return text;
}

bool has_property(GstElement* element, const char* name) {
  return g_object_class_find_property(G_OBJECT_GET_CLASS(element), name) != nullptr;
}

// Language names for track titles; the code itself is what players rely on.
std::string track_title(const std::string& language) {
  if (language == "floor")
    return "Floor";
  if (language == "en")
    return "English";
  if (language == "ru")
    return "Русский";
  return language;
}

}  // namespace

OutputUnit::OutputUnit(const config::Output& config, std::size_t index, std::string key,
                       OutputContext context)
    : config_(config),
      path_("outputs[" + std::to_string(index) + "]"),
      key_(std::move(key)),
      context_(std::move(context)) {
  status_.id = config.id;
  status_.name = config.name;
  status_.type = config.type;
  status_.language = config.language;
  status_.enabled = config.enabled;
}

OutputUnit::~OutputUnit() {
  detach_taps();
  teardown();
}

std::string OutputUnit::unstartable_reason() const {
  const bool needs_key = config_.type == config::OutputType::rtmp;
  if (needs_key && key_.empty() && !config_.key_env.empty()) {
    return "stream key variable " + config_.key_env + " is not set";
  }
  return {};
}

void OutputUnit::build() {
  build_pipeline();
  teardown();
}

void OutputUnit::build_pipeline() {
  const auto name = template_name(config_.type);
  std::string text;
  try {
    text = context_.templates.render(name, {{"id", config_.id}});
  } catch (const TemplateError& e) {
    throw BuildError(path_ + ".type", e.what());
  }
  pipeline_ = PipelineOwner(parse_pipeline(text, "output-" + config_.id, path_ + ".type"));
  ElementPtr mux = child_by_name(pipeline_.get(), "mux", path_ + ".type");
  sink_ = child_by_name(pipeline_.get(), "sink", path_ + ".type");

  taps_.clear();
  taps_.push_back(&context_.programme.video_tap());
  std::vector<std::string> languages;
  if (config_.type == config::OutputType::record) {
    languages = context_.programme.languages();
  } else {
    languages = {config_.language};
  }
  std::vector<GstElement*> appsrcs;
  for (std::size_t slot = 0; slot <= languages.size(); ++slot) {
    const bool video = slot == 0;
    const std::string language = video ? "" : languages[slot - 1];
    StreamTap* tap =
        video ? &context_.programme.video_tap() : context_.programme.audio_tap(language);
    if (tap == nullptr) {
      throw BuildError(path_ + ".language", "no programme track \"" + language + "\"");
    }
    if (!video) {
      taps_.push_back(tap);
    }
    auto appsrc = make_element("appsrc", video ? "feed-video" : "feed-" + language, path_);
    // No caps until the first buffer brings the encoder's exact ones (with codec data).
    g_object_set(appsrc.get(), "format", GST_FORMAT_TIME, "is-live", FALSE, "block", FALSE,
                 "max-bytes", guint64{0}, "max-buffers", guint64{0}, "max-time", guint64{0},
                 nullptr);
    CapsPtr caps = video ? FeedSession::video_link_caps() : FeedSession::audio_link_caps();
    GstElement* a = appsrc.get();
    gst_bin_add(pipeline_.bin(), a);
    GstElement* last = a;
    if (!video) {
      // The language travels with the track wherever the container can carry it.
      auto tags = make_element("taginject", "tags-" + language, path_);
      // The floor is the hall in whatever languages are spoken: ISO 639-2 "mul".
      const std::string code = language == "floor" ? "mul" : language;
      const std::string tag_text =
          "language-code=" + code + ",title=\"" + track_title(language) + "\"";
      g_object_set(tags.get(), "tags", tag_text.c_str(), nullptr);
      last = tags.get();
      gst_bin_add(pipeline_.bin(), last);
      link_or_throw(a, last, path_ + ".type");
    }
    link_to_mux(last, mux.get(), caps.get(), path_ + ".type");
    appsrcs.push_back(a);
  }

  if (config_.type == config::OutputType::rtmp) {
    auto target = parse_rtmp_target(config_.url, key_);
    if (!target) {
      throw BuildError(path_ + ".url", "not a usable rtmp:// or rtmps:// URL");
    }
    if (has_property(sink_.get(), "stream")) {
      set_property_from_string(sink_.get(), "scheme", target->scheme.c_str());
      g_object_set(sink_.get(), "host", target->host.c_str(), "port", target->port, "application",
                   target->application.c_str(), "stream", target->stream.c_str(), nullptr);
    } else if (has_property(sink_.get(), "location")) {
      const std::string location = target->public_url() + "/" + target->stream;
      g_object_set(sink_.get(), "location", location.c_str(), nullptr);
    }
  } else if (config_.type == config::OutputType::record) {
    if (has_property(sink_.get(), "location")) {
      const auto file = std::filesystem::path(config_.path) /
                        (config_.id + "-" + timestamp_now() + "." + file_extension(mux.get()));
      g_object_set(sink_.get(), "location", file.c_str(), nullptr);
    }
  }

  // What the sink is handed, for sinks that do not count their own bytes.
  PadPtr sink_pad = adopt(gst_element_get_static_pad(sink_.get(), "sink"));
  if (sink_pad) {
    const gulong id = gst_pad_add_probe(
        sink_pad.get(), GST_PAD_PROBE_TYPE_BUFFER,
        [](GstPad*, GstPadProbeInfo* info, gpointer data) {
          static_cast<std::atomic<std::uint64_t>*>(data)->fetch_add(
              gst_buffer_get_size(GST_PAD_PROBE_INFO_BUFFER(info)), std::memory_order_relaxed);
          return GST_PAD_PROBE_OK;
        },
        &probe_bytes_, nullptr);
    byte_probe_ = PadProbe(sink_pad.get(), id);
  }

  // The stall report arrives on a streaming thread: hand it to the engine thread,
  // which ignores it if this pipeline has since been replaced.
  const std::uint64_t generation = ++generation_;
  std::weak_ptr<int> alive = alive_;
  session_ =
      std::make_unique<FeedSession>(std::move(appsrcs), kMaxQueue, [this, generation, alive] {
        context_.thread.post([this, generation, alive] {
          if (alive.lock() && generation_ == generation && pipeline_) {
            fail("destination stopped taking data");
          }
        });
      });
}

void OutputUnit::start() {
  if (pipeline_) {
    return;
  }
  status_.last_error.clear();
  if (auto reason = unstartable_reason(); !reason.empty()) {
    status_.last_error = reason;
    spdlog::warn("output {}: not started: {}", config_.id, reason);
    set_state(show::OutputState::idle);
    return;
  }
  if (config_.type == config::OutputType::record) {
    std::error_code ec;
    std::filesystem::create_directories(config_.path, ec);
    if (ec) {
      fail("cannot create folder " + config_.path + ": " + ec.message());
      return;
    }
  }
  try {
    build_pipeline();
  } catch (const BuildError& e) {
    fail(e.what());
    return;
  }
  bus_watch_ = watch_bus(pipeline_.get(), context_.thread.context(), &on_bus_message, this);

  if (gst_element_set_state(pipeline_.get(), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    fail("pipeline would not start");
    return;
  }
  attach_taps();
  probe_bytes_.store(0);
  last_bytes_ = 0;
  last_tick_ = std::chrono::steady_clock::now();
  status_.bytes = 0;
  status_.bitrate_kbps = 0;
  status_.uptime_s = 0;
  if (config_.type == config::OutputType::rtmp) {
    auto target = parse_rtmp_target(config_.url, key_);
    spdlog::info("output {}: connecting to {} (language {})", config_.id,
                 target ? target->public_url() : "?", config_.language);
  } else {
    std::string location;
    if (has_property(sink_.get(), "location")) {
      CharPtr text;
      gchar* raw = nullptr;
      g_object_get(sink_.get(), "location", &raw, nullptr);
      text.reset(raw);
      location = raw != nullptr ? raw : "";
    }
    spdlog::info("output {}: writing {}", config_.id, context_.redactor.scrub(location));
  }
  set_state(show::OutputState::connecting);
}

void OutputUnit::attach_taps() {
  for (std::size_t slot = 0; slot < taps_.size(); ++slot) {
    taps_[slot]->add(session_.get(), static_cast<int>(slot));
  }
}

void OutputUnit::detach_taps() {
  for (StreamTap* tap : taps_) {
    tap->remove(session_.get());
  }
}

void OutputUnit::teardown() {
  bus_watch_.reset();
  pipeline_.reset();
  byte_probe_.reset();
  sink_.reset();
  session_.reset();
  taps_.clear();
}

void OutputUnit::stop() {
  if (!pipeline_) {
    return;
  }
  detach_taps();
  teardown();
  status_.bitrate_kbps = 0;
  spdlog::info("output {}: stopped", config_.id);
  set_state(show::OutputState::idle);
}

void OutputUnit::finish(std::chrono::steady_clock::time_point deadline) {
  if (!pipeline_) {
    return;
  }
  detach_taps();
  session_->end_of_stream();
  BusPtr bus = adopt(gst_element_get_bus(pipeline_.get()));
  bool clean = false;
  for (;;) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::nanoseconds::zero()) {
      break;
    }
    const auto wait = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
    MessagePtr message(gst_bus_timed_pop_filtered(
        bus.get(), static_cast<GstClockTime>(wait),
        static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR)));
    if (!message) {
      break;
    }
    clean = GST_MESSAGE_TYPE(message.get()) == GST_MESSAGE_EOS;
    break;
  }
  teardown();
  status_.bitrate_kbps = 0;
  if (clean) {
    spdlog::info("output {}: finished", config_.id);
  } else {
    spdlog::warn("output {}: did not finish in time; closed as it was", config_.id);
  }
  set_state(show::OutputState::idle);
}

void OutputUnit::fail(const std::string& message) {
  const std::string text = context_.redactor.scrub(message);
  spdlog::error("output {}: {}", config_.id, text);
  detach_taps();
  status_.last_error = text;
  status_.bitrate_kbps = 0;
  set_state(show::OutputState::error);
  // Not from inside this pipeline's own bus handler: tear down on the next turn.
  std::weak_ptr<int> alive = alive_;
  context_.thread.post([this, alive] {
    if (alive.lock()) {
      teardown();
    }
  });
}

std::uint64_t OutputUnit::bytes_sent() const {
  // rtmp2sink counts what actually went out on the socket; other sinks what they took.
  if (sink_ && has_property(sink_.get(), "stats")) {
    GstStructure* raw = nullptr;
    g_object_get(sink_.get(), "stats", &raw, nullptr);
    StructurePtr stats(raw);
    guint64 out = 0;
    if (stats && gst_structure_get_uint64(stats.get(), "out-bytes-total", &out)) {
      return out;
    }
  }
  return probe_bytes_.load(std::memory_order_relaxed);
}

void OutputUnit::tick() {
  if (!pipeline_ || status_.state == show::OutputState::error) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  const std::uint64_t bytes = bytes_sent();
  const double dt = std::chrono::duration<double>(now - last_tick_).count();
  if (dt > 0.0) {
    status_.bitrate_kbps =
        static_cast<double>(bytes - std::min(bytes, last_bytes_)) * 8.0 / dt / 1000.0;
  }
  status_.bytes = bytes;
  last_bytes_ = bytes;
  last_tick_ = now;
  if (status_.state == show::OutputState::connecting && bytes > 0) {
    live_since_ = now;
    status_.state = show::OutputState::live;
  }
  if (status_.state == show::OutputState::live) {
    status_.uptime_s = std::chrono::duration<double>(now - live_since_).count();
  }
  publish();
}

void OutputUnit::set_state(show::OutputState state) {
  status_.state = state;
  if (state != show::OutputState::live) {
    status_.uptime_s = 0;
  }
  publish();
}

void OutputUnit::publish() {
  if (context_.on_change) {
    context_.on_change(status_);
  }
}

gboolean OutputUnit::on_bus_message(GstBus*, GstMessage* message, gpointer data) {
  static_cast<OutputUnit*>(data)->handle_message(message);
  return G_SOURCE_CONTINUE;
}

void OutputUnit::handle_message(GstMessage* message) {
  switch (GST_MESSAGE_TYPE(message)) {
    case GST_MESSAGE_ERROR: {
      GError* raw = nullptr;
      gchar* debug_raw = nullptr;
      gst_message_parse_error(message, &raw, &debug_raw);
      ErrorPtr error(raw);
      CharPtr debug(debug_raw);
      if (debug) {
        spdlog::debug("output {}: {}", config_.id, context_.redactor.scrub(debug.get()));
      }
      if (status_.state != show::OutputState::error) {
        fail(error && error->message ? error->message : "pipeline error");
      }
      break;
    }
    case GST_MESSAGE_WARNING: {
      GError* raw = nullptr;
      gst_message_parse_warning(message, &raw, nullptr);
      ErrorPtr error(raw);
      spdlog::warn("output {}: {}", config_.id,
                   context_.redactor.scrub(error && error->message ? error->message : "warning"));
      break;
    }
    default:
      break;
  }
}

}  // namespace hallcast::engine
