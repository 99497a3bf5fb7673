// Listening (Engine::set_listening): which taps run follows who listens, on the air
// or not; each packet goes to the listeners as a ListenPacket event on this thread.
#include <spdlog/spdlog.h>

#include "engine/engine_impl.h"

namespace hallcast::engine {

void Engine::Impl::start_listening() {
  listen = std::make_unique<ListenTaps>(
      config.audio, templates, health, thread.context(), [this](ListenTaps::Packet packet) {
        thread.post([this, packet = std::move(packet)]() mutable {
          // One that was on its way while its tap stopped is dropped.
          if (listen && listening.count(packet.tap) != 0) {
            emit(show::ListenPacket{std::move(packet.tap), std::move(packet.opus),
                                    packet.captured_us, ListenTaps::kRate, ListenTaps::kChannels});
          }
        });
      });
  health.on_restart(part::kListen, [this](const std::string& tap) {
    if (listening.count(tap) != 0) {
      start_tap(tap);
    }
  });
  for (const auto& tap : listening) {
    contain(&health, part::kListen, tap, [&] { start_tap(tap); });
  }
}

void Engine::Impl::start_tap(const std::string& tap) {
  if (listen && programme && !listen->start(programme->pipeline(), tap)) {
    spdlog::warn("listen: the programme has no {}", tap);
  }
}

void Engine::Impl::set_listening(const std::string& tap, bool on) {
  if (on) {
    listening.insert(tap);
    contain(&health, part::kListen, tap, [&] { start_tap(tap); });
  } else {
    listening.erase(tap);
    if (listen) {
      listen->stop(tap);
    }
  }
}

}  // namespace hallcast::engine
