#include "engine/video/caption_layer.h"

#include <gst/video/video.h>

#include <algorithm>
#include <cstring>

#include "engine/gst/gst_build.h"
#include "engine/video/caption_renderer.h"

namespace hallcast::engine {

namespace {

GstVideoOverlayRectangle* to_rectangle(const CaptionImage& image) {
  if (image.empty()) {
    return nullptr;
  }
  const gsize size = static_cast<gsize>(image.stride) * image.height;
  GstBuffer* buffer = gst_buffer_new_allocate(nullptr, size, nullptr);
  gst_buffer_fill(buffer, 0, image.pixels.data(), std::min<gsize>(size, image.pixels.size()));
  gint strides[GST_VIDEO_MAX_PLANES] = {image.stride};
  gsize offsets[GST_VIDEO_MAX_PLANES] = {0};
  gst_buffer_add_video_meta_full(buffer, GST_VIDEO_FRAME_FLAG_NONE,
                                 GST_VIDEO_OVERLAY_COMPOSITION_FORMAT_RGB, image.width,
                                 image.height, 1, offsets, strides);
  // Straight alpha, as the renderer makes it: no premultiplied flag.
  GstVideoOverlayRectangle* rectangle = gst_video_overlay_rectangle_new_raw(
      buffer, image.x, image.y, image.width, image.height, GST_VIDEO_OVERLAY_FORMAT_FLAG_NONE);
  gst_buffer_unref(buffer);
  return rectangle;
}

}  // namespace

CaptionLayer::CaptionLayer(const config::Config& config) {
  const int w = config.video.width;
  const int h = config.video.height;
  for (const auto& overlay : config.overlays) {
    CaptionImage image;
    if (overlay.type == config::OverlayType::lower_third) {
      if (const auto* speaker = config.find_speaker(overlay.speaker)) {
        image = render_lower_third(speaker->name, speaker->role, w, h);
      }
    } else {
      image = render_title(overlay.text, w, h);
    }
    Caption caption;
    caption.id = overlay.id;
    caption.rectangle = to_rectangle(image);
    captions_.push_back(std::move(caption));
  }
}

CaptionLayer::~CaptionLayer() {
  draw_signal_.reset();
  for (auto& caption : captions_) {
    if (caption.rectangle != nullptr) {
      gst_video_overlay_rectangle_unref(caption.rectangle);
    }
  }
}

ElementPtr CaptionLayer::make_element(const std::string& path) {
  auto element = engine::make_element("overlaycomposition", "captions", path);
  draw_signal_ = SignalConnection(
      element.get(),
      g_signal_connect(element.get(), "draw", G_CALLBACK(&CaptionLayer::on_draw), this));
  return element;
}

bool CaptionLayer::set_visible(std::string_view overlay, bool visible) {
  std::lock_guard lock(mutex_);
  for (auto& caption : captions_) {
    if (caption.id == overlay) {
      if (caption.visible != visible) {
        caption.visible = visible;
        caption.changed = true;
      }
      return true;
    }
  }
  return false;
}

GstVideoOverlayComposition* CaptionLayer::on_draw(GstElement*, GstSample* sample, gpointer self) {
  GstBuffer* buffer = gst_sample_get_buffer(sample);
  const GstSegment* segment = gst_sample_get_segment(sample);
  if (buffer == nullptr || segment == nullptr) {
    return nullptr;
  }
  const GstClockTime running =
      gst_segment_to_running_time(segment, GST_FORMAT_TIME, GST_BUFFER_PTS(buffer));
  return static_cast<CaptionLayer*>(self)->draw(running);
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
    if (caption.alpha <= 0.0 || caption.rectangle == nullptr) {
      continue;
    }
    gst_video_overlay_rectangle_set_global_alpha(caption.rectangle,
                                                 static_cast<float>(caption.alpha));
    if (composition == nullptr) {
      composition = gst_video_overlay_composition_new(caption.rectangle);
    } else {
      gst_video_overlay_composition_add_rectangle(composition, caption.rectangle);
    }
  }
  return composition;
}

}  // namespace hallcast::engine
