#include "show/command_check.h"

#include <algorithm>
#include <type_traits>

#include "show/overlay_edit.h"
#include "show/state.h"

namespace hallcast::show {
namespace {

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

}  // namespace

CommandChecker::CommandChecker(const config::Config& config, std::size_t cue_count)
    : config_(config), cue_count_(cue_count) {
  for (const auto& overlay : config.overlays) {
    overlays_.insert(overlay.id);
  }
}

const config::Overlay* CommandChecker::config_overlay(const std::string& id) const {
  const auto it = std::find_if(config_.overlays.begin(), config_.overlays.end(),
                               [&](const auto& o) { return o.id == id; });
  return it == config_.overlays.end() ? nullptr : &*it;
}

std::optional<CommandProblem> CommandChecker::check(const Command& command) {
  const auto scene_known = [&](const std::string& id) {
    return std::any_of(config_.scenes.begin(), config_.scenes.end(),
                       [&](const auto& s) { return s.id == id; });
  };
  const auto output = [&](const std::string& id) -> const config::Output* {
    const auto it = std::find_if(config_.outputs.begin(), config_.outputs.end(),
                                 [&](const auto& o) { return o.id == id; });
    return it == config_.outputs.end() ? nullptr : &*it;
  };
  const auto unknown_overlay = [&](const std::string& id) -> std::optional<CommandProblem> {
    if (overlays_.count(id) == 0) {
      return CommandProblem{"overlay", "unknown overlay " + quoted(id)};
    }
    return std::nullopt;
  };
  return std::visit(
      [&](const auto& c) -> std::optional<CommandProblem> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, ScenePreview> || std::is_same_v<T, SceneCut>) {
          if (!scene_known(c.scene)) {
            return CommandProblem{"scene", "unknown scene " + quoted(c.scene)};
          }
        } else if constexpr (std::is_same_v<T, OverlayShow> || std::is_same_v<T, OverlayHide>) {
          return unknown_overlay(c.overlay);
        } else if constexpr (std::is_same_v<T, OverlayCreate>) {
          if (overlays_.count(c.overlay) != 0) {
            return CommandProblem{"overlay", "overlay " + quoted(c.overlay) + " already exists"};
          }
          overlays_.insert(c.overlay);
          created_.insert(c.overlay);
        } else if constexpr (std::is_same_v<T, OverlayUpdate>) {
          if (auto problem = unknown_overlay(c.overlay)) {
            return problem;
          }
          // A config overlay's words are known: the update must fit them. A created
          // one's type is checked when it runs.
          if (const auto* overlay = config_overlay(c.overlay);
              overlay && !created_.count(c.overlay)) {
            OverlayStatus status;
            status.id = overlay->id;
            status.type = overlay->type;
            status.content = overlay_text(*overlay, config_);
            const Reply reply = apply_update(status, c);
            if (!reply.ok()) {
              return CommandProblem{"", reply.message};
            }
          }
        } else if constexpr (std::is_same_v<T, OverlayDelete>) {
          if (auto problem = unknown_overlay(c.overlay)) {
            return problem;
          }
          overlays_.erase(c.overlay);
          created_.erase(c.overlay);
        } else if constexpr (std::is_same_v<T, AudioSet>) {
          const auto* source = config_.find_source(c.channel);
          if (source == nullptr || !config::has_sound(*source)) {
            return CommandProblem{"channel", "unknown audio channel " + quoted(c.channel)};
          }
        } else if constexpr (std::is_same_v<T, OutputStart> || std::is_same_v<T, OutputStop>) {
          if (output(c.output) == nullptr) {
            return CommandProblem{"output", "unknown output " + quoted(c.output)};
          }
        } else if constexpr (std::is_same_v<T, OutputSetLanguage>) {
          const auto* o = output(c.output);
          if (o == nullptr) {
            return CommandProblem{"output", "unknown output " + quoted(c.output)};
          }
          const auto languages = config_.languages();
          if (std::find(languages.begin(), languages.end(), c.language) == languages.end()) {
            return CommandProblem{"language", "no language track " + quoted(c.language)};
          }
          if (o->type != config::OutputType::rtmp) {
            return CommandProblem{"output", std::string(config::to_string(o->type)) +
                                                " outputs carry every language track"};
          }
        } else if constexpr (std::is_same_v<T, CueRun> || std::is_same_v<T, CueSkip>) {
          if (c.cue >= cue_count_) {
            return CommandProblem{"cue", "no cue " + std::to_string(c.cue) + " (the schedule has " +
                                             std::to_string(cue_count_) + ")"};
          }
        }
        return std::nullopt;
      },
      command);
}

}  // namespace hallcast::show
