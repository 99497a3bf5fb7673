#include "engine/outputs/srt_destination.h"

#include <atomic>

#include "engine/outputs/byte_counter.h"
#include "engine/outputs/callback_guard.h"
#include "engine/outputs/srt_uri.h"

namespace hallcast::engine {

namespace {

class SrtProgress : public ProgressSensor {
 public:
  SrtProgress(GstElement* sink, bool listener, const std::vector<GstElement*>& feeds,
              FeedSession& session)
      : listener_(listener), session_(session) {
    for (GstElement* feed : feeds) {
      counter_.count(feed);
    }
    if (listener_ && g_signal_lookup("caller-added", G_OBJECT_TYPE(sink)) != 0) {
      added_ = SignalConnection(
          sink, g_signal_connect(sink, "caller-added", G_CALLBACK(&SrtProgress::on_added), this));
      removed_ = SignalConnection(
          sink,
          g_signal_connect(sink, "caller-removed", G_CALLBACK(&SrtProgress::on_removed), this));
    }
  }

  Progress read() override {
    Progress progress;
    const std::uint64_t total = counter_.bytes();
    const int callers = callers_.load();
    // With nobody connected a listener drops what it is given: nothing went out.
    if (listener_ && callers == 0) {
      dropped_ += total - std::min(total, counted_ + dropped_);
    }
    counted_ = total - std::min(total, dropped_);
    progress.bytes = counted_;
    progress.reached = listener_ ? callers > 0 : counted_ > 0;
    progress.waiting_is_normal = listener_;
    return progress;
  }

 private:
  // SRT's own thread. A receiver that just joined gets a stream it can decode from
  // its first packet.
  static void on_added(GstElement*, gint, gpointer, gpointer data) {
    auto* self = static_cast<SrtProgress*>(data);
    guarded(
        [self] {
          self->callers_.fetch_add(1);
          self->session_.restart_at_next_keyframe();
        },
        [](const std::string&) {});
  }
  static void on_removed(GstElement*, gint, gpointer, gpointer data) {
    static_cast<SrtProgress*>(data)->callers_.fetch_sub(1);
  }

  const bool listener_;
  FeedSession& session_;
  std::atomic<int> callers_{0};  // written on SRT's thread
  std::uint64_t counted_ = 0;    // engine thread: bytes that went to a receiver
  std::uint64_t dropped_ = 0;    // engine thread: bytes taken while nobody listened
  ByteCounter counter_;
  // Last: disconnected first, before anything they touch goes.
  SignalConnection added_;
  SignalConnection removed_;
};

}  // namespace

SrtDestination::SrtDestination(DestinationContext context) : Destination(std::move(context)) {}

BuiltPipeline SrtDestination::build(const std::vector<std::string>& languages) {
  Muxed muxed = build_muxed(languages, true);
  GstElement* sink = muxed.sink.get();
  listener_ = false;
  if (has_property(sink, "uri")) {
    const SrtUri srt = srt_uri(config().url);
    g_object_set(sink, "uri", srt.uri.c_str(), nullptr);
    listener_ = srt.listener;
  }
  // The key is the stream id an SRT receiver routes and authorises by.
  if (!context().key.empty() && has_property(sink, "streamid")) {
    g_object_set(sink, "streamid", context().key.c_str(), nullptr);
  }
  sink_ = std::move(muxed.sink);
  return std::move(muxed.built);
}

std::string SrtDestination::describe() const {
  return listener_ ? "waiting for SRT callers" : "calling the SRT receiver";
}

std::unique_ptr<ProgressSensor> SrtDestination::sensor(BuiltPipeline& built, FeedSession& session) {
  auto progress = std::make_unique<SrtProgress>(sink_.get(), listener_, built.feeds, session);
  sink_.reset();
  return progress;
}

}  // namespace hallcast::engine
