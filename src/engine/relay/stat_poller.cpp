#include "engine/relay/stat_poller.h"

#include <libsoup/soup.h>

namespace hallcast::engine {

namespace {

// Seconds a request may take, connecting included: well within the next poll.
constexpr guint kTimeoutS = 2;

}  // namespace

struct StatPoller::Request {
  std::weak_ptr<StatPoller*> poller;
  GObjectPtr<SoupMessage> message;
};

StatPoller::StatPoller(EngineThread& thread, FailureSink* failures, std::string url, Reading read)
    : failures_(failures),
      url_(std::move(url)),
      read_(std::move(read)),
      session_(soup_session_new_with_options("timeout", kTimeoutS, "idle-timeout", 30, nullptr)),
      cancellable_(g_cancellable_new()),
      self_(std::make_shared<StatPoller*>(this)) {
  timer_ = thread.add_timer(kIntervalMs, [this] { poll(); });
  poll();
}

StatPoller::~StatPoller() {
  timer_.reset();
  self_.reset();
  g_cancellable_cancel(cancellable_.get());
}

void StatPoller::poll() {
  if (in_flight_) {
    return;
  }
  GObjectPtr<SoupMessage> message(soup_message_new(SOUP_METHOD_GET, url_.c_str()));
  if (!message) {
    read_(std::nullopt, "not a usable URL");
    return;
  }
  in_flight_ = true;
  SoupMessage* raw = message.get();
  auto* request = new Request{self_, std::move(message)};
  soup_session_send_and_read_async(session_.get(), raw, G_PRIORITY_DEFAULT, cancellable_.get(),
                                   &StatPoller::on_answer, request);
}

void StatPoller::on_answer(GObject* session, GAsyncResult* result, gpointer data) {
  std::unique_ptr<Request> request(static_cast<Request*>(data));
  GError* raw = nullptr;
  GBytes* body = soup_session_send_and_read_finish(SOUP_SESSION(session), result, &raw);
  const ErrorPtr error(raw);
  std::unique_ptr<GBytes, void (*)(GBytes*)> owned(body, [](GBytes* b) {
    if (b != nullptr) {
      g_bytes_unref(b);
    }
  });
  const auto poller = request->poller.lock();
  if (!poller) {
    return;  // cancelled with its poller
  }
  StatPoller* self = *poller;
  const std::string failure = error ? (error->message ? error->message : "request failed") : "";
  const unsigned status = soup_message_get_status(request->message.get());
  contain(self->failures_, part::kEngine, "relay statistics",
          [&] { self->answered(body, status, failure); });
}

void StatPoller::answered(GBytes* body, unsigned status, const std::string& failure) {
  in_flight_ = false;
  if (!failure.empty()) {
    read_(std::nullopt, failure);
    return;
  }
  if (status != SOUP_STATUS_OK) {
    read_(std::nullopt, "answered HTTP " + std::to_string(status));
    return;
  }
  gsize size = 0;
  const auto* data = static_cast<const char*>(g_bytes_get_data(body, &size));
  std::string error;
  auto stat = parse_rtmp_stat(std::string_view(data == nullptr ? "" : data, size), error);
  read_(std::move(stat), error);
}

}  // namespace hallcast::engine
