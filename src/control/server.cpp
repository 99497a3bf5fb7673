#include "control/server.h"

#include <chrono>
#include <thread>

#include "common/thread_name.h"
#include "control/mailbox.h"
#include "control/service.h"

namespace hallcast::control {

namespace {

// Out of the SPEC's 5 s for stopping, the control server's share.
constexpr std::chrono::milliseconds close_grace{500};

}  // namespace

struct ControlServer::Impl {
  Impl(const config::Control& control, ServerOptions options, engine::Engine& engine,
       const common::Redactor& redactor)
      : mailbox(std::make_shared<Mailbox>()),
        service(control, std::move(options), engine, redactor, mailbox) {
    // The listener belongs to the engine and may outlive the server: it holds the
    // mailbox, which drops everything once the server has detached.
    engine.add_listener([mailbox = mailbox](const show::Event& event) { mailbox->post(event); });
  }

  std::shared_ptr<Mailbox> mailbox;
  Service service;
  std::thread thread;
  bool bound = false;
  bool running = false;
};

ControlServer::ControlServer(const config::Control& control, ServerOptions options,
                             engine::Engine& engine, const common::Redactor& redactor)
    : impl_(std::make_unique<Impl>(control, std::move(options), engine, redactor)) {}

ControlServer::~ControlServer() {
  stop();
}

void ControlServer::listen() {
  if (impl_->bound) {
    return;
  }
  impl_->service.start();
  impl_->bound = true;
}

void ControlServer::start() {
  if (impl_->running) {
    return;
  }
  listen();
  impl_->mailbox->attach([this] { impl_->service.request_wake(); });
  impl_->thread = std::thread([this] {
    common::name_this_thread("control");
    impl_->service.run();
  });
  impl_->running = true;
}

void ControlServer::stop() {
  if (!impl_->running) {
    return;
  }
  impl_->running = false;
  // Detach first: after this no engine thread touches the lws context.
  impl_->mailbox->detach();
  // Clients are told (1001) and given a moment to answer, so a panel knows to
  // reconnect rather than guess; a client that does not answer is cut off.
  impl_->service.request_close();
  const auto deadline = std::chrono::steady_clock::now() + close_grace;
  while (impl_->service.open_clients() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  impl_->service.request_exit();
  impl_->thread.join();
  impl_->service.finish();
  impl_->bound = false;
}

int ControlServer::port() const {
  return impl_->service.port();
}

std::map<std::string, HlsFolder, std::less<>> hls_folders(const config::Config& config) {
  // The renditions the engine writes (engine/outputs/output_unit.cpp): the video, and
  // the audio of every language.
  std::vector<std::string> renditions{"video"};
  for (const auto& language : config.languages()) {
    renditions.push_back("audio-" + language);
  }
  std::map<std::string, HlsFolder, std::less<>> folders;
  for (const auto& output : config.outputs) {
    if (output.type == config::OutputType::hls) {
      folders.emplace(output.id, HlsFolder{output.path, renditions});
    }
  }
  return folders;
}

}  // namespace hallcast::control
