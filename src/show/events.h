// Changes the engine announces to whoever listens (the control layer, the logs).
// Typed values; each edge (WebSocket, obs-websocket, metrics) serialises them itself.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

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

// A multiview picture: a small JPEG of the programme, the preview or one source, a
// few times a second, only while multiview is wanted (Engine::set_multiview_active).
struct Thumbnail {
  std::string feed;  // "program", "preview" or "source:<id>"
  std::shared_ptr<const std::vector<std::uint8_t>> jpeg;
};

using Event = std::variant<ProgramChanged, PreviewChanged, OutputChanged, SourceChanged,
                           OverlayChanged, AudioChanged, Thumbnail>;

}  // namespace hallcast::show
