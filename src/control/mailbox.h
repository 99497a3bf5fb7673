// The hand-over from the engine thread to the control server's service thread.
//
// Engine listeners and command callbacks run on the engine thread, which must never
// wait for a client. They only post a typed item here (a copy and a short lock) and
// wake the service thread, which serialises each event once and fans it out. The
// mailbox is shared with the engine's listener, which outlives the server: once the
// server detaches, posts are dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <variant>
#include <vector>

#include "control/protocol.h"
#include "show/commands.h"
#include "show/events.h"

namespace hallcast::control {

// The engine's answer to one client's command.
struct ReplyItem {
  std::uint64_t client = 0;
  RequestId id;
  show::Reply reply;
  bool then_state = false;  // state.get: a state event follows the reply
};

using MailItem = std::variant<show::Event, ReplyItem>;

class Mailbox {
 public:
  // Past this many undelivered items the service thread is not keeping up; further
  // events are dropped and every client is sent a fresh snapshot instead, which
  // carries the same information. Multiview thumbnails are dropped, without a
  // resend, from half this on.
  static constexpr std::size_t capacity = 10'000;

  // `wake` is called (under the mailbox lock) when an item lands in an empty mailbox;
  // it must be quick and thread-safe (lws_cancel_service is).
  void attach(std::function<void()> wake);
  void detach();

  // Any thread.
  void post(MailItem item);

  struct Batch {
    std::vector<MailItem> items;
    bool overflowed = false;  // events were dropped: resend the state
  };
  // The service thread: everything posted so far, oldest first.
  Batch take();

 private:
  std::mutex mutex_;  // guards everything below
  std::function<void()> wake_;
  std::vector<MailItem> items_;
  bool overflowed_ = false;
};

}  // namespace hallcast::control
