#include "engine/outputs/rtmp_destination.h"

#include "config/rtmp_target.h"
#include "engine/gst/build_error.h"
#include "engine/gst/gst_build.h"
#include "engine/outputs/peer_reading.h"
#include "engine/outputs/tagged_socket.h"

namespace hallcast::engine {

using config::parse_rtmp_target;

namespace {

class RtmpProgress : public ProgressSensor {
 public:
  RtmpProgress(ElementPtr sink, std::uint32_t tag_kbps)
      : sink_(std::move(sink)), socket_(tag_kbps), tagged_(tag_kbps != 0) {}

  Progress read() override {
    Progress progress;
    progress.bytes = written();
    progress.reached = progress.bytes > 0;
    if (tagged_) {
      if (const auto sample = socket_.sample()) {
        progress.stuck = reading_.add(*sample);
      }
    }
    return progress;
  }

 private:
  // What the connection wrote; rtmp2sink reports zeros until the stream is published.
  std::uint64_t written() const {
    if (!has_property(sink_.get(), "stats")) {
      return 0;
    }
    GstStructure* raw = nullptr;
    g_object_get(sink_.get(), "stats", &raw, nullptr);
    StructurePtr stats(raw);
    guint64 out = 0;
    return stats && gst_structure_get_uint64(stats.get(), "out-bytes-total", &out) ? out : 0;
  }

  ElementPtr sink_;
  TaggedSocket socket_;
  PeerReading reading_;
  bool tagged_;
};

}  // namespace

RtmpDestination::RtmpDestination(DestinationContext context) : Destination(std::move(context)) {}

std::string RtmpDestination::unstartable_reason() const {
  if (context().key.empty() && !config().key_env.empty()) {
    return "stream key variable " + config().key_env + " is not set";
  }
  return {};
}

BuiltPipeline RtmpDestination::build(const std::vector<std::string>& languages) {
  Muxed muxed = build_muxed(languages, false);
  GstElement* sink = muxed.sink.get();
  auto target = parse_rtmp_target(config().url, context().key);
  if (!target) {
    throw BuildError(context().path + ".url", "not a usable rtmp:// or rtmps:// URL");
  }
  if (has_property(sink, "stream")) {
    set_property_from_string(sink, "scheme", target->scheme.c_str());
    g_object_set(sink, "host", target->host.c_str(), "port", target->port, "application",
                 target->application.c_str(), "stream", target->stream.c_str(), nullptr);
  } else if (has_property(sink, "location")) {
    const std::string location = target->public_url() + "/" + target->stream;
    g_object_set(sink, "location", location.c_str(), nullptr);
  }
  tag_kbps_ = 0;
  if (has_property(sink, "peak-kbps")) {
    tag_kbps_ = TaggedSocket::next_tag_kbps();
    g_object_set(sink, "peak-kbps", guint{tag_kbps_}, nullptr);
  }
  sink_ = std::move(muxed.sink);
  return std::move(muxed.built);
}

std::string RtmpDestination::describe() const {
  auto target = parse_rtmp_target(config().url, context().key);
  return "connecting to " + (target ? target->public_url() : std::string("?"));
}

std::unique_ptr<ProgressSensor> RtmpDestination::sensor(BuiltPipeline&, FeedSession&) {
  return std::make_unique<RtmpProgress>(std::move(sink_), tag_kbps_);
}

}  // namespace hallcast::engine
