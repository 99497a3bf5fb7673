// The table of request types, and what every handler shares.
#include "control/obs/requests.h"

#include <algorithm>

#include "control/obs/handlers.h"

namespace hallcast::control::obs {
namespace {

constexpr HandlerEntry handlers[] = {
    {"CallVendorRequest", call_vendor_request},
    {"GetCurrentPreviewScene", get_current_preview_scene},
    {"GetCurrentProgramScene", get_current_program_scene},
    {"GetCurrentSceneTransition", get_current_scene_transition},
    {"GetHotkeyList", get_hotkey_list},
    {"GetInputList", get_input_list},
    {"GetInputMute", get_input_mute},
    {"GetInputVolume", get_input_volume},
    {"GetOutputList", get_output_list},
    {"GetOutputStatus", get_output_status},
    {"GetRecordStatus", get_record_status},
    {"GetSceneItemEnabled", get_scene_item_enabled},
    {"GetSceneItemId", get_scene_item_id},
    {"GetSceneItemList", get_scene_item_list},
    {"GetSceneList", get_scene_list},
    {"GetSceneTransitionList", get_scene_transition_list},
    {"GetStats", get_stats},
    {"GetStreamStatus", get_stream_status},
    {"GetStudioModeEnabled", get_studio_mode_enabled},
    {"GetVersion", get_version},
    {"SetCurrentPreviewScene", set_current_preview_scene},
    {"SetCurrentProgramScene", set_current_program_scene},
    {"SetCurrentSceneTransition", set_current_scene_transition},
    {"SetCurrentSceneTransitionDuration", set_current_scene_transition_duration},
    {"SetInputMute", set_input_mute},
    {"SetInputVolume", set_input_volume},
    {"SetSceneItemEnabled", set_scene_item_enabled},
    {"SetStudioModeEnabled", set_studio_mode_enabled},
    {"Sleep", sleep},
    {"StartOutput", start_output},
    {"StartRecord", start_record},
    {"StartStream", start_stream},
    {"StopOutput", stop_output},
    {"StopRecord", stop_record},
    {"StopStream", stop_stream},
    {"ToggleInputMute", toggle_input_mute},
    {"ToggleOutput", toggle_output},
    {"ToggleRecord", toggle_record},
    {"ToggleStream", toggle_stream},
    {"TriggerStudioModeTransition", trigger_studio_mode_transition},
};

}  // namespace

Step plan_request(const RequestSpec& request, Context& context) {
  if (request.type.empty()) {
    return Result::error(Status::missing_request_type);
  }
  for (const auto& entry : handlers) {
    if (entry.type == request.type) {
      return entry.handler(request, context);
    }
  }
  return Result::error(Status::unknown_request_type,
                       "Your request type is not valid: " + request.type);
}

std::vector<std::string> available_requests() {
  std::vector<std::string> names;
  for (const auto& entry : handlers) {
    names.emplace_back(entry.type);
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result from_reply(const show::Reply& reply) {
  switch (reply.error) {
    case show::ErrorCode::none:
      return Result::success();
    case show::ErrorCode::unknown_scene:
    case show::ErrorCode::unknown_overlay:
    case show::ErrorCode::unknown_channel:
    case show::ErrorCode::unknown_output:
    case show::ErrorCode::unknown_language:
    case show::ErrorCode::unknown_source:
    case show::ErrorCode::unknown_cue:
      return Result::error(Status::resource_not_found, reply.message);
    case show::ErrorCode::already_exists:
      return Result::error(Status::resource_already_exists, reply.message);
    case show::ErrorCode::bad_value:
      return Result::error(Status::invalid_request_field, reply.message);
    case show::ErrorCode::out_of_range:
      return Result::error(Status::request_field_out_of_range, reply.message);
    case show::ErrorCode::unavailable:
      return Result::error(Status::invalid_resource_state, reply.message);
    case show::ErrorCode::busy:
      return Result::error(Status::not_ready, reply.message);
    case show::ErrorCode::not_supported:
      return Result::error(Status::cannot_act, reply.message);
    case show::ErrorCode::internal:
      break;
  }
  return Result::error(Status::request_processing_failed, reply.message);
}

EngineWork one_command(show::Command command, nlohmann::json data) {
  EngineWork work;
  work.commands.push_back(std::move(command));
  work.finish = [data = std::move(data)](const std::vector<show::Reply>& replies) {
    if (!replies.at(0).ok()) {
      return from_reply(replies.at(0));
    }
    return Result::success(data);
  };
  return work;
}

}  // namespace hallcast::control::obs
