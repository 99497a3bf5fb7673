#include "engine/outputs/attempt.h"

namespace hallcast::engine {

Attempt::Attempt(Destination& destination, BuiltPipeline built, std::vector<StreamTap*> taps,
                 std::chrono::milliseconds max_queue, FeedSession::OnFailure on_failure)
    : taps_(std::move(taps)),
      session_(std::make_unique<FeedSession>(built.feeds, max_queue, std::move(on_failure))),
      built_(std::move(built)) {
  sensor_ = destination.sensor(built_, *session_);
}

Attempt::~Attempt() {
  detach();
  bus_watch_.reset();
  built_.pipeline.reset();
}

bool Attempt::watch(GMainContext* context, GstBusFunc handler, gpointer data) {
  BusPtr bus = adopt(gst_element_get_bus(built_.pipeline.get()));
  if (!bus) {
    return false;
  }
  bus_watch_.reset(gst_bus_create_watch(bus.get()));
  if (!bus_watch_) {
    return false;
  }
  g_source_set_callback(bus_watch_.get(), G_SOURCE_FUNC(handler), data, nullptr);
  g_source_attach(bus_watch_.get(), context);
  return true;
}

bool Attempt::play() {
  return gst_element_set_state(built_.pipeline.get(), GST_STATE_PLAYING) !=
         GST_STATE_CHANGE_FAILURE;
}

void Attempt::attach() {
  if (attached_) {
    return;
  }
  for (std::size_t slot = 0; slot < taps_.size(); ++slot) {
    taps_[slot]->add(session_.get(), static_cast<int>(slot));
  }
  attached_ = true;
}

void Attempt::detach() {
  if (!attached_) {
    return;
  }
  for (StreamTap* tap : taps_) {
    tap->remove(session_.get());
  }
  attached_ = false;
}

void Attempt::switch_audio(StreamTap* tap) {
  if (taps_.size() < 2 || taps_[1] == tap) {
    return;
  }
  if (attached_) {
    // remove() returns only once the old track's thread has let go of the session, so
    // the slot never has two feeders at once.
    taps_[1]->remove(session_.get());
    tap->add(session_.get(), 1);
  }
  taps_[1] = tap;
}

bool Attempt::finish(std::chrono::steady_clock::time_point deadline) {
  detach();
  session_->end_of_stream();
  BusPtr bus = adopt(gst_element_get_bus(built_.pipeline.get()));
  const auto left = deadline - std::chrono::steady_clock::now();
  if (!bus || left <= std::chrono::nanoseconds::zero()) {
    return false;
  }
  const auto wait = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
  MessagePtr message(
      gst_bus_timed_pop_filtered(bus.get(), static_cast<GstClockTime>(wait),
                                 static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR)));
  return message && GST_MESSAGE_TYPE(message.get()) == GST_MESSAGE_EOS;
}

}  // namespace hallcast::engine
