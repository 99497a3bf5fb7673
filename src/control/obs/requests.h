// obs-websocket requests mapped onto the show (docs/obs-websocket.md): each request type
// reads the show's snapshot and answers at once, or names the show::Commands it needs
// the engine to run and how to turn their replies into its answer. The same typed
// commands the panel's protocol produces; nothing here touches the engine or a socket.
//
// Mapping (SPEC §5): sceneName = scene name, sceneUuid = scene id; inputs are the audio
// and interpretation sources (inputName = label, inputUuid = id); overlays are scene
// items of every scene (sourceName = overlay id); outputName = output id. Studio mode is
// always on: preview and programme.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.h"
#include "control/obs/session.h"
#include "show/commands.h"
#include "show/state.h"

namespace hallcast::control::obs {

// A take ordered here, remembered until the programme change it causes is announced,
// so the transition events can name the transition that ran.
struct Take {
  show::TransitionType type = show::TransitionType::cut;
  int duration_ms = 0;
};

// What obs-websocket clients share beyond the show: the transition a studio-mode take
// uses. Owned by the obs-websocket service thread.
struct Studio {
  show::TransitionType transition = show::TransitionType::fade;
  int duration_ms = 500;
  std::optional<Take> pending_take;
};

// An event a request causes by itself (a transition chosen), for every client.
struct Announcement {
  std::string type;
  std::uint32_t intent = 0;
  nlohmann::json data;
};

// What a request may read and change.
struct Context {
  const show::Snapshot& snapshot;
  Studio& studio;
  Execution execution = Execution::none;
  const config::Config& config;
  std::string_view version;             // hallcast's
  std::uint64_t incoming_messages = 0;  // this session's
  std::uint64_t outgoing_messages = 0;
  std::vector<Announcement>* announcements = nullptr;
};

// A request the engine has to act on: its commands, run in order, and the answer made
// of their replies (one per command, same order).
struct EngineWork {
  std::vector<show::Command> commands;
  std::function<Result(const std::vector<show::Reply>&)> finish;
};

// Batches only: wait before the next request.
struct Pause {
  std::chrono::milliseconds duration{0};
};

using Step = std::variant<Result, EngineWork, Pause>;

Step plan_request(const RequestSpec& request, Context& context);

// Every request type plan_request knows, sorted.
std::vector<std::string> available_requests();

// The engine's failure as a request status.
Result from_reply(const show::Reply& reply);

}  // namespace hallcast::control::obs
