// Scenes, studio mode and transitions. hallcast always works as OBS's studio mode does:
// a scene on preview, a scene on programme, and a take between them.
#include "control/obs/fields.h"
#include "control/obs/handlers.h"
#include "control/protocol.h"

namespace hallcast::control::obs {
namespace {

using nlohmann::json;

struct TransitionInfo {
  show::TransitionType type;
  const char* name;
  const char* uuid;
  const char* kind;
  bool fixed;  // no duration of its own
};

constexpr TransitionInfo transitions[] = {
    {show::TransitionType::cut, "Cut", "cut", "cut_transition", true},
    {show::TransitionType::fade, "Fade", "fade", "fade_transition", false},
};

const TransitionInfo& transition_info(show::TransitionType type) {
  return type == show::TransitionType::cut ? transitions[0] : transitions[1];
}

json scene_pair(const show::Snapshot& snapshot, const std::string& id, const char* prefix) {
  const std::string name = scene_name(snapshot, id);
  json data = {{"sceneName", name}, {"sceneUuid", id}};
  data[std::string("current") + prefix + "SceneName"] = name;
  data[std::string("current") + prefix + "SceneUuid"] = id;
  return data;
}

void announce(Context& context, std::string type, json data) {
  if (context.announcements != nullptr) {
    context.announcements->push_back({std::move(type), subscription::transitions, std::move(data)});
  }
}

}  // namespace

Step get_scene_list(const RequestSpec&, Context& context) {
  const auto& snapshot = context.snapshot;
  // OBS lists scenes bottom-up: the last entry is the top of its scene list, with the
  // highest sceneIndex. The config's first scene is the top.
  json scenes = json::array();
  const std::size_t count = snapshot.scenes.size();
  for (std::size_t i = count; i-- > 0;) {
    scenes.push_back({{"sceneIndex", count - 1 - i},
                      {"sceneName", snapshot.scenes[i].name},
                      {"sceneUuid", snapshot.scenes[i].id}});
  }
  return Result::success({{"currentProgramSceneName", scene_name(snapshot, snapshot.program)},
                          {"currentProgramSceneUuid", snapshot.program},
                          {"currentPreviewSceneName", scene_name(snapshot, snapshot.preview)},
                          {"currentPreviewSceneUuid", snapshot.preview},
                          {"scenes", std::move(scenes)}});
}

Step get_current_program_scene(const RequestSpec&, Context& context) {
  return Result::success(scene_pair(context.snapshot, context.snapshot.program, "Program"));
}

Step get_current_preview_scene(const RequestSpec&, Context& context) {
  return Result::success(scene_pair(context.snapshot, context.snapshot.preview, "Preview"));
}

Step set_current_program_scene(const RequestSpec& request, Context& context) {
  auto scene = find_scene(Fields(request), context.snapshot);
  if (auto* error = std::get_if<Result>(&scene)) {
    return *error;
  }
  return one_command(show::SceneCut{std::get<const show::SceneInfo*>(scene)->id});
}

Step set_current_preview_scene(const RequestSpec& request, Context& context) {
  auto scene = find_scene(Fields(request), context.snapshot);
  if (auto* error = std::get_if<Result>(&scene)) {
    return *error;
  }
  return one_command(show::ScenePreview{std::get<const show::SceneInfo*>(scene)->id});
}

Step get_studio_mode_enabled(const RequestSpec&, Context&) {
  return Result::success({{"studioModeEnabled", true}});
}

Step set_studio_mode_enabled(const RequestSpec& request, Context&) {
  bool enabled = true;
  if (auto error = Fields(request).boolean("studioModeEnabled", enabled)) {
    return *error;
  }
  if (!enabled) {
    return Result::error(Status::cannot_act,
                         "hallcast always works with a preview and a programme (studio mode); "
                         "it cannot be switched off.");
  }
  return Result::success();
}

Step trigger_studio_mode_transition(const RequestSpec&, Context& context) {
  Studio& studio = context.studio;
  const Take take{studio.transition,
                  studio.transition == show::TransitionType::fade ? studio.duration_ms : 0};
  studio.pending_take = take;
  EngineWork work;
  work.commands.push_back(show::TransitionTake{take.type, take.duration_ms});
  work.finish = [&studio](const std::vector<show::Reply>& replies) {
    if (!replies.at(0).ok()) {
      studio.pending_take.reset();
    }
    return from_reply(replies.at(0));
  };
  return work;
}

Step get_scene_transition_list(const RequestSpec&, Context& context) {
  const auto& current = transition_info(context.studio.transition);
  json list = json::array();
  for (const auto& t : transitions) {
    list.push_back({{"transitionName", t.name},
                    {"transitionUuid", t.uuid},
                    {"transitionKind", t.kind},
                    {"transitionFixed", t.fixed},
                    {"transitionConfigurable", false}});
  }
  return Result::success({{"currentSceneTransitionName", current.name},
                          {"currentSceneTransitionUuid", current.uuid},
                          {"currentSceneTransitionKind", current.kind},
                          {"transitions", std::move(list)}});
}

Step get_current_scene_transition(const RequestSpec&, Context& context) {
  const auto& current = transition_info(context.studio.transition);
  return Result::success(
      {{"transitionName", current.name},
       {"transitionUuid", current.uuid},
       {"transitionKind", current.kind},
       {"transitionFixed", current.fixed},
       {"transitionDuration", current.fixed ? json(nullptr) : json(context.studio.duration_ms)},
       {"transitionConfigurable", false},
       {"transitionSettings", nullptr}});
}

Step set_current_scene_transition(const RequestSpec& request, Context& context) {
  std::string name;
  if (auto error = Fields(request).string("transitionName", name)) {
    return *error;
  }
  for (const auto& t : transitions) {
    if (name == t.name) {
      if (context.studio.transition != t.type) {
        context.studio.transition = t.type;
        announce(context, "CurrentSceneTransitionChanged",
                 {{"transitionName", t.name}, {"transitionUuid", t.uuid}});
      }
      return Result::success();
    }
  }
  return Result::error(Status::resource_not_found, "No scene transition was found by that name.");
}

Step set_current_scene_transition_duration(const RequestSpec& request, Context& context) {
  double duration = 0;
  if (auto error = Fields(request).number("transitionDuration", duration, 50, max_transition_ms)) {
    return *error;
  }
  const int ms = static_cast<int>(duration);
  if (context.studio.duration_ms != ms) {
    context.studio.duration_ms = ms;
    announce(context, "CurrentSceneTransitionDurationChanged", {{"transitionDuration", ms}});
  }
  return Result::success();
}

}  // namespace hallcast::control::obs
