// What the restart tests share (restore_test.cpp, restore_show_day_test.cpp): an
// operator's WebSocket on the restarted program, its state asked for until it shows what
// a test waits for, the state file read while hallcast rewrites it, and a small show to
// build on.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "integration/run_support.h"
#include "support/ws_client.h"

namespace hallcast::testing {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// SPEC §5: the state is back within 5 s of start.
inline constexpr auto kRestoreLimit = 5s;

inline const std::string kStateFile = "show-state.json";

// A WebSocket client logged in as the operator, once the control port answers.
std::unique_ptr<WsClient> connect_operator(int port, std::chrono::seconds limit = 30s);

json current_state(WsClient& ws);

// The entry of `list` whose `key` is `id`; null if none.
const json* find_entry(const json& list, const char* key, const std::string& id);

// An output's state in `state`; "(none)" when there is no such output.
std::string output_state(const json& state, const std::string& id);

// Asks for the state until `ready` holds for it; the last state seen either way.
json state_when(WsClient& ws, const std::function<bool(const json&)>& ready,
                std::chrono::seconds limit);

// Sends `request` (an id is added) and expects it to succeed; the reply.
json ok_request(WsClient& ws, json request);

// The saved state as JSON; null while there is none (or it is being replaced).
json saved_state(const std::filesystem::path& folder);

// Waits until the state saved in `folder` satisfies `ready`.
::testing::AssertionResult saved_when(const std::filesystem::path& folder,
                                      const std::function<bool(const json&)>& ready,
                                      std::chrono::seconds limit = 10s);

// How many times nginx-rtmp took a publish for the stream `key`.
int publishes(const NginxRtmp& nginx, const char* key);

// base_config with an English booth, three scenes (wide, close, side) and a title slate.
json show_config(int port);

class RestoreTest : public ShowRunTest {
 protected:
  std::filesystem::path state_dir() const { return work() / "state"; }
};

}  // namespace hallcast::testing
