#include "control/mailbox.h"

namespace hallcast::control {

namespace {

// Thumbnails and listening packets: the next one replaces a lost one.
bool is_droppable(const MailItem& item) {
  const auto* event = std::get_if<show::Event>(&item);
  return event != nullptr && (std::holds_alternative<show::Thumbnail>(*event) ||
                              std::holds_alternative<show::ListenPacket>(*event));
}

}  // namespace

void Mailbox::attach(std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  wake_ = std::move(wake);
  items_.clear();
  overflowed_ = false;
}

void Mailbox::detach() {
  std::lock_guard lock(mutex_);
  wake_ = nullptr;
  items_.clear();
}

void Mailbox::post(MailItem item) {
  std::lock_guard lock(mutex_);
  if (!wake_) {
    return;
  }
  // Replies are never dropped (each is owed to a client, and they are bounded by the
  // per-client in-flight limit); events are, when there are too many.
  if (items_.size() >= capacity && std::holds_alternative<show::Event>(item)) {
    overflowed_ = true;
    return;
  }
  // Thumbnails and listening packets give way long before that, and silently, so they
  // must neither crowd out events nor cost everyone a state resend.
  if (items_.size() >= capacity / 2 && is_droppable(item)) {
    return;
  }
  const bool was_empty = items_.empty() && !overflowed_;
  items_.push_back(std::move(item));
  // One wake-up per batch: the service thread takes everything at once.
  if (was_empty) {
    wake_();
  }
}

Mailbox::Batch Mailbox::take() {
  std::lock_guard lock(mutex_);
  Batch batch{std::move(items_), overflowed_};
  items_.clear();
  overflowed_ = false;
  return batch;
}

}  // namespace hallcast::control
