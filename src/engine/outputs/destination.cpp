#include "engine/outputs/destination.h"

#include <cmath>

#include "engine/gst/build_error.h"
#include "engine/gst/gst_build.h"
#include "engine/outputs/hls_destination.h"
#include "engine/outputs/record_destination.h"
#include "engine/outputs/rtmp_destination.h"
#include "engine/outputs/srt_destination.h"
#include "engine/outputs/track_names.h"

namespace hallcast::engine {

bool has_property(GstElement* element, const char* name) {
  return g_object_class_find_property(G_OBJECT_GET_CLASS(element), name) != nullptr;
}

std::string factory_name(GstElement* element) {
  GstElementFactory* factory = gst_element_get_factory(element);
  return factory != nullptr ? GST_OBJECT_NAME(factory) : "";
}

std::string Destination::render(const TemplateValues& values) const {
  const std::string name = "output-" + std::string(config::to_string(config().type));
  try {
    return context_.templates.render(name, values);
  } catch (const TemplateError& e) {
    throw BuildError(context_.path + ".type", e.what());
  }
}

GstElement* Destination::add_feed(GstBin* bin, const std::string& language, GstElement* mux,
                                  bool transport_stream) const {
  const std::string& path = context_.path;
  const bool video = language.empty();
  auto appsrc = make_element("appsrc", video ? "feed-video" : "feed-" + language, path);
  // No caps until the first buffer brings the encoder's exact ones (with codec data).
  g_object_set(appsrc.get(), "format", GST_FORMAT_TIME, "is-live", FALSE, "block", FALSE,
               "max-bytes", guint64{0}, "max-buffers", guint64{0}, "max-time", guint64{0}, nullptr);
  CapsPtr caps = video ? FeedSession::video_link_caps() : FeedSession::audio_link_caps();
  GstElement* first = appsrc.get();
  gst_bin_add(bin, first);
  GstElement* last = first;
  if (video && transport_stream) {
    // MPEG-TS carries H.264 as a byte stream, with the parameter sets before every
    // keyframe so that a receiver joining mid-stream can decode.
    auto parse = make_element("h264parse", "parse-video", path);
    g_object_set(parse.get(), "config-interval", -1, nullptr);
    caps.reset(gst_caps_from_string("video/x-h264,stream-format=byte-stream,alignment=au"));
    last = parse.get();
    gst_bin_add(bin, last);
    link_or_throw(first, last, path + ".type");
  }
  if (!video) {
    // The language travels with the track wherever the container can carry it (FLV
    // cannot: an RTMP destination that switches language keeps its first tag unseen).
    auto tags = make_element("taginject", "tags-" + language, path);
    const std::string tag_text = "language-code=" + track_language_code(language) + ",title=\"" +
                                 track_title(language) + "\"";
    g_object_set(tags.get(), "tags", tag_text.c_str(), nullptr);
    last = tags.get();
    gst_bin_add(bin, last);
    link_or_throw(first, last, path + ".type");
  }
  link_to_mux(last, mux, caps.get(), path + ".type");
  return first;
}

Destination::Muxed Destination::build_muxed(const std::vector<std::string>& languages,
                                            bool transport_stream) const {
  const auto segment_ns = static_cast<std::uint64_t>(
      std::llround(config::segment_seconds(config(), context_.video) * 1e9));
  const std::string text =
      render({{"id", config().id}, {"segment_ns", std::to_string(segment_ns)}});
  const std::string& path = context_.path;
  Muxed result;
  result.built.pipeline =
      PipelineOwner(parse_pipeline(text, "output-" + config().id, path + ".type"));
  GstElement* pipeline = result.built.pipeline.get();
  result.mux = child_by_name(pipeline, "mux", path + ".type");
  // A muxer that writes its own files (splitmuxsink) is its own sink.
  result.sink = adopt(gst_bin_get_by_name(GST_BIN(pipeline), "sink"));
  if (!result.sink) {
    result.sink = sink_floating(result.mux.get());
  }
  GstBin* bin = result.built.pipeline.bin();
  result.built.feeds.push_back(add_feed(bin, "", result.mux.get(), transport_stream));
  for (const auto& language : languages) {
    result.built.feeds.push_back(add_feed(bin, language, result.mux.get(), transport_stream));
  }
  return result;
}

std::unique_ptr<Destination> make_destination(DestinationContext context) {
  switch (context.config.type) {
    case config::OutputType::rtmp:
      return std::make_unique<RtmpDestination>(std::move(context));
    case config::OutputType::srt:
      return std::make_unique<SrtDestination>(std::move(context));
    case config::OutputType::hls:
      return std::make_unique<HlsDestination>(std::move(context));
    case config::OutputType::record:
      break;
  }
  return std::make_unique<RecordDestination>(std::move(context));
}

}  // namespace hallcast::engine
