#include "engine/outputs/output_unit.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "engine/gst/build_error.h"
#include "engine/gst/gst_build.h"
#include "engine/outputs/hls_playlist.h"
#include "engine/outputs/rtmp_target.h"
#include "engine/outputs/srt_uri.h"
#include "engine/outputs/track_names.h"

namespace hallcast::engine {

namespace {

using namespace std::chrono_literals;

// How much a destination may fall behind before it counts as stalled.
constexpr std::chrono::milliseconds kMaxQueue{4000};
// A live destination that takes no data for this long has failed (a frozen server
// that still holds its socket open).
constexpr auto kStallTimeout = 5s;
// A connection not up after this long has failed (a host that swallows packets).
constexpr auto kConnectTimeout = 15s;
// A session that held this long was a success: the next failure retries quickly again.
constexpr auto kHealthySession = 30s;
constexpr std::chrono::milliseconds kFirstRetry{1000};
constexpr std::chrono::milliseconds kLongestRetry{30000};
// HLS: segments in the playlist, and on disk (a player still fetching one that just
// left the playlist finds it).
constexpr int kHlsPlaylistLength = 6;
constexpr int kHlsFilesKept = 12;

std::string template_name(config::OutputType type) {
  return "output-" + std::string(config::to_string(type));
}

std::string factory_name(GstElement* element) {
  GstElementFactory* factory = gst_element_get_factory(element);
  return factory != nullptr ? GST_OBJECT_NAME(factory) : "";
}

bool has_property(GstElement* element, const char* name) {
  return g_object_class_find_property(G_OBJECT_GET_CLASS(element), name) != nullptr;
}

std::string file_extension(GstElement* mux) {
  std::string factory = factory_name(mux);
  if (factory == "splitmuxsink") {
    gchar* raw = nullptr;
    g_object_get(mux, "muxer-factory", &raw, nullptr);
    CharPtr muxer(raw);
    factory = muxer ? muxer.get() : "mp4mux";
  }
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

void count_bytes_into(std::atomic<std::uint64_t>& counter, GstElement* element,
                      std::vector<PadProbe>& probes) {
  PadPtr pad = adopt(gst_element_get_static_pad(element, "src"));
  if (!pad) {
    return;
  }
  const gulong id = gst_pad_add_probe(
      pad.get(), GST_PAD_PROBE_TYPE_BUFFER,
      [](GstPad*, GstPadProbeInfo* info, gpointer data) {
        static_cast<std::atomic<std::uint64_t>*>(data)->fetch_add(
            gst_buffer_get_size(GST_PAD_PROBE_INFO_BUFFER(info)), std::memory_order_relaxed);
        return GST_PAD_PROBE_OK;
      },
      &counter, nullptr);
  probes.emplace_back(pad.get(), id);
}

}  // namespace

// On SRT's own thread; the pipeline (and so these signals) is gone before the session.
void OutputUnit::on_srt_caller_added(GstElement*, gint, gpointer /*address*/, gpointer self) {
  auto* unit = static_cast<OutputUnit*>(self);
  unit->srt_callers_.fetch_add(1);
  unit->session_->restart_at_next_keyframe();
}

void OutputUnit::on_srt_caller_removed(GstElement*, gint, gpointer /*address*/, gpointer self) {
  static_cast<OutputUnit*>(self)->srt_callers_.fetch_sub(1);
}

OutputUnit::OutputUnit(const config::Output& config, std::size_t index, std::string key,
                       OutputContext context)
    : config_(config),
      path_("outputs[" + std::to_string(index) + "]"),
      key_(std::move(key)),
      context_(std::move(context)),
      backoff_(
          kFirstRetry, kLongestRetry,
          static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) +
              index) {
  status_.id = config.id;
  status_.name = config.name;
  status_.type = config.type;
  status_.language = config.language;
  status_.enabled = config.enabled;
}

OutputUnit::~OutputUnit() {
  retry_timer_.reset();
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
  std::vector<std::string> languages;
  if (carries_every_language()) {
    languages = context_.programme.languages();
  } else {
    languages = {status_.language};
  }
  taps_.clear();
  byte_probes_.clear();
  taps_.push_back(&context_.programme.video_tap());
  for (const auto& language : languages) {
    StreamTap* tap = context_.programme.audio_tap(language);
    if (tap == nullptr) {
      throw BuildError(path_ + ".language", "no programme track \"" + language + "\"");
    }
    taps_.push_back(tap);
  }
  if (config_.type == config::OutputType::hls) {
    build_hls(languages);
  } else {
    build_muxed(languages);
  }

  // The stall report arrives on a streaming thread: hand it to the engine thread,
  // which ignores it if this pipeline has since been replaced.
  std::vector<GstElement*> appsrcs;
  appsrcs.push_back(child_by_name(pipeline_.get(), "feed-video", path_).get());
  for (const auto& language : languages) {
    appsrcs.push_back(child_by_name(pipeline_.get(), ("feed-" + language).c_str(), path_).get());
  }
  for (GstElement* appsrc : appsrcs) {
    count_bytes_into(probe_bytes_, appsrc, byte_probes_);
  }
  const std::uint64_t generation = ++generation_;
  std::weak_ptr<int> alive = alive_;
  session_ = std::make_unique<FeedSession>(
      std::move(appsrcs), kMaxQueue, [this, generation, alive](const std::string& why) {
        context_.thread.post([this, generation, alive, why] {
          if (alive.lock() && generation_ == generation && pipeline_ && attached_) {
            fail(why, true);
          }
        });
      });
  if (srt_listener_ && g_signal_lookup("caller-added", G_OBJECT_TYPE(sink_.get())) != 0) {
    g_signal_connect(sink_.get(), "caller-added", G_CALLBACK(on_srt_caller_added), this);
    g_signal_connect(sink_.get(), "caller-removed", G_CALLBACK(on_srt_caller_removed), this);
  }
}

GstElement* OutputUnit::add_feed(const std::string& language, GstElement* mux) {
  const bool video = language.empty();
  auto appsrc = make_element("appsrc", video ? "feed-video" : "feed-" + language, path_);
  // No caps until the first buffer brings the encoder's exact ones (with codec data).
  g_object_set(appsrc.get(), "format", GST_FORMAT_TIME, "is-live", FALSE, "block", FALSE,
               "max-bytes", guint64{0}, "max-buffers", guint64{0}, "max-time", guint64{0}, nullptr);
  CapsPtr caps = video ? FeedSession::video_link_caps() : FeedSession::audio_link_caps();
  GstElement* a = appsrc.get();
  gst_bin_add(pipeline_.bin(), a);
  GstElement* last = a;
  const bool transport_stream =
      config_.type == config::OutputType::srt || config_.type == config::OutputType::hls;
  if (video && transport_stream) {
    // MPEG-TS carries H.264 as a byte stream, with the parameter sets before every
    // keyframe so that a receiver joining mid-stream can decode.
    auto parse = make_element("h264parse", "parse-video", path_);
    g_object_set(parse.get(), "config-interval", -1, nullptr);
    caps.reset(gst_caps_from_string("video/x-h264,stream-format=byte-stream,alignment=au"));
    last = parse.get();
    gst_bin_add(pipeline_.bin(), last);
    link_or_throw(a, last, path_ + ".type");
  }
  if (!video) {
    // The language travels with the track wherever the container can carry it (FLV
    // cannot: an RTMP destination that switches language keeps its first tag unseen).
    auto tags = make_element("taginject", "tags-" + language, path_);
    const std::string tag_text = "language-code=" + track_language_code(language) + ",title=\"" +
                                 track_title(language) + "\"";
    g_object_set(tags.get(), "tags", tag_text.c_str(), nullptr);
    last = tags.get();
    gst_bin_add(pipeline_.bin(), last);
    link_or_throw(a, last, path_ + ".type");
  }
  link_to_mux(last, mux, caps.get(), path_ + ".type");
  return a;
}

void OutputUnit::build_muxed(const std::vector<std::string>& languages) {
  const auto segment_ns = static_cast<std::uint64_t>(
      std::llround(config::segment_seconds(config_, context_.video) * 1e9));
  std::string text;
  try {
    text =
        context_.templates.render(template_name(config_.type),
                                  {{"id", config_.id}, {"segment_ns", std::to_string(segment_ns)}});
  } catch (const TemplateError& e) {
    throw BuildError(path_ + ".type", e.what());
  }
  pipeline_ = PipelineOwner(parse_pipeline(text, "output-" + config_.id, path_ + ".type"));
  ElementPtr mux = child_by_name(pipeline_.get(), "mux", path_ + ".type");
  // A muxer that writes its own files (splitmuxsink) is its own sink.
  sink_ = adopt(gst_bin_get_by_name(GST_BIN(pipeline_.get()), "sink"));
  if (!sink_) {
    sink_ = adopt(GST_ELEMENT(gst_object_ref(mux.get())));
  }
  add_feed("", mux.get());
  for (const auto& language : languages) {
    add_feed(language, mux.get());
  }
  configure_sink(mux.get());
}

void OutputUnit::configure_sink(GstElement* mux) {
  GstElement* sink = sink_.get();
  srt_listener_ = false;
  if (config_.type == config::OutputType::rtmp) {
    auto target = parse_rtmp_target(config_.url, key_);
    if (!target) {
      throw BuildError(path_ + ".url", "not a usable rtmp:// or rtmps:// URL");
    }
    if (has_property(sink, "stream")) {
      set_property_from_string(sink, "scheme", target->scheme.c_str());
      g_object_set(sink, "host", target->host.c_str(), "port", target->port, "application",
                   target->application.c_str(), "stream", target->stream.c_str(), nullptr);
    } else if (has_property(sink, "location")) {
      const std::string location = target->public_url() + "/" + target->stream;
      g_object_set(sink, "location", location.c_str(), nullptr);
    }
  } else if (config_.type == config::OutputType::srt) {
    if (has_property(sink, "uri")) {
      const SrtUri srt = srt_uri(config_.url);
      g_object_set(sink, "uri", srt.uri.c_str(), nullptr);
      srt_listener_ = srt.listener;
    }
    // The key is the stream id an SRT receiver routes and authorises by.
    if (!key_.empty() && has_property(sink, "streamid")) {
      g_object_set(sink, "streamid", key_.c_str(), nullptr);
    }
  } else if (config_.type == config::OutputType::record && has_property(sink, "location")) {
    // splitmuxsink numbers its files itself.
    const std::string counter = factory_name(sink) == "splitmuxsink" ? "-%03d" : "";
    const auto file = std::filesystem::path(config_.path) /
                      (config_.id + "-" + timestamp_now() + counter + "." + file_extension(mux));
    g_object_set(sink, "location", file.c_str(), nullptr);
  }
}

// HLS: one hlssink2 per rendition (the video; each language's audio), all in one
// pipeline, and a master playlist tying them together.
void OutputUnit::build_hls(const std::vector<std::string>& languages) {
  const auto segment_s =
      static_cast<int>(std::lround(config::segment_seconds(config_, context_.video)));
  std::vector<std::string> renditions{"video"};
  for (const auto& language : languages) {
    renditions.push_back("audio-" + language);
  }
  std::string text;
  try {
    for (const auto& rendition : renditions) {
      text += context_.templates.render(template_name(config_.type),
                                        {{"id", config_.id},
                                         {"rendition", rendition},
                                         {"segment_s", std::to_string(segment_s)},
                                         {"playlist_length", std::to_string(kHlsPlaylistLength)},
                                         {"files_kept", std::to_string(kHlsFilesKept)}}) +
              " ";
    }
  } catch (const TemplateError& e) {
    throw BuildError(path_ + ".type", e.what());
  }
  pipeline_ = PipelineOwner(parse_pipeline(text, "output-" + config_.id, path_ + ".type"));
  const std::filesystem::path folder(config_.path);
  for (std::size_t i = 0; i < renditions.size(); ++i) {
    const std::string name = "mux-" + renditions[i];
    ElementPtr mux = child_by_name(pipeline_.get(), name.c_str(), path_ + ".type");
    add_feed(i == 0 ? "" : languages[i - 1], mux.get());
    const auto dir = folder / renditions[i];
    const auto segments = (dir / "segment%05d.ts").string();
    const auto playlist = (dir / "index.m3u8").string();
    if (has_property(mux.get(), "playlist-location")) {
      g_object_set(mux.get(), "location", segments.c_str(), "playlist-location", playlist.c_str(),
                   nullptr);
    }
    if (i == 0) {
      sink_ = std::move(mux);
    }
  }
}

void OutputUnit::start() {
  if (wanted_) {
    return;  // on the air, or about to try again
  }
  status_.last_error.clear();
  if (auto reason = unstartable_reason(); !reason.empty()) {
    status_.last_error = reason;
    spdlog::warn("output {}: not started: {}", config_.id, reason);
    set_state(show::OutputState::idle);
    return;
  }
  wanted_ = true;
  backoff_.reset();
  status_.state = show::OutputState::connecting;
  open();
}

void OutputUnit::retry() {
  retry_timer_.reset();
  if (!wanted_ || pipeline_) {
    return;
  }
  ++status_.reconnects;
  spdlog::info("output {}: trying again (attempt {})", config_.id, status_.reconnects);
  open();
}

// Fresh folders for a new HLS session: segments of an earlier one would otherwise
// linger next to the new playlist.
static std::string prepare_folder(const config::Output& output,
                                  const std::vector<std::string>& languages) {
  std::error_code ec;
  const std::filesystem::path folder(output.path);
  std::filesystem::create_directories(folder, ec);
  if (ec) {
    return "cannot create folder " + output.path + ": " + ec.message();
  }
  if (output.type != config::OutputType::hls) {
    return {};
  }
  std::vector<std::string> renditions{"video"};
  for (const auto& language : languages) {
    renditions.push_back("audio-" + language);
  }
  for (const auto& rendition : renditions) {
    const auto dir = folder / rendition;
    std::filesystem::remove_all(dir, ec);
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      return "cannot create folder " + dir.string() + ": " + ec.message();
    }
  }
  return {};
}

void OutputUnit::open() {
  if (pipeline_) {
    return;
  }
  const bool record_or_hls =
      config_.type == config::OutputType::record || config_.type == config::OutputType::hls;
  if (record_or_hls) {
    if (auto problem = prepare_folder(config_, context_.programme.languages()); !problem.empty()) {
      fail(problem, false);
      return;
    }
  }
  try {
    build_pipeline();
  } catch (const BuildError& e) {
    teardown();
    fail(e.what(), false);
    return;
  }
  if (config_.type == config::OutputType::hls) {
    std::vector<HlsAudioRendition> audio;
    for (const auto& language : context_.programme.languages()) {
      audio.push_back(
          {language, "audio-" + language + "/index.m3u8", language == status_.language});
    }
    const int bandwidth =
        (context_.video.bitrate_kbps + context_.audio.bitrate_kbps) * 1000 * 11 / 10;
    const HlsVariant video{"video/index.m3u8", bandwidth, context_.video.width,
                           context_.video.height, context_.video.fps};
    std::ofstream(std::filesystem::path(config_.path) / "master.m3u8")
        << master_playlist(video, audio);
  }
  bus_watch_ = watch_bus(pipeline_.get(), context_.thread.context(), &on_bus_message, this);
  srt_callers_.store(0);
  if (gst_element_set_state(pipeline_.get(), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    fail("pipeline would not start", true);
    return;
  }
  attach_taps();
  probe_bytes_.store(0);
  last_bytes_ = 0;
  const auto now = std::chrono::steady_clock::now();
  opened_at_ = now;
  last_tick_ = now;
  last_progress_ = now;
  status_.bytes = 0;
  status_.bitrate_kbps = 0;
  status_.uptime_s = 0;
  spdlog::info("output {}: {} (language {})", config_.id, describe_target(),
               carries_every_language() ? "all" : status_.language);
  set_state(status_.state == show::OutputState::reconnecting ? show::OutputState::reconnecting
                                                             : show::OutputState::connecting);
}

std::string OutputUnit::describe_target() const {
  switch (config_.type) {
    case config::OutputType::rtmp: {
      auto target = parse_rtmp_target(config_.url, key_);
      return "connecting to " + (target ? target->public_url() : std::string("?"));
    }
    case config::OutputType::srt:
      return srt_listener_ ? "waiting for SRT callers" : "calling the SRT receiver";
    case config::OutputType::hls:
      return "writing HLS into " + context_.redactor.scrub(config_.path);
    case config::OutputType::record:
      break;
  }
  std::string location;
  if (sink_ && has_property(sink_.get(), "location")) {
    gchar* raw = nullptr;
    g_object_get(sink_.get(), "location", &raw, nullptr);
    CharPtr text(raw);
    location = raw != nullptr ? raw : "";
  }
  return "writing " + context_.redactor.scrub(location);
}

void OutputUnit::attach_taps() {
  for (std::size_t slot = 0; slot < taps_.size(); ++slot) {
    taps_[slot]->add(session_.get(), static_cast<int>(slot));
  }
  attached_ = true;
}

void OutputUnit::detach_taps() {
  for (StreamTap* tap : taps_) {
    tap->remove(session_.get());
  }
  attached_ = false;
}

void OutputUnit::teardown() {
  bus_watch_.reset();
  pipeline_.reset();
  byte_probes_.clear();
  sink_.reset();
  session_.reset();
  taps_.clear();
  attached_ = false;
}

bool OutputUnit::set_language(const std::string& language) {
  if (carries_every_language()) {
    return false;
  }
  if (language == status_.language) {
    return true;
  }
  StreamTap* next = context_.programme.audio_tap(language);
  if (next == nullptr) {
    return false;
  }
  if (attached_ && taps_.size() > 1) {
    // remove() returns only once the old track's thread has let go of the session, so
    // the slot never has two feeders at once.
    taps_[1]->remove(session_.get());
    taps_[1] = next;
    next->add(session_.get(), 1);
  }
  spdlog::info("output {}: language {} -> {}", config_.id, status_.language, language);
  status_.language = language;
  publish();
  return true;
}

void OutputUnit::stop() {
  wanted_ = false;
  retry_timer_.reset();
  if (pipeline_) {
    detach_taps();
    teardown();
    spdlog::info("output {}: stopped", config_.id);
  }
  status_.bitrate_kbps = 0;
  set_state(show::OutputState::idle);
}

void OutputUnit::finish(std::chrono::steady_clock::time_point deadline) {
  wanted_ = false;
  retry_timer_.reset();
  if (!pipeline_ || !attached_) {
    stop();
    return;
  }
  detach_taps();
  session_->end_of_stream();
  BusPtr bus = adopt(gst_element_get_bus(pipeline_.get()));
  bool clean = false;
  const auto left = deadline - std::chrono::steady_clock::now();
  if (left > std::chrono::nanoseconds::zero()) {
    const auto wait = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
    MessagePtr message(gst_bus_timed_pop_filtered(
        bus.get(), static_cast<GstClockTime>(wait),
        static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR)));
    clean = message && GST_MESSAGE_TYPE(message.get()) == GST_MESSAGE_EOS;
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

void OutputUnit::fail(const std::string& message, bool try_again) {
  const std::string text = context_.redactor.scrub(message);
  spdlog::error("output {}: {}", config_.id, text);
  detach_taps();
  status_.last_error = text;
  status_.bitrate_kbps = 0;
  // Not from inside this pipeline's own bus handler: tear down on the next turn.
  std::weak_ptr<int> alive = alive_;
  context_.thread.post([this, alive] {
    if (alive.lock() && !attached_) {
      teardown();
    }
  });
  if (try_again && wanted_) {
    const auto wait = backoff_.next();
    spdlog::warn("output {}: trying again in {:.1f} s", config_.id, wait.count() / 1000.0);
    retry_timer_ =
        context_.thread.add_timeout(static_cast<unsigned>(wait.count()), [this] { retry(); });
    set_state(show::OutputState::reconnecting);
  } else {
    wanted_ = false;
    set_state(show::OutputState::error);
  }
}

std::uint64_t OutputUnit::bytes_sent() const {
  // rtmp2sink counts what actually went out on the socket; other sinks what they took.
  if (sink_ && config_.type == config::OutputType::rtmp && has_property(sink_.get(), "stats")) {
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
  if (!pipeline_ || !attached_) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  const std::uint64_t total = bytes_sent();
  std::uint64_t sent = total - std::min(total, last_bytes_);
  last_bytes_ = total;
  // An SRT listener with nobody connected drops what it is given: nothing went out.
  if (srt_listener_ && srt_callers_.load() == 0) {
    sent = 0;
  }
  const double dt = std::chrono::duration<double>(now - last_tick_).count();
  if (dt > 0.0) {
    status_.bitrate_kbps = static_cast<double>(sent) * 8.0 / dt / 1000.0;
  }
  if (sent > 0) {
    last_progress_ = now;
  }
  status_.bytes += sent;
  const std::uint64_t bytes = status_.bytes;
  last_tick_ = now;

  const bool waiting = status_.state == show::OutputState::connecting ||
                       status_.state == show::OutputState::reconnecting;
  // An SRT listener is on the air while someone is receiving; waiting for the
  // receiver to call is its normal state, not a failure.
  const bool reached = srt_listener_ ? srt_callers_.load() > 0 : bytes > 0;
  if (waiting && reached) {
    live_since_ = now;
    last_progress_ = now;
    status_.state = show::OutputState::live;
  } else if (srt_listener_ && status_.state == show::OutputState::live && !reached) {
    status_.state = show::OutputState::connecting;
  } else if (status_.state == show::OutputState::live && now - last_progress_ > kStallTimeout) {
    fail("took no data for " + std::to_string(kStallTimeout.count()) + " s", true);
    return;
  } else if (waiting && !srt_listener_ && now - opened_at_ > kConnectTimeout) {
    fail("no connection after " + std::to_string(kConnectTimeout.count()) + " s", true);
    return;
  }
  if (status_.state == show::OutputState::live) {
    status_.uptime_s = std::chrono::duration<double>(now - live_since_).count();
    if (now - live_since_ > kHealthySession) {
      backoff_.reset();
    }
  } else {
    status_.uptime_s = 0;
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
      const auto said = message_text(message, "pipeline error");
      if (!said.debug.empty()) {
        spdlog::debug("output {}: {}", config_.id, context_.redactor.scrub(said.debug));
      }
      // One failure per session: the errors that follow the first are its echoes.
      if (attached_) {
        fail(said.text, true);
      }
      break;
    }
    case GST_MESSAGE_WARNING:
      spdlog::warn("output {}: {}", config_.id,
                   context_.redactor.scrub(message_text(message, "warning").text));
      break;
    default:
      break;
  }
}

}  // namespace hallcast::engine
