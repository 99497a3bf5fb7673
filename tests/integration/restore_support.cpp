#include "integration/restore_support.h"

#include <thread>

#include "support/ports.h"

namespace hallcast::testing {

namespace {

json scene(const std::string& id, double x) {
  return {
      {"id", id},
      {"layers", json::array({{{"source", "cam1"}, {"x", x}, {"y", 0}, {"w", 0.5}, {"h", 1}}})}};
}

}  // namespace

// A WebSocket client logged in as the operator, once the control port answers.
std::unique_ptr<WsClient> connect_operator(int port, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    if (can_connect(port)) {
      auto client = std::make_unique<WsClient>(
          port, WsOptions{"/ws", {"Authorization: Bearer " + std::string(kToken)}});
      if (client->upgraded()) {
        return client;
      }
    }
    std::this_thread::sleep_for(50ms);
  }
  return nullptr;
}

json current_state(WsClient& ws) {
  ws.request({{"id", "s"}, {"cmd", "state.get"}});
  return ws.wait_for([](const json& m) { return m.value("event", "") == "state"; });
}

const json* find_entry(const json& list, const char* key, const std::string& id) {
  for (const auto& entry : list) {
    if (entry.value(key, "") == id) {
      return &entry;
    }
  }
  return nullptr;
}

std::string output_state(const json& state, const std::string& id) {
  const json* o = find_entry(state["outputs"], "id", id);
  return o != nullptr ? o->value("state", "") : "(none)";
}

// Asks for the state until `ready` holds for it; the last state seen either way.
json state_when(WsClient& ws, const std::function<bool(const json&)>& ready,
                std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  json state = current_state(ws);
  while (!ready(state) && Clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
    state = current_state(ws);
  }
  return state;
}

json ok_request(WsClient& ws, json request) {
  static int next_id = 1;
  request["id"] = next_id++;
  json reply = ws.request(request);
  EXPECT_TRUE(reply.value("ok", false)) << request.dump() << " → " << reply.dump();
  return reply;
}

// The saved state as JSON; null while there is none (or it is being replaced).
json saved_state(const std::filesystem::path& folder) {
  try {
    return json::parse(read_text(folder / kStateFile));
  } catch (const json::exception&) {
    return nullptr;
  }
}

::testing::AssertionResult saved_when(const std::filesystem::path& folder,
                                      const std::function<bool(const json&)>& ready,
                                      std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  json saved;
  while (Clock::now() < deadline) {
    saved = saved_state(folder);
    if (!saved.is_null() && ready(saved)) {
      return ::testing::AssertionSuccess();
    }
    std::this_thread::sleep_for(20ms);
  }
  return ::testing::AssertionFailure() << "saved state: " << saved.dump();
}

int publishes(const NginxRtmp& nginx, const char* key) {
  return count_lines_with(nginx.log(), {"publish:", key});
}

// base_config with an English booth, three scenes and a title slate.
json show_config(int port) {
  json config = base_config(port);
  config["sources"].push_back({{"id", "booth-en"},
                               {"kind", "interpretation"},
                               {"language", "en"},
                               {"uri", "test:audio?freq=1000&volume=0.3"}});
  config["scenes"] = json::array({scene("wide", 0), scene("close", 0.25), scene("side", 0.5)});
  config["overlays"] = json::array({{{"id", "slate"}, {"type", "title"}, {"text", "Soon"}}});
  return config;
}

}  // namespace hallcast::testing
