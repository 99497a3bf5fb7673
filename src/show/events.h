// Changes the engine announces to whoever listens (the control layer, the logs).
// Typed values; each edge (WebSocket, obs-websocket, metrics) serialises them itself.
#pragma once

#include <string>
#include <variant>

#include "show/state.h"

namespace hallcast::show {

struct ProgramChanged {
  std::string scene;
};
struct PreviewChanged {
  std::string scene;
};
struct OutputChanged {
  OutputStatus status;
};
struct SourceChanged {
  SourceStatus status;
};

struct OverlayChanged {
  OverlayStatus status;
};
struct AudioChanged {
  AudioChannel channel;
};

using Event = std::variant<ProgramChanged, PreviewChanged, OutputChanged, SourceChanged,
                           OverlayChanged, AudioChanged>;

}  // namespace hallcast::show
