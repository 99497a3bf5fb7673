// Bringing the show back after a restart (SPEC §5): the folders a show writes into are
// locked before anything touches them, and the saved live state is replayed on the
// engine through the same typed commands an operator gives.
#pragma once

#include <filesystem>
#include <vector>

#include "config/config.h"
#include "engine/engine.h"
#include "show/live_state.h"
#include "store/folder_lock.h"

namespace hallcast::app {

// Locks the state folder and every recording and HLS folder. Throws store::LockError
// when another hallcast holds one, or when the state folder cannot be made or locked.
// A recording or HLS folder that cannot be made is left to its output, which then
// reports it as its error (the show goes on without it).
std::vector<store::FolderLock> lock_show_folders(const config::Config& config,
                                                 const std::filesystem::path& state_dir);

// Logs the plan's warnings, then runs its commands on the engine, logging each one the
// engine refuses.
void replay(engine::Engine& engine, const show::RestorePlan& plan);

}  // namespace hallcast::app
