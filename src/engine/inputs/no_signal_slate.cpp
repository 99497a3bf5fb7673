#include "engine/inputs/no_signal_slate.h"

#include <gst/video/video.h>

#include <cstring>
#include <memory>

#include "engine/video/caption_renderer.h"

namespace hallcast::engine {

namespace {

struct ConverterFree {
  void operator()(GstVideoConverter* p) const { gst_video_converter_free(p); }
};

}  // namespace

BufferPtr render_slate(const std::string& text, const std::string& label, int width, int height) {
  const CaptionImage image = render_title(text + "\n" + label, width, height);
  if (image.empty() || image.width != width || image.height != height) {
    return nullptr;
  }
  GstVideoInfo in;
  GstVideoInfo out;
  gst_video_info_set_format(&in, GST_VIDEO_FORMAT_BGRA, width, height);
  gst_video_info_set_format(&out, GST_VIDEO_FORMAT_I420, width, height);
  BufferPtr source(gst_buffer_new_allocate(nullptr, GST_VIDEO_INFO_SIZE(&in), nullptr));
  BufferPtr slate(gst_buffer_new_allocate(nullptr, GST_VIDEO_INFO_SIZE(&out), nullptr));
  GstVideoFrame from;
  GstVideoFrame to;
  if (!gst_video_frame_map(&from, &in, source.get(), GST_MAP_WRITE)) {
    return nullptr;
  }
  auto* rows = static_cast<std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&from, 0));
  const int stride = GST_VIDEO_FRAME_PLANE_STRIDE(&from, 0);
  for (int y = 0; y < height; ++y) {
    std::memcpy(rows + static_cast<std::size_t>(y) * stride,
                image.pixels.data() + static_cast<std::size_t>(y) * image.stride,
                static_cast<std::size_t>(width) * 4);
  }
  gst_video_frame_unmap(&from);
  if (!gst_video_frame_map(&from, &in, source.get(), GST_MAP_READ)) {
    return nullptr;
  }
  if (!gst_video_frame_map(&to, &out, slate.get(), GST_MAP_WRITE)) {
    gst_video_frame_unmap(&from);
    return nullptr;
  }
  std::unique_ptr<GstVideoConverter, ConverterFree> converter(
      gst_video_converter_new(&in, &out, nullptr));
  gst_video_converter_frame(converter.get(), &from, &to);
  gst_video_frame_unmap(&to);
  gst_video_frame_unmap(&from);
  return slate;
}

}  // namespace hallcast::engine
