#include "engine/inputs/clip_input.h"

#include <gst/app/gstappsrc.h>
#include <spdlog/spdlog.h>

#include "engine/gst/build_error.h"
#include "engine/gst/gst_build.h"
#include "engine/inputs/no_signal_slate.h"

namespace hallcast::engine {

namespace {

// Playing and no frame for this long: the file stalled; it is opened again.
constexpr gint64 kStalledAfterUs = 1'000'000;
constexpr unsigned kWatchMs = 100;
// A file that cannot be read now may be copied in later: asked again, rarely.
constexpr std::chrono::milliseconds kFirstRetry{1000};
constexpr std::chrono::milliseconds kLongestRetry{10000};

// A copy that shares the frame's memory, without the ingest's times: the programme's
// appsrc stamps it on arrival (see LiveInput::on_sample).
GstBuffer* restamped(GstBuffer* buffer) {
  GstBuffer* copy = gst_buffer_copy(buffer);
  GST_BUFFER_PTS(copy) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DTS(copy) = GST_CLOCK_TIME_NONE;
  return copy;
}

// The message a clip's picture sink posts at the end of the file. The pipeline's own
// EOS does not come for a clip without sound: its sound sink is never linked.
constexpr const char* kEnded = "hallcast-clip-ended";

BufferPtr take_buffer(GstSample* sample) {
  GstBuffer* buffer = sample != nullptr ? gst_sample_get_buffer(sample) : nullptr;
  return BufferPtr(buffer != nullptr ? gst_buffer_ref(buffer) : nullptr);
}

}  // namespace

ClipInput::ClipInput(ClipOptions options, GstElement* video_src, GstElement* audio_src,
                     EngineThread& thread, const common::Redactor& redactor, FailureSink& failures,
                     std::function<void(show::Health)> on_health)
    : options_(std::move(options)),
      video_src_(retain(video_src)),
      audio_src_(retain(audio_src)),
      thread_(thread),
      redactor_(redactor),
      failures_(failures),
      on_health_(std::move(on_health)),
      backoff_(kFirstRetry, kLongestRetry,
               static_cast<std::uint64_t>(g_get_monotonic_time()) ^
                   std::hash<std::string>{}(options_.id)) {
  slate_ = render_slate(options_.slate_text, options_.label, options_.width, options_.height);
  held_ = slate_.get();
}

ClipInput::~ClipInput() {
  stop();
}

void ClipInput::start() {
  if (running_) {
    return;
  }
  running_ = true;
  health_ = show::Health::lost;
  if (on_health_) {
    on_health_(health_);
  }
  held_ = slate_.get();
  hold();
  watchdog_ = thread_.add_timer(kWatchMs, [this] { watch(); });
  open();
}

void ClipInput::stop() {
  running_ = false;
  watchdog_.reset();
  hold_timer_.reset();
  retry_timer_.reset();
  close();
  held_ = nullptr;
}

void ClipInput::open() {
  retry_timer_.reset();
  if (!running_ || pipeline_) {
    return;
  }
  ElementPtr pipeline;
  ElementPtr video;
  ElementPtr audio;
  try {
    pipeline = parse_pipeline(options_.description, "clip-" + options_.id, options_.path);
    video = child_by_name(pipeline.get(), kVideoSink, options_.path);
    audio = child_by_name(pipeline.get(), kAudioSink, options_.path);
  } catch (const BuildError& e) {
    fail(e.what());
    return;
  }
  // Both play at the file's pace. The sound sink does not hold up the preroll: a clip
  // may have no sound at all.
  g_object_set(video.get(), "sync", TRUE, "qos", FALSE, "max-buffers", 2u, "drop", FALSE, nullptr);
  g_object_set(audio.get(), "sync", TRUE, "async", FALSE, "qos", FALSE, nullptr);
  link_ = std::make_shared<Link>();
  link_->video_src = retain(video_src_.get());
  link_->audio_src = retain(audio_src_.get());
  const auto owned_link = [this] { return new std::shared_ptr<Link>(link_); };
  const auto drop_link = [](gpointer data) { delete static_cast<std::shared_ptr<Link>*>(data); };
  GstAppSinkCallbacks video_callbacks{};
  video_callbacks.new_sample = &ClipInput::on_video_sample;
  video_callbacks.new_preroll = &ClipInput::on_video_preroll;
  video_callbacks.eos = &ClipInput::on_video_eos;
  gst_app_sink_set_callbacks(GST_APP_SINK(video.get()), &video_callbacks, owned_link(), drop_link);
  GstAppSinkCallbacks audio_callbacks{};
  audio_callbacks.new_sample = &ClipInput::on_audio_sample;
  gst_app_sink_set_callbacks(GST_APP_SINK(audio.get()), &audio_callbacks, owned_link(), drop_link);
  phase_ = Phase::opening;
  pipeline_ = IngestPipeline(std::move(pipeline), thread_.context(), &ClipInput::on_bus_message,
                             this, thread_.worker_jobs());
  pipeline_.set_state(GST_STATE_PAUSED);
}

void ClipInput::close() {
  // No more frames into the programme, no more messages.
  link_->cut.store(true);
  pipeline_.stop();
}

void ClipInput::fail(const std::string& message) {
  if (!running_) {
    return;
  }
  const auto wait = backoff_.next();
  spdlog::warn("source {}: {}; trying again in {:.1f} s", options_.id, redactor_.scrub(message),
               wait.count() / 1000.0);
  phase_ = Phase::opening;
  first_frame_.reset();
  held_ = slate_.get();
  hold();
  set_health(show::Health::lost);
  close();
  retry_timer_ = thread_.add_timeout(static_cast<unsigned>(wait.count()), [this] { open(); });
}

void ClipInput::set_health(show::Health health) {
  if (health == health_) {
    return;
  }
  health_ = health;
  if (health == show::Health::live) {
    spdlog::info("source {}: cued", options_.id);
  } else {
    spdlog::warn("source {}: lost, showing the slate", options_.id);
  }
  if (on_health_) {
    on_health_(health);
  }
}

void ClipInput::push_held() {
  if (held_ != nullptr) {
    gst_app_src_push_buffer(GST_APP_SRC(video_src_.get()), restamped(held_));
  }
}

void ClipInput::hold() {
  if (!hold_timer_) {
    hold_timer_ = thread_.add_timer(static_cast<unsigned>(1000 / std::max(1, options_.fps)),
                                    [this] { push_held(); });
  }
}

BufferPtr ClipInput::last_frame() const {
  std::lock_guard lock(link_->frames_mutex);
  return BufferPtr(link_->last_frame ? gst_buffer_ref(link_->last_frame.get()) : nullptr);
}

void ClipInput::set_on_air(bool on_air) {
  if (on_air == on_air_) {
    return;
  }
  on_air_ = on_air;
  if (on_air && phase_ == Phase::cued) {
    spdlog::info("source {}: playing", options_.id);
    hold_timer_.reset();  // the mixer repeats the frame until the next one comes
    phase_ = Phase::playing;
    link_->last_frame_us.store(g_get_monotonic_time());
    pipeline_.set_state(GST_STATE_PLAYING);
  } else if (!on_air && (phase_ == Phase::playing || phase_ == Phase::ended)) {
    cue();
  }
}

// Back to the start, paused: a fresh pipeline, whose preroll is surely the first frame
// (a paused pipeline seeked back could preroll a frame from before the seek first).
// Until it is there, the frame the clip left on is held.
void ClipInput::cue() {
  if (BufferPtr last = last_frame()) {
    first_frame_ = std::move(last);
    held_ = first_frame_.get();
  }
  hold();
  close();
  open();
}

void ClipInput::on_prerolled() {
  if (phase_ != Phase::opening) {
    return;  // a loop's seek while playing
  }
  {
    std::lock_guard lock(link_->frames_mutex);
    if (link_->preroll) {
      first_frame_ = std::move(link_->preroll);
    }
  }
  if (!first_frame_) {
    return;
  }
  backoff_.reset();
  held_ = first_frame_.get();
  phase_ = Phase::cued;
  set_health(show::Health::live);
  if (on_air_) {
    on_air_ = false;
    set_on_air(true);
  } else {
    hold();
  }
}

void ClipInput::on_end() {
  if (phase_ != Phase::playing) {
    return;
  }
  if (options_.loop) {
    // Through the picture's sink, which the demuxer seeks for every stream: sent to the
    // pipeline, the seek would also go to the sound's sink, which a file without sound
    // leaves unlinked, and fail there.
    const ElementPtr video(gst_bin_get_by_name(GST_BIN(pipeline_.get()), kVideoSink));
    if (!video || !gst_element_seek_simple(video.get(), GST_FORMAT_TIME,
                                           static_cast<GstSeekFlags>(GST_SEEK_FLAG_FLUSH), 0)) {
      fail("the clip cannot be looped");
    }
    return;
  }
  spdlog::info("source {}: ended, holding its last frame", options_.id);
  phase_ = Phase::ended;
  if (BufferPtr last = last_frame()) {
    first_frame_ = std::move(last);
    held_ = first_frame_.get();
  }
  hold();
}

void ClipInput::watch() {
  if (link_->broken.load()) {
    fail("a frame could not be handed on");
  } else if (phase_ == Phase::playing &&
             g_get_monotonic_time() - link_->last_frame_us.load() > kStalledAfterUs) {
    fail("no frames for a second");
  }
}

// The streaming threads' callbacks: they touch their Link alone, and catch whatever
// goes wrong (a lost frame makes the clip start over, on the engine thread).
GstFlowReturn ClipInput::on_video_sample(GstAppSink* sink, gpointer data) {
  Link& link = **static_cast<std::shared_ptr<Link>*>(data);
  SamplePtr sample(gst_app_sink_pull_sample(sink));
  BufferPtr buffer = take_buffer(sample.get());
  if (!buffer || link.cut.load()) {
    return GST_FLOW_OK;
  }
  try {
    link.last_frame_us.store(g_get_monotonic_time());
    gst_app_src_push_buffer(GST_APP_SRC(link.video_src.get()), restamped(buffer.get()));
    std::lock_guard lock(link.frames_mutex);
    link.last_frame = std::move(buffer);
  } catch (...) {
    link.broken.store(true);
  }
  return GST_FLOW_OK;
}

GstFlowReturn ClipInput::on_video_preroll(GstAppSink* sink, gpointer data) {
  Link& link = **static_cast<std::shared_ptr<Link>*>(data);
  SamplePtr sample(gst_app_sink_pull_preroll(sink));
  BufferPtr buffer = take_buffer(sample.get());
  if (link.cut.load()) {
    return GST_FLOW_OK;
  }
  try {
    std::lock_guard lock(link.frames_mutex);
    link.preroll = std::move(buffer);
  } catch (...) {
    link.broken.store(true);
  }
  return GST_FLOW_OK;
}

void ClipInput::on_video_eos(GstAppSink* sink, gpointer) {
  gst_element_post_message(
      GST_ELEMENT(sink),
      gst_message_new_application(GST_OBJECT(sink), gst_structure_new_empty(kEnded)));
}

GstFlowReturn ClipInput::on_audio_sample(GstAppSink* sink, gpointer data) {
  Link& link = **static_cast<std::shared_ptr<Link>*>(data);
  SamplePtr sample(gst_app_sink_pull_sample(sink));
  GstBuffer* buffer = sample ? gst_sample_get_buffer(sample.get()) : nullptr;
  if (buffer != nullptr && !link.cut.load()) {
    gst_app_src_push_buffer(GST_APP_SRC(link.audio_src.get()), restamped(buffer));
  }
  return GST_FLOW_OK;
}

gboolean ClipInput::on_bus_message(GstBus*, GstMessage* message, gpointer data) {
  auto* self = static_cast<ClipInput*>(data);
  // A failure in here is this clip's: start it over, as after any other.
  if (!contain(&self->failures_, part::kInputs, self->options_.id,
               [&] { self->handle_message(message); })) {
    contain(&self->failures_, part::kInputs, self->options_.id,
            [&] { self->fail("its messages could not be read"); });
  }
  return G_SOURCE_CONTINUE;
}

void ClipInput::handle_message(GstMessage* message) {
  switch (GST_MESSAGE_TYPE(message)) {
    case GST_MESSAGE_ASYNC_DONE:
      on_prerolled();
      break;
    case GST_MESSAGE_APPLICATION:
      if (gst_message_has_name(message, kEnded)) {
        on_end();
      }
      break;
    case GST_MESSAGE_ERROR: {
      const auto said = message_text(message, "clip error");
      if (!said.debug.empty()) {
        spdlog::debug("source {}: {}", options_.id, redactor_.scrub(said.debug));
      }
      if (!retry_timer_) {
        fail(said.text);
      }
      break;
    }
    default:
      break;
  }
}

}  // namespace hallcast::engine
