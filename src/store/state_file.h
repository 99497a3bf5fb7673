// The saved live state in the state folder (`hallcast run --state-dir`): the file
// `show-state.json`, read once at start and rewritten by the StateWriter.
#pragma once

#include <filesystem>
#include <optional>

#include "show/live_state.h"

namespace hallcast::store {

inline constexpr const char* kStateFileName = "show-state.json";

// The state saved in `folder`, or nullopt when there is none. A file that cannot be
// read or decoded is set aside — renamed `show-state.json.bad-YYYYMMDD-HHMMSS` next to
// it, for a post-mortem — with a warning, and nullopt returned: the show then starts
// as its config says.
std::optional<show::LiveState> load_state(const std::filesystem::path& folder);

}  // namespace hallcast::store
