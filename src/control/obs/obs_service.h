// Inside the obs-websocket listener: everything that runs on its libwebsockets service
// thread. Internal to src/control/obs; the public face is obs_server.h.
//
// Threads: the constructor and start() run on the caller's thread before the service
// thread exists, finish() after it has been joined; every other member runs on the
// service thread, so the state below needs no lock. The engine reaches it only through
// the Mailbox.
#pragma once

#include <libwebsockets.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/redactor.h"
#include "control/frame.h"
#include "control/mailbox.h"
#include "control/obs/auth.h"
#include "control/obs/events.h"
#include "control/obs/obs_server.h"
#include "control/obs/requests.h"
#include "control/obs/session.h"
#include "engine/engine.h"

namespace hallcast::control::obs {

class ObsService;

// An lws timer that knows whom to call back. lws hands back a pointer to the sul, its
// first member.
struct Timer {
  lws_sorted_usec_list_t sul{};
  ObsService* service = nullptr;
  lws* wsi = nullptr;  // the connection it is for; null for the server's own timers
};

// The request or batch a connection is running, one request at a time.
struct Running {
  Job job;
  std::vector<Result> results;
  std::optional<EngineWork> work;  // waiting for these commands' replies
  std::vector<show::Reply> replies;
  std::int64_t token = 0;  // matches the replies to this step
  bool pausing = false;    // Sleep in a batch
};

struct Connection {
  std::uint64_t id = 0;  // 0 until established
  Encoding encoding = Encoding::json;
  std::unique_ptr<Session> session;
  std::string incoming;  // a message being put together from its fragments
  std::deque<FramePtr> queue;
  bool dropped = false;  // fell behind; being closed
  bool leaving = false;  // the server is stopping: close once the queue is out
  std::uint64_t messages_in = 0;
  std::uint64_t messages_out = 0;
  std::deque<Job> waiting;
  std::optional<Running> running;
  Timer pause_timer;
};

class ObsService {
 public:
  ObsService(const config::Config& config, ObsOptions options, engine::Engine& engine,
             const common::Redactor& redactor, std::shared_ptr<Mailbox> mailbox);
  ~ObsService();

  void start();          // creates the context and binds; throws ControlError
  void run();            // the service loop, until request_exit()
  void request_wake();   // any thread: deliver the mailbox soon
  void request_close();  // any thread: ExitStarted, then close every client (1001)
  int open_clients() const { return open_clients_.load(); }
  void request_exit();  // any thread: leave run() now
  void finish();        // after run() has returned
  int port() const { return port_; }

  // Timer callbacks (lws, service thread).
  void on_pause_over(lws* wsi);
  void on_meter_tick();
  void on_delayed_due();

 private:
  struct ContextDeleter {
    void operator()(lws_context* context) const { lws_context_destroy(context); }
  };

  static int callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, std::size_t len);
  int dispatch(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len);
  Connection& connection(lws* wsi) { return connections_[wsi]; }

  // Connections and messages (obs_service.cpp)
  bool admit(lws* wsi) const;
  int on_established(lws* wsi, Connection& c);
  int on_receive(lws* wsi, Connection& c, const char* data, std::size_t len);
  int on_writeable(lws* wsi, Connection& c);
  void on_closed(lws* wsi, Connection& c);
  int handle_message(lws* wsi, Connection& c);
  void send(lws* wsi, Connection& c, const nlohmann::json& message);
  void enqueue(lws* wsi, Connection& c, FramePtr frame);
  int close_with(lws* wsi, int code, std::string_view reason);

  // Requests (obs_jobs.cpp)
  void accept_job(lws* wsi, Connection& c, Job job);
  void advance(lws* wsi, Connection& c);
  void complete_step(lws* wsi, Connection& c, Result result);
  void on_reply(const ReplyItem& reply);

  // Events (obs_events.cpp)
  void deliver_mail();
  void broadcast(const ObsEvent& event);
  void broadcast_now(std::string_view type, std::uint32_t intent, const nlohmann::json& data,
                     bool droppable = false);
  void update_meter_timer();
  void say_goodbye();

  // Set before the thread starts, then read-only.
  config::Config config_;
  ObsOptions options_;
  engine::Engine& engine_;
  const common::Redactor& redactor_;
  std::shared_ptr<Mailbox> mailbox_;
  Authentication auth_;
  lws_retry_bo_t idle_policy_{};
  lws_protocols protocols_[3]{};
  std::unique_ptr<lws_context, ContextDeleter> context_;
  int port_ = 0;

  std::atomic<bool> closing_{false};  // any thread
  std::atomic<bool> exiting_{false};  // any thread
  std::atomic<int> open_clients_{0};  // written on the service thread, read by stop()

  // Service thread only.
  std::unordered_map<lws*, Connection> connections_;  // node-based: references stay valid
  std::unordered_map<std::uint64_t, lws*> clients_;
  std::uint64_t next_client_ = 1;
  std::int64_t next_token_ = 1;
  bool goodbye_said_ = false;
  Studio studio_;
  EventTranslator translator_;
  Timer meter_timer_;
  bool meter_timer_running_ = false;
  struct Delayed {
    std::chrono::steady_clock::time_point due;
    ObsEvent event;
  };
  std::deque<Delayed> delayed_;  // in order of `due`
  Timer delayed_timer_;
};

}  // namespace hallcast::control::obs
