#include "engine/video/caption_layer.h"

#include <gst/video/video.h>

#include <algorithm>

#include "engine/gst/gst_build.h"

namespace hallcast::engine {

namespace {

// A pending picture further ahead than this is a clock mapping gone wrong, not a
// countdown's next second: it is shown rather than held back for good.
constexpr GstClockTime kLongestWait = 3 * GST_SECOND;

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

CaptionLayer::CaptionLayer(FailureSink& failures) : failures_(failures) {}

CaptionLayer::~CaptionLayer() {
  draw_signal_.reset();
}

ElementPtr CaptionLayer::make_element(const std::string& path) {
  auto element = engine::make_element("overlaycomposition", "captions", path);
  draw_signal_ =
      SignalConnection::connect(element.get(), "draw", G_CALLBACK(&CaptionLayer::on_draw), this);
  return element;
}

CaptionLayer::Caption* CaptionLayer::find(std::string_view id) {
  auto it = std::find_if(captions_.begin(), captions_.end(),
                         [&](const Caption& caption) { return caption.id == id; });
  return it == captions_.end() ? nullptr : &*it;
}

void CaptionLayer::set_image(const std::string& id, const CaptionImage& image, GstClockTime from) {
  // The copy into a GstBuffer happens here, on the caller's thread.
  RectanglePtr rectangle(to_rectangle(image));
  RectanglePtr old;
  {
    std::lock_guard lock(mutex_);
    Caption* caption = find(id);
    if (caption == nullptr) {
      captions_.push_back(Caption{});
      caption = &captions_.back();
      caption->id = id;
    } else if (caption->removing) {
      // Made again while the old one faded out: it starts hidden, as a new one does.
      caption->removing = false;
      caption->visible = false;
      caption->changed = true;
    }
    old = std::move(caption->pending);
    caption->pending = std::move(rectangle);
    caption->has_pending = true;
    caption->pending_from = from;
  }
  // `old` is let go here, outside the lock.
}

bool CaptionLayer::set_visible(std::string_view overlay, bool visible, bool at_once) {
  std::lock_guard lock(mutex_);
  Caption* caption = find(overlay);
  if (caption == nullptr || caption->removing) {
    return false;
  }
  if (caption->visible != visible || at_once) {
    caption->visible = visible;
    caption->changed = true;
    caption->at_once = at_once;
  }
  return true;
}

void CaptionLayer::remove(std::string_view overlay) {
  std::lock_guard lock(mutex_);
  if (Caption* caption = find(overlay)) {
    caption->removing = true;
    if (caption->visible) {
      caption->visible = false;
      caption->changed = true;
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
  // Pictures let go of are released after the lock: the composition holds its own
  // references to what it shows.
  std::vector<RectanglePtr> retired;
  GstVideoOverlayComposition* composition = nullptr;
  std::lock_guard lock(mutex_);
  for (auto& caption : captions_) {
    if (caption.has_pending && (running_time >= caption.pending_from ||
                                caption.pending_from > running_time + kLongestWait)) {
      retired.push_back(std::move(caption.rectangle));
      caption.rectangle = std::move(caption.pending);
      caption.has_pending = false;
    }
    if (caption.changed) {
      caption.changed = false;
      caption.fade_start = running_time;
      caption.alpha_at_change = caption.at_once ? (caption.visible ? 1.0 : 0.0) : caption.alpha;
      caption.at_once = false;
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
  // Forgotten once faded out; their pictures go with them.
  for (auto it = captions_.begin(); it != captions_.end();) {
    if (it->removing && it->alpha <= 0.0) {
      retired.push_back(std::move(it->rectangle));
      retired.push_back(std::move(it->pending));
      it = captions_.erase(it);
    } else {
      ++it;
    }
  }
  return composition;
}

}  // namespace hallcast::engine
