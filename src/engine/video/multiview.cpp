#include "engine/video/multiview.h"

#include <gst/app/gstappsink.h>

#include "engine/gst/gst_build.h"

namespace hallcast::engine {

namespace {

// The thumbnail size: 320 wide, the programme's aspect, even.
int thumbnail_height(int width, int height) {
  return std::max(2, static_cast<int>(320LL * height / width) & ~1);
}

struct SinkContext {
  std::string feed;
  std::function<void(const std::string&, Multiview::Jpeg)>* on_jpeg;
};

}  // namespace

Multiview::Multiview(int frame_width, int frame_height,
                     std::function<void(const std::string&, Jpeg)> on_jpeg)
    : width_(320),
      height_(thumbnail_height(frame_width, frame_height)),
      on_jpeg_(std::move(on_jpeg)) {}

Multiview::~Multiview() = default;

void Multiview::add_feed(GstBin* bin, GstElement* tee, const std::string& feed,
                         const std::string& path) {
  const std::string base = "multiview-" + feed;
  auto queue = make_element("queue", base + "-queue", path);
  // Never hold up the picture it branches off: keep the newest frame only.
  set_property_from_string(queue.get(), "leaky", "downstream");
  g_object_set(queue.get(), "max-size-buffers", 1, "max-size-bytes", 0, "max-size-time", guint64{0},
               nullptr);
  auto valve = make_element("valve", base + "-valve", path);
  g_object_set(valve.get(), "drop", TRUE, nullptr);
  auto rate = make_element("videorate", base + "-rate", path);
  g_object_set(rate.get(), "drop-only", TRUE, "max-rate", kFramesPerSecond, nullptr);
  auto scale = make_element("videoscale", base + "-scale", path);
  auto caps = make_element("capsfilter", base + "-size", path);
  CapsPtr size(gst_caps_new_simple("video/x-raw", "width", G_TYPE_INT, width_, "height", G_TYPE_INT,
                                   height_, "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                                   nullptr));
  g_object_set(caps.get(), "caps", size.get(), nullptr);
  auto jpeg = make_element("jpegenc", base + "-jpeg", path);
  g_object_set(jpeg.get(), "quality", 70, nullptr);
  auto sink = make_element("appsink", base + "-sink", path);
  g_object_set(sink.get(), "sync", FALSE, "async", FALSE, "max-buffers", 1, "drop", TRUE, nullptr);

  // The rate limiter before the valve: placed after it, it would see nothing while the
  // valve is shut and then pass every frame until it had caught up with the clock.
  std::vector<GstElement*> chain = {queue.get(), rate.get(), valve.get(), scale.get(),
                                    caps.get(),  jpeg.get(), sink.get()};
  for (GstElement* e : chain) {
    gst_bin_add(bin, e);
  }
  link_or_throw(tee, queue.get(), path);
  for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
    link_or_throw(chain[i], chain[i + 1], path);
  }

  auto* context = new SinkContext{feed, &on_jpeg_};
  GstAppSinkCallbacks callbacks{};
  callbacks.new_sample = &Multiview::on_sample;
  gst_app_sink_set_callbacks(GST_APP_SINK(sink.get()), &callbacks, context,
                             [](gpointer data) { delete static_cast<SinkContext*>(data); });

  std::lock_guard lock(mutex_);
  auto entry = std::make_unique<Feed>();
  entry->name = feed;
  entry->valve = std::move(valve);
  feeds_.push_back(std::move(entry));
  update_valves();
}

void Multiview::set_active(bool active) {
  std::lock_guard lock(mutex_);
  active_ = active;
  update_valves();
}

void Multiview::set_feed_wanted(const std::string& feed, bool wanted) {
  std::lock_guard lock(mutex_);
  for (auto& f : feeds_) {
    if (f->name == feed) {
      f->wanted = wanted;
    }
  }
  update_valves();
}

void Multiview::update_valves() {
  for (auto& f : feeds_) {
    g_object_set(f->valve.get(), "drop", active_ && f->wanted ? FALSE : TRUE, nullptr);
  }
}

GstFlowReturn Multiview::on_sample(GstAppSink* sink, gpointer data) {
  auto* context = static_cast<SinkContext*>(data);
  SamplePtr sample(gst_app_sink_pull_sample(sink));
  GstBuffer* buffer = sample ? gst_sample_get_buffer(sample.get()) : nullptr;
  if (buffer == nullptr) {
    return GST_FLOW_OK;
  }
  GstMapInfo map;
  if (!gst_buffer_map(buffer, &map, GST_MAP_READ)) {
    return GST_FLOW_OK;
  }
  auto jpeg = std::make_shared<const std::vector<std::uint8_t>>(map.data, map.data + map.size);
  gst_buffer_unmap(buffer, &map);
  (*context->on_jpeg)(context->feed, std::move(jpeg));
  return GST_FLOW_OK;
}

}  // namespace hallcast::engine
