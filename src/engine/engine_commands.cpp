#include <spdlog/spdlog.h>

#include <algorithm>
#include <type_traits>

#include "engine/engine_impl.h"

namespace hallcast::engine {

const config::Scene* Engine::Impl::find_scene(std::string_view id) const {
  for (const auto& scene : config.scenes) {
    if (scene.id == id)
      return &scene;
  }
  return nullptr;
}

OutputDriver* Engine::Impl::find_output(std::string_view id) const {
  for (const auto& output : outputs) {
    if (output->config().id == id)
      return output.get();
  }
  return nullptr;
}

show::Reply Engine::Impl::no_scene(std::string_view id) {
  return show::Reply::failure(show::ErrorCode::unknown_scene,
                              "no scene \"" + std::string(id) + "\"");
}

void Engine::Impl::set_program(const std::string& id) {
  if (state.program != id) {
    spdlog::info("programme: scene {}", id);
    state.program = id;
    publish();
    emit(show::ProgramChanged{id});
    hall_program(id);
  }
}

// Every time a scene goes to preview (again), its cameras are framed.
void Engine::Impl::set_preview(const std::string& id) {
  if (state.preview != id) {
    state.preview = id;
    publish();
    emit(show::PreviewChanged{id});
  }
  hall_preview(id);
}

show::Reply Engine::Impl::take(const show::TransitionTake& c, Clock::time_point received) {
  if (find_scene(state.preview) == nullptr) {
    return no_scene(state.preview);
  }
  const auto fade = c.type == show::TransitionType::fade
                        ? std::chrono::milliseconds(std::max(0, c.duration_ms))
                        : std::chrono::milliseconds(0);
  hall_manual_switch(received);
  if (programme) {
    programme->mixer().take(fade, received);
    update_preview_feed();
  }
  // The bus that was on air keeps its scene: it is the preview now.
  const std::string previous = state.program;
  set_program(state.preview);
  set_preview(previous);
  follow_programme(fade);
  return show::Reply::success();
}

void Engine::Impl::update_preview_feed() {
  const int on_air = programme->mixer().on_air();
  programme->multiview().set_feed_wanted("bus" + std::to_string(on_air), false);
  programme->multiview().set_feed_wanted("bus" + std::to_string(1 - on_air), true);
}

show::Reply Engine::Impl::execute(const show::Command& command, Clock::time_point received) {
  using show::ErrorCode;
  using show::Reply;
  return std::visit(
      [&](const auto& c) -> Reply {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, show::StateGet>) {
          return Reply::success();
        } else if constexpr (std::is_same_v<T, show::ScenePreview>) {
          const auto* scene = find_scene(c.scene);
          if (scene == nullptr) {
            return no_scene(c.scene);
          }
          if (programme) {
            programme->mixer().preview(*scene);
          }
          set_preview(scene->id);
          return Reply::success();
        } else if constexpr (std::is_same_v<T, show::SceneCut>) {
          const auto* scene = find_scene(c.scene);
          if (scene == nullptr) {
            return no_scene(c.scene);
          }
          hall_manual_switch(received);
          if (programme) {
            programme->mixer().cut_to(*scene, received);
          }
          set_program(scene->id);
          follow_programme(std::chrono::milliseconds(0));
          return Reply::success();
        } else if constexpr (std::is_same_v<T, show::TransitionTake>) {
          return take(c, received);
        } else if constexpr (std::is_same_v<T, show::OverlayShow>) {
          return overlays.set_visible(c.overlay, true);
        } else if constexpr (std::is_same_v<T, show::OverlayHide>) {
          return overlays.set_visible(c.overlay, false);
        } else if constexpr (std::is_same_v<T, show::OverlayCreate>) {
          return overlays.create(c);
        } else if constexpr (std::is_same_v<T, show::OverlayUpdate>) {
          return overlays.update(c);
        } else if constexpr (std::is_same_v<T, show::OverlayDelete>) {
          return overlays.remove(c);
        } else if constexpr (std::is_same_v<T, show::CueRun>) {
          return cues.run_now(c.cue);
        } else if constexpr (std::is_same_v<T, show::CueSkip>) {
          return cues.skip(c.cue);
        } else if constexpr (std::is_same_v<T, show::AudioSet>) {
          return set_audio(c);
        } else if constexpr (std::is_same_v<T, show::OutputStart> ||
                             std::is_same_v<T, show::OutputStop>) {
          OutputDriver* output = find_output(c.output);
          if (output == nullptr) {
            return Reply::failure(ErrorCode::unknown_output, "no output \"" + c.output + "\"");
          }
          disarm(c.output);
          if constexpr (std::is_same_v<T, show::OutputStart>) {
            output->start();
            if (!output->unstartable_reason().empty()) {
              return Reply::failure(ErrorCode::unavailable, output->unstartable_reason());
            }
          } else {
            output->stop();
          }
          return Reply::success();
        } else if constexpr (std::is_same_v<T, show::OutputSetLanguage>) {
          OutputDriver* output = find_output(c.output);
          if (output == nullptr) {
            return Reply::failure(ErrorCode::unknown_output, "no output \"" + c.output + "\"");
          }
          const auto& languages = state.languages;
          if (std::find(languages.begin(), languages.end(), c.language) == languages.end()) {
            return Reply::failure(ErrorCode::unknown_language,
                                  "no language track \"" + c.language + "\"");
          }
          if (!output->set_language(c.language)) {
            return Reply::failure(ErrorCode::not_supported, output->fixed_language_reason());
          }
          return Reply::success();
        } else {
          static_assert(std::is_same_v<T, show::PtzRecall> || std::is_same_v<T, show::PtzStore> ||
                        std::is_same_v<T, show::PtzMove> || std::is_same_v<T, show::AutoSet>);
          return hall_execute(command, received);
        }
      },
      command);
}

show::Reply Engine::Impl::set_audio(const show::AudioSet& c) {
  auto it = std::find_if(state.audio.begin(), state.audio.end(),
                         [&](const auto& a) { return a.channel == c.channel; });
  if (it == state.audio.end()) {
    return show::Reply::failure(show::ErrorCode::unknown_channel,
                                "no audio channel \"" + c.channel + "\"");
  }
  show::AudioChannel next = *it;
  if (c.gain_db)
    next.gain_db = *c.gain_db;
  if (c.muted)
    next.muted = *c.muted;
  if (programme) {
    programme->audio().set_channel(next.channel, next.gain_db, next.muted);
  }
  if (!(next == *it)) {
    *it = next;
    publish();
    emit(show::AudioChanged{next});
  }
  return show::Reply::success();
}

}  // namespace hallcast::engine
