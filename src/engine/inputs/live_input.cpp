#include "engine/inputs/live_input.h"

#include <gst/app/gstappsrc.h>
#include <gst/video/video.h>
#include <spdlog/spdlog.h>

#include <memory>

#include "engine/gst/build_error.h"
#include "engine/gst/gst_build.h"
#include "engine/inputs/no_signal_slate.h"

namespace hallcast::engine {

namespace {

using namespace std::chrono_literals;

// No frame for this long: the input is lost and its slate goes up.
constexpr gint64 kLostAfterUs = 1'000'000;
// How often the input is looked at: the slate is up at most this long after the second.
constexpr unsigned kWatchMs = 100;
// A camera that comes back is back within seconds; a missing one is asked rarely.
constexpr std::chrono::milliseconds kFirstRetry{1000};
constexpr std::chrono::milliseconds kLongestRetry{10000};

}  // namespace

ElementPtr LiveInput::make_programme_source(const std::string& name, GstCaps* caps, bool video) {
  GstElement* element = gst_element_factory_make("appsrc", name.c_str());
  if (element == nullptr) {
    throw BuildError("sources", "GStreamer has no appsrc (gst-plugins-base)");
  }
  ElementPtr src = sink_floating(element);
  // A frame or two at most: an input that bursts after a stall must not push the
  // programme into the past; the oldest frames go.
  g_object_set(src.get(), "caps", caps, "format", GST_FORMAT_TIME, "is-live", TRUE, "do-timestamp",
               TRUE, "block", FALSE, "max-buffers", guint64{video ? 2u : 20u}, "max-bytes",
               guint64{0}, "max-time", guint64{0}, nullptr);
  gst_util_set_object_arg(G_OBJECT(src.get()), "leaky-type", "downstream");
  // Frames are stamped on arrival: no latency of their own, and the mixers may wait
  // for the other sources as long as they need to.
  g_object_set(src.get(), "min-latency", gint64{0}, "max-latency", gint64{-1}, nullptr);
  return src;
}

LiveInput::LiveInput(LiveInputOptions options, GstElement* programme_src, EngineThread& thread,
                     const common::Redactor& redactor, FailureSink& failures,
                     std::function<void(show::Health)> on_health)
    : options_(std::move(options)),
      programme_src_(retain(programme_src)),
      thread_(thread),
      redactor_(redactor),
      failures_(failures),
      on_health_(std::move(on_health)),
      backoff_(kFirstRetry, kLongestRetry,
               static_cast<std::uint64_t>(g_get_monotonic_time()) ^
                   std::hash<std::string>{}(options_.id)) {
  if (options_.video) {
    slate_ = render_slate(options_.slate_text, options_.label, options_.width, options_.height);
  }
  link_->programme_src = retain(programme_src);
}

LiveInput::~LiveInput() {
  stop();
}

void LiveInput::start() {
  if (running_) {
    return;
  }
  running_ = true;
  // Nothing has arrived yet: the slate is up from the first programme frame, and a
  // source that never connects delays nothing.
  health_ = show::Health::lost;
  if (on_health_) {
    on_health_(health_);
  }
  if (slate_) {
    slate_timer_ = thread_.add_timer(static_cast<unsigned>(1000 / std::max(1, options_.fps)),
                                     [this] { push_slate(); });
  }
  watchdog_ = thread_.add_timer(kWatchMs, [this] { watch(); });
  open();
}

void LiveInput::stop() {
  running_ = false;
  watchdog_.reset();
  slate_timer_.reset();
  retry_timer_.reset();
  close();
}

void LiveInput::open() {
  retry_timer_.reset();
  if (!running_ || ingest_) {
    return;
  }
  const std::string text = options_.description + " ! appsink name=ingest-out";
  ElementPtr pipeline;
  try {
    pipeline = parse_pipeline(text, "ingest-" + options_.id, options_.path);
  } catch (const BuildError& e) {
    fail(e.what());
    return;
  }
  ElementPtr sink = child_by_name(pipeline.get(), "ingest-out", options_.path);
  // A file plays at its own pace (in sync with the clock); a live source's frames go
  // on as soon as they are decoded, so that the slate follows a camera's loss quickly.
  g_object_set(sink.get(), "sync", options_.loop ? TRUE : FALSE, "max-buffers", 2u, "drop", TRUE,
               "qos", FALSE, nullptr);
  link_ = std::make_shared<Link>();
  link_->programme_src = retain(programme_src_.get());
  GstAppSinkCallbacks callbacks{};
  callbacks.new_sample = &LiveInput::on_sample;
  gst_app_sink_set_callbacks(
      GST_APP_SINK(sink.get()), &callbacks, new std::shared_ptr<Link>(link_),
      [](gpointer data) { delete static_cast<std::shared_ptr<Link>*>(data); });
  ingest_ = IngestPipeline(std::move(pipeline), thread_.context(), &LiveInput::on_bus_message, this,
                           thread_.worker_jobs());
  ingest_.set_state(GST_STATE_PLAYING);
}

void LiveInput::close() {
  // No more frames into the programme, no more messages.
  link_->cut.store(true);
  ingest_.stop();
}

void LiveInput::fail(const std::string& message) {
  if (!running_) {
    return;
  }
  const auto wait = backoff_.next();
  spdlog::warn("source {}: {}; trying again in {:.1f} s", options_.id, redactor_.scrub(message),
               wait.count() / 1000.0);
  set_health(show::Health::lost);
  close();
  retry_timer_ = thread_.add_timeout(static_cast<unsigned>(wait.count()), [this] { open(); });
}

void LiveInput::watch() {
  if (link_->broken.load()) {
    link_->broken.store(false);
    fail("a frame could not be handed on");
    return;
  }
  const gint64 last = link_->last_frame_us.load();
  const bool flowing =
      !link_->cut.load() && last != 0 && g_get_monotonic_time() - last < kLostAfterUs;
  if (flowing && health_ == show::Health::lost) {
    backoff_.reset();
    set_health(show::Health::live);
  } else if (!flowing && health_ == show::Health::live) {
    // Frames stopped with neither an error nor an end: the transport has not noticed
    // yet. SRT gives a silent peer 5 s, and until then a listener takes no new call
    // and decodebin's videorate still holds the last frame, to hand it out at that
    // late end. Start over now, so that a camera that comes back is taken at once.
    fail("no frames for a second");
  }
}

void LiveInput::set_health(show::Health health) {
  if (health == health_) {
    return;
  }
  health_ = health;
  if (health == show::Health::live) {
    spdlog::info("source {}: live", options_.id);
    slate_timer_.reset();
  } else {
    spdlog::warn("source {}: lost{}", options_.id, options_.video ? ", showing the slate" : "");
    if (slate_ && running_ && !slate_timer_) {
      push_slate();
      slate_timer_ = thread_.add_timer(static_cast<unsigned>(1000 / std::max(1, options_.fps)),
                                       [this] { push_slate(); });
    }
  }
  if (on_health_) {
    on_health_(health);
  }
}

void LiveInput::push_slate() {
  // Frames flow again, and the input is called live at the next look: a slate now
  // would flash between them.
  const gint64 last = link_->last_frame_us.load();
  if (!link_->cut.load() && last != 0 && g_get_monotonic_time() - last < kLostAfterUs) {
    return;
  }
  // A new buffer object sharing the slate's memory: appsrc stamps it with the time.
  gst_app_src_push_buffer(GST_APP_SRC(programme_src_.get()), gst_buffer_copy(slate_.get()));
}

void LiveInput::loop_to_start() {
  if (!ingest_ || !gst_element_seek_simple(
                      ingest_.get(), GST_FORMAT_TIME,
                      static_cast<GstSeekFlags>(GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_KEY_UNIT), 0)) {
    fail("the file cannot be looped");
  }
}

GstFlowReturn LiveInput::on_sample(GstAppSink* sink, gpointer data) {
  Link& link = **static_cast<std::shared_ptr<Link>*>(data);
  SamplePtr sample(gst_app_sink_pull_sample(sink));
  GstBuffer* buffer = sample ? gst_sample_get_buffer(sample.get()) : nullptr;
  if (buffer == nullptr || link.cut.load()) {
    return GST_FLOW_OK;
  }
  // Shares the frame's memory; the programme's appsrc puts its own time on it. It
  // stamps only a buffer that has none, so the ingest's times are cleared: they count
  // from the ingest pipeline's own start, and a rebuilt ingest's frames would lie
  // seconds in the programme's past, dropped by the mixer, the slate held instead.
  GstBuffer* copy = gst_buffer_copy(buffer);
  if (copy == nullptr) {
    link.broken.store(true);
    return GST_FLOW_OK;
  }
  GST_BUFFER_PTS(copy) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DTS(copy) = GST_CLOCK_TIME_NONE;
  link.last_frame_us.store(g_get_monotonic_time());
  gst_app_src_push_buffer(GST_APP_SRC(link.programme_src.get()), copy);
  return GST_FLOW_OK;
}

gboolean LiveInput::on_bus_message(GstBus*, GstMessage* message, gpointer data) {
  auto* self = static_cast<LiveInput*>(data);
  // A failure in here is this input's: start it over, as after any other.
  if (!contain(&self->failures_, part::kInputs, self->options_.id,
               [&] { self->handle_message(message); })) {
    contain(&self->failures_, part::kInputs, self->options_.id,
            [&] { self->fail("its messages could not be read"); });
  }
  return G_SOURCE_CONTINUE;
}

void LiveInput::handle_message(GstMessage* message) {
  switch (GST_MESSAGE_TYPE(message)) {
    case GST_MESSAGE_ERROR: {
      const auto said = message_text(message, "input error");
      if (!said.debug.empty()) {
        spdlog::debug("source {}: {}", options_.id, redactor_.scrub(said.debug));
      }
      if (!retry_timer_) {
        fail(said.text);
      }
      break;
    }
    case GST_MESSAGE_EOS:
      if (options_.loop) {
        loop_to_start();
      } else if (!retry_timer_) {
        fail("the input ended");
      }
      break;
    default:
      break;
  }
}

}  // namespace hallcast::engine
