#include "engine/audio/listen_taps.h"

#include <gst/app/gstappsrc.h>
#include <spdlog/spdlog.h>

#include "engine/gst/build_error.h"
#include "engine/gst/gst_build.h"
#include "engine/gst/raw_format.h"

namespace hallcast::engine {

namespace {

const std::string kPath = "listen";
// How much raw audio a tap's appsrc holds before it drops the oldest: an encoder that
// falls behind costs its listener a gap, never the programme a wait.
constexpr double kQueueSeconds = 0.2;

// What the probe on the programme's pad holds: the tap's appsrc, by a reference of its
// own, freed when the probe is removed and no call of it is still running.
struct Feed {
  ElementPtr appsrc;
};

struct SinkContext {
  ListenTaps* self;
  std::string tap;
  std::int64_t wall_at_zero_us;
  FailureSink* failures;
  std::function<void(ListenTaps::Packet)>* on_packet;
};

// The wall clock (microseconds since the epoch) at the programme's running time 0: its
// clock's time now, less its base time, is its running time now.
std::int64_t wall_at_running_zero(GstElement* programme) {
  const std::int64_t wall_now = g_get_real_time();
  ObjectPtr<GstClock> clock = adopt(gst_element_get_clock(programme));
  if (!clock) {
    return wall_now;
  }
  const GstClockTime running =
      gst_clock_get_time(clock.get()) - gst_element_get_base_time(programme);
  return wall_now - static_cast<std::int64_t>(running / GST_USECOND);
}

}  // namespace

struct ListenTaps::Tap {
  std::string name;
  PipelineOwner pipeline;
  SourcePtr bus_watch;
  // Removed before the pipeline goes: nothing is pushed into a tap being torn down.
  PadProbe probe;
};

ListenTaps::ListenTaps(const config::Audio& audio, const PipelineTemplates& templates,
                       FailureSink& failures, GMainContext* context,
                       std::function<void(Packet)> on_packet)
    : audio_(audio),
      templates_(templates),
      failures_(failures),
      context_(context),
      on_packet_(std::move(on_packet)) {}

ListenTaps::~ListenTaps() {
  // Each probe before its pipeline (the members of Tap go in reverse order).
  taps_.clear();
}

ElementPtr ListenTaps::tapped_element(GstElement* programme, std::string_view tap) {
  // The level meters sit right where each signal is finished: a source's before its
  // fader (the mixer pad holds the fader), a track's after its limiter.
  std::string name;
  if (tap.rfind("source:", 0) == 0 && tap.size() > 7) {
    name = "level-" + std::string(tap.substr(7));
    if (name.rfind("level-track-", 0) == 0) {
      return nullptr;  // a track's meter, not a source's
    }
  } else if (tap.rfind("track:", 0) == 0 && tap.size() > 6) {
    name = "level-track-" + std::string(tap.substr(6));
  } else {
    return nullptr;
  }
  return adopt(gst_bin_get_by_name(GST_BIN(programme), name.c_str()));
}

bool ListenTaps::start(GstElement* programme, const std::string& tap) {
  if (taps_.count(tap) != 0) {
    return true;
  }
  ElementPtr tapped = tapped_element(programme, tap);
  if (!tapped) {
    return false;
  }
  std::string text;
  try {
    text = templates_.render("listen", {{"bitrate_bps", std::to_string(kBitrate)}});
  } catch (const TemplateError& e) {
    throw BuildError(kPath, e.what());
  }
  auto entry = std::make_unique<Tap>();
  entry->name = tap;
  entry->pipeline = PipelineOwner(parse_pipeline(
      "appsrc name=listen-in ! " + text + " ! appsink name=listen-out", "listen-" + tap, kPath));
  GstElement* pipeline = entry->pipeline.get();
  ElementPtr appsrc = child_by_name(pipeline, "listen-in", kPath);
  ElementPtr appsink = child_by_name(pipeline, "listen-out", kPath);

  CapsPtr caps = audio_caps(audio_);
  const auto queue_bytes = static_cast<guint64>(audio_.sample_rate * kAudioChannels *
                                                static_cast<int>(sizeof(float)) * kQueueSeconds);
  g_object_set(appsrc.get(), "caps", caps.get(), "format", GST_FORMAT_TIME, "is-live", TRUE,
               "block", FALSE, "max-bytes", queue_bytes, nullptr);
  set_property_from_string(appsrc.get(), "leaky-type", "downstream");
  g_object_set(appsink.get(), "sync", FALSE, "async", FALSE, nullptr);

  GstAppSinkCallbacks callbacks{};
  callbacks.new_sample = &ListenTaps::on_sample;
  gst_app_sink_set_callbacks(
      GST_APP_SINK(appsink.get()), &callbacks,
      new SinkContext{this, tap, wall_at_running_zero(programme), &failures_, &on_packet_},
      [](gpointer data) { delete static_cast<SinkContext*>(data); });
  entry->bus_watch = watch_bus(pipeline, context_, &ListenTaps::on_bus, this);

  if (gst_element_set_state(pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    throw BuildError(kPath, "the listening encoder for " + tap + " would not start");
  }
  PadPtr pad = adopt(gst_element_get_static_pad(tapped.get(), "src"));
  auto* feed = new Feed{std::move(appsrc)};
  entry->probe = PadProbe(
      pad.get(), gst_pad_add_probe(pad.get(), GST_PAD_PROBE_TYPE_BUFFER, &ListenTaps::on_buffer,
                                   feed, [](gpointer d) { delete static_cast<Feed*>(d); }));
  spdlog::info("listen: {} on", tap);
  taps_[tap] = std::move(entry);
  return true;
}

void ListenTaps::stop(const std::string& tap) {
  auto it = taps_.find(tap);
  if (it == taps_.end()) {
    return;
  }
  it->second->probe.reset();
  it->second->bus_watch.reset();
  it->second->pipeline.reset();  // waits for its streaming threads: no packet after this
  taps_.erase(it);
  spdlog::info("listen: {} off", tap);
}

std::vector<std::string> ListenTaps::running() const {
  std::vector<std::string> names;
  for (const auto& [name, tap] : taps_) {
    names.push_back(name);
  }
  return names;
}

GstPadProbeReturn ListenTaps::on_buffer(GstPad*, GstPadProbeInfo* info, gpointer data) {
  // The programme's streaming thread: a reference handed over, never a wait. An appsrc
  // that is full drops its oldest; one being torn down refuses, which is fine.
  auto* feed = static_cast<Feed*>(data);
  if (GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info); buffer != nullptr) {
    gst_app_src_push_buffer(GST_APP_SRC(feed->appsrc.get()), gst_buffer_ref(buffer));
  }
  return GST_PAD_PROBE_OK;
}

GstFlowReturn ListenTaps::on_sample(GstAppSink* sink, gpointer data) {
  auto* context = static_cast<SinkContext*>(data);
  contain(context->failures, part::kListen, context->tap, [&] {
    SamplePtr sample(gst_app_sink_pull_sample(sink));
    GstBuffer* buffer = sample ? gst_sample_get_buffer(sample.get()) : nullptr;
    GstMapInfo map;
    if (buffer == nullptr || !gst_buffer_map(buffer, &map, GST_MAP_READ)) {
      return;
    }
    Packet packet;
    packet.tap = context->tap;
    try {
      packet.opus =
          std::make_shared<const std::vector<std::uint8_t>>(map.data, map.data + map.size);
    } catch (...) {
      gst_buffer_unmap(buffer, &map);
      throw;
    }
    gst_buffer_unmap(buffer, &map);
    const GstClockTime pts = GST_BUFFER_PTS(buffer);
    packet.captured_us =
        context->wall_at_zero_us +
        (GST_CLOCK_TIME_IS_VALID(pts) ? static_cast<std::int64_t>(pts / GST_USECOND) : 0);
    (*context->on_packet)(std::move(packet));
  });
  return GST_FLOW_OK;
}

gboolean ListenTaps::on_bus(GstBus*, GstMessage* message, gpointer data) {
  auto* self = static_cast<ListenTaps*>(data);
  if (GST_MESSAGE_TYPE(message) != GST_MESSAGE_ERROR) {
    return G_SOURCE_CONTINUE;
  }
  // The pipeline's name is "listen-<tap>": the tap that failed. It is stopped; the
  // health board starts it again after a backoff.
  const std::string name = GST_OBJECT_NAME(GST_MESSAGE_SRC(message)) != nullptr
                               ? GST_OBJECT_NAME(GST_MESSAGE_SRC(message))
                               : "";
  std::string tap;
  for (const auto& [candidate, entry] : self->taps_) {
    if (gst_object_has_as_ancestor(GST_MESSAGE_SRC(message), GST_OBJECT(entry->pipeline.get())) ||
        GST_MESSAGE_SRC(message) == GST_OBJECT(entry->pipeline.get())) {
      tap = candidate;
    }
  }
  if (tap.empty()) {
    return G_SOURCE_CONTINUE;
  }
  const MessageText said = message_text(message, "the listening encoder failed");
  // Report first: stop() removes this very watch.
  self->failures_.failed(part::kListen, tap, said.text + " (from " + name + ")");
  self->stop(tap);
  return G_SOURCE_REMOVE;
}

}  // namespace hallcast::engine
