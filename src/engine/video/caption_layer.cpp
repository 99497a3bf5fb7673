#include "engine/video/caption_layer.h"

#include <gst/video/video.h>

#include <algorithm>

#include "engine/gst/gst_build.h"

namespace hallcast::engine {

namespace {

GstVideoOverlayRectangle* to_rectangle(const CaptionImage& image) {
  if (image.empty()) {
    return nullptr;
  }
  const gsize size = static_cast<gsize>(image.stride) * image.height;
  BufferPtr buffer(gst_buffer_new_allocate(nullptr, size, nullptr));
  gst_buffer_fill(buffer.get(), 0, image.pixels.data(), std::min<gsize>(size, image.pixels.size()));
  gint strides[GST_VIDEO_MAX_PLANES] = {image.stride};
  gsize offsets[GST_VIDEO_MAX_PLANES] = {0};
  gst_buffer_add_video_meta_full(buffer.get(), GST_VIDEO_FRAME_FLAG_NONE,
                                 GST_VIDEO_OVERLAY_COMPOSITION_FORMAT_RGB, image.width,
                                 image.height, 1, offsets, strides);
  // Straight alpha, as the renderer makes it: no premultiplied flag. The rectangle
  // takes its own reference to the buffer.
  return gst_video_overlay_rectangle_new_raw(buffer.get(), image.x, image.y, image.width,
                                             image.height, GST_VIDEO_OVERLAY_FORMAT_FLAG_NONE);
}

}  // namespace

CaptionLayer::CaptionLayer(const config::Config& config, FailureSink& failures,
                           CaptionRender render)
    : config_(config),
      failures_(failures),
      render_(render ? std::move(render) : CaptionRender(render_caption)) {
  for (const auto& overlay : config.overlays) {
    Caption caption;
    caption.overlay = &overlay;
    try {
      caption.rectangle = this->render(overlay);
    } catch (const std::exception& e) {
      // Left out; the other captions and the programme go on.
      failures_.failed(part::kCaptions, overlay.id, e.what());
    }
    captions_.push_back(std::move(caption));
  }
}

CaptionLayer::~CaptionLayer() {
  draw_signal_.reset();
}

CaptionLayer::RectanglePtr CaptionLayer::render(const config::Overlay& overlay) const {
  return RectanglePtr(to_rectangle(render_(overlay, config_)));
}

ElementPtr CaptionLayer::make_element(const std::string& path) {
  auto element = engine::make_element("overlaycomposition", "captions", path);
  draw_signal_ =
      SignalConnection::connect(element.get(), "draw", G_CALLBACK(&CaptionLayer::on_draw), this);
  return element;
}

void CaptionLayer::set_visible(std::string_view overlay, bool visible) {
  std::lock_guard lock(mutex_);
  for (auto& caption : captions_) {
    if (caption.overlay->id == overlay && caption.visible != visible) {
      caption.visible = visible;
      caption.changed = true;
    }
  }
}

void CaptionLayer::restart(const std::string& unit) {
  if (unit.empty()) {
    drawing_.store(true);
    return;
  }
  for (auto& caption : captions_) {
    if (caption.overlay->id == unit) {
      RectanglePtr rectangle = render(*caption.overlay);
      std::lock_guard lock(mutex_);
      caption.rectangle = std::move(rectangle);
    }
  }
}

GstVideoOverlayComposition* CaptionLayer::on_draw(GstElement*, GstSample* sample, gpointer data) {
  auto* self = static_cast<CaptionLayer*>(data);
  if (!self->drawing_.load(std::memory_order_relaxed)) {
    return nullptr;
  }
  GstVideoOverlayComposition* composition = nullptr;
  const bool drawn = contain(&self->failures_, part::kCaptions, "", [&] {
    GstBuffer* buffer = gst_sample_get_buffer(sample);
    const GstSegment* segment = gst_sample_get_segment(sample);
    if (buffer != nullptr && segment != nullptr) {
      composition =
          self->draw(gst_segment_to_running_time(segment, GST_FORMAT_TIME, GST_BUFFER_PTS(buffer)));
    }
  });
  if (!drawn) {
    // The frame goes out without captions, and so do the next ones until a restart.
    self->drawing_.store(false);
    if (composition != nullptr) {
      gst_video_overlay_composition_unref(composition);
    }
    return nullptr;
  }
  return composition;
}

GstVideoOverlayComposition* CaptionLayer::draw(GstClockTime running_time) {
  if (!GST_CLOCK_TIME_IS_VALID(running_time)) {
    return nullptr;
  }
  std::lock_guard lock(mutex_);
  GstVideoOverlayComposition* composition = nullptr;
  for (auto& caption : captions_) {
    if (caption.changed) {
      caption.changed = false;
      caption.fade_start = running_time;
      caption.alpha_at_change = caption.alpha;
    }
    const double target = caption.visible ? 1.0 : 0.0;
    const double progress =
        std::clamp(static_cast<double>(running_time - std::min(running_time, caption.fade_start)) /
                       static_cast<double>(kFade),
                   0.0, 1.0);
    caption.alpha = caption.alpha_at_change + (target - caption.alpha_at_change) * progress;
    if (caption.alpha <= 0.0 || !caption.rectangle) {
      continue;
    }
    gst_video_overlay_rectangle_set_global_alpha(caption.rectangle.get(),
                                                 static_cast<float>(caption.alpha));
    if (composition == nullptr) {
      composition = gst_video_overlay_composition_new(caption.rectangle.get());
    } else {
      gst_video_overlay_composition_add_rectangle(composition, caption.rectangle.get());
    }
  }
  return composition;
}

}  // namespace hallcast::engine
