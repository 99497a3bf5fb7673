#include "control/obs/obs_server.h"

#include <chrono>
#include <thread>

#include "common/thread_name.h"
#include "control/listen_address.h"
#include "control/mailbox.h"
#include "control/obs/obs_service.h"
#include "control/server.h"

namespace hallcast::control::obs {
namespace {

// Out of the SPEC's 5 s for stopping, this listener's share.
constexpr std::chrono::milliseconds close_grace{500};

}  // namespace

std::vector<config::Problem> check_listener(const config::Control& control,
                                            const config::Secret& password) {
  std::vector<config::Problem> problems;
  if (control.obs_websocket && password.empty() && !is_loopback_host(control.obs_websocket->host)) {
    problems.push_back({"control.obs_websocket.listen",
                        "listening on " + control.obs_websocket->host + " needs a password: set " +
                            control.obs_websocket->password_env +
                            " (without one, only a loopback address is allowed)"});
  }
  return problems;
}

struct ObsServer::Impl {
  Impl(const config::Config& config, ObsOptions options, engine::Engine& engine,
       const common::Redactor& redactor)
      : mailbox(std::make_shared<Mailbox>()),
        service(config, std::move(options), engine, redactor, mailbox) {
    // The listener belongs to the engine and may outlive the server: it holds the
    // mailbox, which drops everything once the server has detached. Thumbnails are
    // and what operators listen to are for the panel only.
    engine.add_listener([mailbox = mailbox](const show::Event& event) {
      if (!std::holds_alternative<show::Thumbnail>(event) &&
          !std::holds_alternative<show::ListenPacket>(event)) {
        mailbox->post(event);
      }
    });
  }

  std::shared_ptr<Mailbox> mailbox;
  ObsService service;
  std::thread thread;
  bool running = false;
};

ObsServer::ObsServer(const config::Config& config, ObsOptions options, engine::Engine& engine,
                     const common::Redactor& redactor) {
  const auto problems = check_listener(config.control, options.password);
  if (!problems.empty()) {
    throw ControlError("obs-websocket: " + problems.front().to_string());
  }
  impl_ = std::make_unique<Impl>(config, std::move(options), engine, redactor);
}

ObsServer::~ObsServer() {
  stop();
}

void ObsServer::start() {
  if (impl_->running) {
    return;
  }
  impl_->service.start();
  impl_->mailbox->attach([this] { impl_->service.request_wake(); });
  impl_->thread = std::thread([this] {
    common::name_this_thread("obs-websocket");
    impl_->service.run();
  });
  impl_->running = true;
}

void ObsServer::stop() {
  if (!impl_ || !impl_->running) {
    return;
  }
  impl_->running = false;
  impl_->mailbox->detach();
  // Clients hear ExitStarted and a close (1001), and get a moment to answer.
  impl_->service.request_close();
  const auto deadline = std::chrono::steady_clock::now() + close_grace;
  while (impl_->service.open_clients() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  impl_->service.request_exit();
  impl_->thread.join();
  impl_->service.finish();
}

int ObsServer::port() const {
  return impl_->service.port();
}

}  // namespace hallcast::control::obs
