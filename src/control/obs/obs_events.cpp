// Events to obs-websocket clients: each engine event is translated once, encoded once
// per encoding, and queued for every identified client subscribed to its category.
// InputVolumeMeters go out every 50 ms while someone wants them; a fade's end goes out
// when the fade is over.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "control/obs/obs_service.h"

namespace hallcast::control::obs {
namespace {

// OBS sends its meters every 50 ms.
constexpr auto meter_interval = std::chrono::milliseconds(50);

void meter_tick(lws_sorted_usec_list_t* sul) {
  reinterpret_cast<Timer*>(sul)->service->on_meter_tick();
}

void delayed_due(lws_sorted_usec_list_t* sul) {
  reinterpret_cast<Timer*>(sul)->service->on_delayed_due();
}

lws_usec_t microseconds(std::chrono::steady_clock::duration d) {
  return std::max<lws_usec_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(d).count());
}

}  // namespace

void ObsService::deliver_mail() {
  auto batch = mailbox_->take();
  for (auto& item : batch.items) {
    if (const auto* reply = std::get_if<ReplyItem>(&item)) {
      on_reply(*reply);
      continue;
    }
    const auto& event = std::get<show::Event>(item);
    const auto snapshot = engine_.snapshot();
    for (auto& obs_event : translator_.translate(event, *snapshot, studio_)) {
      broadcast(obs_event);
    }
  }
  if (batch.overflowed) {
    spdlog::warn("obs-websocket: events came faster than they could be sent; some were lost");
    translator_.reset(*engine_.snapshot());
  }
}

void ObsService::broadcast(const ObsEvent& event) {
  if (event.delay.count() <= 0) {
    broadcast_now(event.type, event.intent, event.data);
    return;
  }
  const auto due = std::chrono::steady_clock::now() + event.delay;
  const auto at = std::upper_bound(delayed_.begin(), delayed_.end(), due,
                                   [](auto time, const Delayed& d) { return time < d.due; });
  delayed_.insert(at, Delayed{due, event});
  lws_sul_schedule(context_.get(), 0, &delayed_timer_.sul, delayed_due,
                   microseconds(delayed_.front().due - std::chrono::steady_clock::now()));
}

void ObsService::on_delayed_due() {
  const auto now = std::chrono::steady_clock::now();
  while (!delayed_.empty() && delayed_.front().due <= now) {
    const ObsEvent event = std::move(delayed_.front().event);
    delayed_.pop_front();
    broadcast_now(event.type, event.intent, event.data);
  }
  if (!delayed_.empty()) {
    lws_sul_schedule(context_.get(), 0, &delayed_timer_.sul, delayed_due,
                     microseconds(delayed_.front().due - now));
  }
}

void ObsService::broadcast_now(std::string_view type, std::uint32_t intent,
                               const nlohmann::json& data, bool droppable) {
  // Encoded at most once per encoding, for the first client that takes it.
  FramePtr frames[2];
  const nlohmann::json message = event_message(type, intent, data);
  for (const auto& [client, wsi] : clients_) {
    Connection& c = connection(wsi);
    if (!c.session || !c.session->wants(intent) || c.dropped || c.leaving) {
      continue;
    }
    // Meters are droppable: a client that has fallen behind skips them and keeps its
    // queue for the events it must not miss.
    if (droppable && c.queue.size() > options_.max_queued_frames / 2) {
      continue;
    }
    FramePtr& frame = frames[c.encoding == Encoding::json ? 0 : 1];
    if (!frame) {
      const std::string bytes = encode(c.encoding, message);
      frame = c.encoding == Encoding::json
                  ? std::make_shared<Frame>(redactor_.scrub(bytes), Frame::Kind::text)
                  : std::make_shared<Frame>(bytes, Frame::Kind::binary);
    }
    enqueue(wsi, c, frame);
  }
}

void ObsService::update_meter_timer() {
  const bool wanted = std::any_of(clients_.begin(), clients_.end(), [this](const auto& entry) {
    const Connection& c = connection(entry.second);
    return c.session && c.session->wants(subscription::input_volume_meters);
  });
  if (wanted && !meter_timer_running_) {
    meter_timer_running_ = true;
    lws_sul_schedule(context_.get(), 0, &meter_timer_.sul, meter_tick,
                     microseconds(meter_interval));
  }
}

void ObsService::on_meter_tick() {
  meter_timer_running_ = false;
  const auto snapshot = engine_.snapshot();
  broadcast_now("InputVolumeMeters", subscription::input_volume_meters,
                translator_.volume_meters(*snapshot), true);
  // Runs again only while someone still wants the meters.
  update_meter_timer();
}

void ObsService::say_goodbye() {
  goodbye_said_ = true;
  broadcast_now("ExitStarted", subscription::general, nullptr);
  for (const auto& [client, wsi] : clients_) {
    Connection& c = connection(wsi);
    c.leaving = true;
    // The close frame goes out once ExitStarted has.
    lws_callback_on_writable(wsi);
  }
}

}  // namespace hallcast::control::obs
