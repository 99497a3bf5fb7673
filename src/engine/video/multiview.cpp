#include "engine/video/multiview.h"

#include <gst/app/gstappsink.h>

#include <algorithm>

#include "engine/gst/branch_guard.h"
#include "engine/gst/build_error.h"
#include "engine/gst/gst_build.h"

namespace hallcast::engine {

namespace {

const std::string kPath = "multiview";

// The thumbnail's height: the programme's aspect at kThumbnailWidth, even.
int thumbnail_height(int width, int height) {
  return std::max(
      2,
      static_cast<int>(static_cast<long long>(Multiview::kThumbnailWidth) * height / width) & ~1);
}

std::string element_prefix(const std::string& feed) {
  return "multiview-" + feed + "-";
}

struct SinkContext {
  Multiview* self;
  std::string feed;
};

// Puts the new encoder behind the valve when nothing passes: from the engine thread at
// once (the valve has been shut since the feed failed), or else from the streaming
// thread after the buffer in flight.
struct Swap {
  PadPtr old_sink;
  PadPtr new_sink;
};

GstPadProbeReturn swap_when_idle(GstPad* pad, GstPadProbeInfo*, gpointer data) {
  auto* swap = static_cast<Swap*>(data);
  gst_pad_unlink(pad, swap->old_sink.get());
  gst_pad_link(pad, swap->new_sink.get());
  return GST_PAD_PROBE_REMOVE;
}

}  // namespace

Multiview::Multiview(const config::Video& video, const PipelineTemplates& templates,
                     FailureSink& failures, std::function<void(const std::string&, Jpeg)> on_jpeg)
    : width_(kThumbnailWidth),
      height_(thumbnail_height(video.width, video.height)),
      templates_(templates),
      failures_(failures),
      on_jpeg_(std::move(on_jpeg)) {}

Multiview::~Multiview() = default;

ElementPtr Multiview::make_encoder(Feed& feed) {
  std::string text;
  try {
    text = templates_.render("multiview", {{"thumbnail_width", std::to_string(width_)},
                                           {"thumbnail_height", std::to_string(height_)}});
  } catch (const TemplateError& e) {
    throw BuildError(kPath, e.what());
  }
  auto encoder =
      parse_bin(text + " ! appsink name=thumbnail-out",
                element_prefix(feed.name) + "encoder-" + std::to_string(++feed.builds), kPath);
  ElementPtr sink = child_by_name(encoder.get(), "thumbnail-out", kPath);
  g_object_set(sink.get(), "sync", FALSE, "async", FALSE, "max-buffers", 1, "drop", TRUE, nullptr);
  GstAppSinkCallbacks callbacks{};
  callbacks.new_sample = &Multiview::on_sample;
  gst_app_sink_set_callbacks(GST_APP_SINK(sink.get()), &callbacks, new SinkContext{this, feed.name},
                             [](gpointer data) { delete static_cast<SinkContext*>(data); });
  PadPtr input = adopt(gst_element_get_static_pad(encoder.get(), "sink"));
  if (!input) {
    throw BuildError(kPath, "pipeline template " + templates_.path_of("multiview").string() +
                                " takes no raw video in");
  }
  guard_branch(input.get(),
               [this, name = feed.name](const std::string& what) { fail(name, what); });
  return encoder;
}

void Multiview::add_feed(GstBin* bin, GstElement* tee, const std::string& feed,
                         const std::string& path) {
  const std::string base = element_prefix(feed);
  auto queue = make_element("queue", base + "queue", path);
  // Never hold up the picture it branches off: keep the newest frame only.
  set_property_from_string(queue.get(), "leaky", "downstream");
  g_object_set(queue.get(), "max-size-buffers", 1, "max-size-bytes", 0, "max-size-time", guint64{0},
               nullptr);
  auto valve = make_element("valve", base + "valve", path);
  g_object_set(valve.get(), "drop", TRUE, nullptr);

  auto entry = std::make_unique<Feed>();
  entry->self = this;
  entry->name = feed;
  entry->bin = bin;
  ElementPtr encoder = make_encoder(*entry);

  const std::vector<GstElement*> chain = {queue.get(), valve.get(), encoder.get()};
  for (GstElement* e : chain) {
    gst_bin_add(bin, e);
  }
  link_or_throw(tee, queue.get(), path);
  for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
    link_or_throw(chain[i], chain[i + 1], path);
  }
  PadPtr way_in = adopt(gst_element_get_static_pad(queue.get(), "sink"));
  entry->gate =
      PadProbe::add(way_in.get(), GST_PAD_PROBE_TYPE_BUFFER, &Multiview::on_frame, entry.get());
  entry->valve = std::move(valve);
  entry->encoder = std::move(encoder);

  std::lock_guard lock(mutex_);
  feeds_.push_back(std::move(entry));
  update_valves();
}

Multiview::Feed* Multiview::find(const std::string& feed) {
  for (auto& f : feeds_) {
    if (f->name == feed) {
      return f.get();
    }
  }
  return nullptr;
}

void Multiview::set_active(bool active) {
  std::lock_guard lock(mutex_);
  active_ = active;
  update_valves();
}

void Multiview::set_feed_wanted(const std::string& feed, bool wanted) {
  std::lock_guard lock(mutex_);
  if (Feed* f = find(feed)) {
    f->wanted = wanted;
  }
  update_valves();
}

void Multiview::update_valves() {
  for (auto& f : feeds_) {
    const bool open = active_ && f->wanted && !f->failed;
    f->open.store(open);
    g_object_set(f->valve.get(), "drop", open ? FALSE : TRUE, nullptr);
  }
}

std::string Multiview::feed_of(GstObject* object) const {
  // By name: every element of a feed is named for it (the encoder's children are inside
  // its bin), which holds even for an encoder already taken out of the pipeline.
  std::string found;
  std::lock_guard lock(mutex_);
  for (ObjectPtr<GstObject> at = retain(object); at; at = adopt(gst_object_get_parent(at.get()))) {
    const std::string name = GST_OBJECT_NAME(at.get()) != nullptr ? GST_OBJECT_NAME(at.get()) : "";
    for (const auto& f : feeds_) {
      // The longest match: "source:cam-1" is not "source:cam".
      if (name.rfind(element_prefix(f->name), 0) == 0 && f->name.size() > found.size()) {
        found = f->name;
      }
    }
  }
  return found;
}

void Multiview::fail(const std::string& feed, const std::string& what) {
  {
    std::lock_guard lock(mutex_);
    Feed* f = find(feed);
    if (f == nullptr || f->failed) {
      return;  // an echo of a failure already reported
    }
    f->failed = true;
    update_valves();
  }
  failures_.failed(part::kMultiview, feed, what);
}

void Multiview::restart(const std::string& feed) {
  Feed* f = nullptr;
  {
    std::lock_guard lock(mutex_);
    f = find(feed);
    if (f == nullptr || !f->failed) {
      return;
    }
  }
  // Feeds are never removed, and only this thread changes their elements.
  ElementPtr fresh = make_encoder(*f);
  if (!gst_bin_add(f->bin, fresh.get())) {
    throw BuildError(kPath, "the new thumbnail encoder cannot be added");
  }
  if (!gst_element_sync_state_with_parent(fresh.get())) {
    gst_element_set_state(fresh.get(), GST_STATE_NULL);
    gst_bin_remove(f->bin, fresh.get());
    throw BuildError(kPath, "the new thumbnail encoder would not start");
  }
  PadPtr valve_src = adopt(gst_element_get_static_pad(f->valve.get(), "src"));
  auto* swap = new Swap{adopt(gst_element_get_static_pad(f->encoder.get(), "sink")),
                        adopt(gst_element_get_static_pad(fresh.get(), "sink"))};
  gst_pad_add_probe(valve_src.get(), GST_PAD_PROBE_TYPE_IDLE, swap_when_idle, swap,
                    [](gpointer data) { delete static_cast<Swap*>(data); });
  // Should the swap still wait for a buffer in flight, the old encoder flushes it: its
  // guard keeps that from anyone upstream.
  gst_element_set_state(f->encoder.get(), GST_STATE_NULL);
  gst_bin_remove(f->bin, f->encoder.get());
  f->encoder = std::move(fresh);

  std::lock_guard lock(mutex_);
  f->failed = false;
  update_valves();
}

void Multiview::FeedFailures::failed(std::string_view, std::string_view unit,
                                     std::string_view what) noexcept {
  try {
    self->fail(std::string(unit), std::string(what));
  } catch (...) {
    // Out of memory while reporting: the feed goes on as it can.
  }
}

// The tee's streaming thread, for every frame of the picture the feed shows.
GstPadProbeReturn Multiview::on_frame(GstPad* pad, GstPadProbeInfo* info, gpointer data) {
  auto* feed = static_cast<Feed*>(data);
  if (!feed->open.load(std::memory_order_relaxed)) {
    feed->next_frame = GST_CLOCK_TIME_NONE;  // when it opens, the next frame goes at once
    return GST_PAD_PROBE_DROP;
  }
  GstPadProbeReturn result = GST_PAD_PROBE_OK;
  contain(&feed->self->feed_failures_, part::kMultiview, feed->name, [&] {
    EventPtr segment_event(gst_pad_get_sticky_event(pad, GST_EVENT_SEGMENT, 0));
    const GstSegment* segment = nullptr;
    if (segment_event) {
      gst_event_parse_segment(segment_event.get(), &segment);
    }
    const GstClockTime pts = GST_BUFFER_PTS(GST_PAD_PROBE_INFO_BUFFER(info));
    const GstClockTime running =
        segment != nullptr && segment->format == GST_FORMAT_TIME && GST_CLOCK_TIME_IS_VALID(pts)
            ? gst_segment_to_running_time(segment, GST_FORMAT_TIME, pts)
            : GST_CLOCK_TIME_NONE;
    if (!GST_CLOCK_TIME_IS_VALID(running)) {
      return;  // no time to pace it by: let it through
    }
    if (GST_CLOCK_TIME_IS_VALID(feed->next_frame) && running < feed->next_frame) {
      result = GST_PAD_PROBE_DROP;
      return;
    }
    feed->next_frame = running + GST_SECOND / kFramesPerSecond;
  });
  return result;
}

GstFlowReturn Multiview::on_sample(GstAppSink* sink, gpointer data) {
  auto* context = static_cast<SinkContext*>(data);
  Multiview* self = context->self;
  contain(&self->feed_failures_, part::kMultiview, context->feed, [&] {
    SamplePtr sample(gst_app_sink_pull_sample(sink));
    GstBuffer* buffer = sample ? gst_sample_get_buffer(sample.get()) : nullptr;
    GstMapInfo map;
    if (buffer == nullptr || !gst_buffer_map(buffer, &map, GST_MAP_READ)) {
      return;
    }
    Jpeg jpeg;
    try {
      jpeg = std::make_shared<const std::vector<std::uint8_t>>(map.data, map.data + map.size);
    } catch (...) {
      gst_buffer_unmap(buffer, &map);
      throw;
    }
    gst_buffer_unmap(buffer, &map);
    self->on_jpeg_(context->feed, std::move(jpeg));
  });
  return GST_FLOW_OK;
}

}  // namespace hallcast::engine
