#include "app/restore.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <type_traits>

namespace hallcast::app {

namespace {

// For the log: what a replayed command does.
std::string describe(const show::Command& command) {
  return std::visit(
      [](const auto& c) -> std::string {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, show::SceneCut>) {
          return "scene " + c.scene + " on programme";
        } else if constexpr (std::is_same_v<T, show::ScenePreview>) {
          return "scene " + c.scene + " on preview";
        } else if constexpr (std::is_same_v<T, show::OverlayShow>) {
          return "overlay " + c.overlay + " shown";
        } else if constexpr (std::is_same_v<T, show::AudioSet>) {
          return fmt::format("audio {} at {:.1f} dB{}", c.channel, c.gain_db.value_or(0.0),
                             c.muted.value_or(false) ? ", muted" : "");
        } else if constexpr (std::is_same_v<T, show::OutputSetLanguage>) {
          return "output " + c.output + " in " + c.language;
        } else if constexpr (std::is_same_v<T, show::OutputStart>) {
          return "output " + c.output + " started";
        } else if constexpr (std::is_same_v<T, show::OutputStop>) {
          return "output " + c.output + " stopped";
        } else if constexpr (std::is_same_v<T, show::OverlayCreate>) {
          return "overlay " + c.overlay + " made live";
        } else if constexpr (std::is_same_v<T, show::OverlayUpdate>) {
          return "overlay " + c.overlay + "'s words";
        } else if constexpr (std::is_same_v<T, show::OverlayDelete>) {
          return "overlay " + c.overlay + " deleted";
        } else if constexpr (std::is_same_v<T, show::AutoSet>) {
          return std::string("auto director ") + (c.enabled ? "on" : "off");
        } else {
          return "a command";
        }
      },
      command);
}

}  // namespace

std::vector<store::FolderLock> lock_show_folders(const config::Config& config,
                                                 const std::filesystem::path& state_dir) {
  std::vector<std::filesystem::path> folders{state_dir};
  for (const auto& output : config.outputs) {
    if (output.type == config::OutputType::record || output.type == config::OutputType::hls) {
      folders.emplace_back(output.path);
    }
  }
  std::vector<store::FolderLock> locks;
  for (const auto& folder : store::distinct_folders(folders)) {
    try {
      locks.emplace_back(folder);
    } catch (const store::LockError& e) {
      if (e.held() || folder == state_dir) {
        throw;
      }
      spdlog::warn("{}", e.what());
    }
  }
  return locks;
}

void replay(engine::Engine& engine, const show::RestorePlan& plan) {
  for (const auto& warning : plan.warnings) {
    spdlog::warn("state: {}", warning);
  }
  for (const auto& command : plan.commands) {
    const show::Reply reply = engine.run(command);
    if (reply.ok()) {
      spdlog::info("state: restored {}", describe(command));
    } else {
      spdlog::warn("state: could not restore {}: {}", describe(command), reply.message);
    }
  }
}

}  // namespace hallcast::app
