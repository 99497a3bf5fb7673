// The request handlers behind plan_request, one family per file. Internal to
// src/control/obs.
#pragma once

#include <string_view>

#include "control/obs/requests.h"

namespace hallcast::control::obs {

using Handler = Step (*)(const RequestSpec&, Context&);

struct HandlerEntry {
  std::string_view type;
  Handler handler;
};

// requests_scenes.cpp: scenes, studio mode, transitions
Step get_scene_list(const RequestSpec&, Context&);
Step get_current_program_scene(const RequestSpec&, Context&);
Step set_current_program_scene(const RequestSpec&, Context&);
Step get_current_preview_scene(const RequestSpec&, Context&);
Step set_current_preview_scene(const RequestSpec&, Context&);
Step get_studio_mode_enabled(const RequestSpec&, Context&);
Step set_studio_mode_enabled(const RequestSpec&, Context&);
Step trigger_studio_mode_transition(const RequestSpec&, Context&);
Step get_scene_transition_list(const RequestSpec&, Context&);
Step get_current_scene_transition(const RequestSpec&, Context&);
Step set_current_scene_transition(const RequestSpec&, Context&);
Step set_current_scene_transition_duration(const RequestSpec&, Context&);

// requests_inputs.cpp: inputs and scene items
Step get_input_list(const RequestSpec&, Context&);
Step get_input_mute(const RequestSpec&, Context&);
Step set_input_mute(const RequestSpec&, Context&);
Step toggle_input_mute(const RequestSpec&, Context&);
Step get_input_volume(const RequestSpec&, Context&);
Step set_input_volume(const RequestSpec&, Context&);
Step get_scene_item_list(const RequestSpec&, Context&);
Step get_scene_item_id(const RequestSpec&, Context&);
Step get_scene_item_enabled(const RequestSpec&, Context&);
Step set_scene_item_enabled(const RequestSpec&, Context&);

// requests_outputs.cpp: outputs, stream, record
Step get_output_list(const RequestSpec&, Context&);
Step get_output_status(const RequestSpec&, Context&);
Step start_output(const RequestSpec&, Context&);
Step stop_output(const RequestSpec&, Context&);
Step toggle_output(const RequestSpec&, Context&);
Step get_stream_status(const RequestSpec&, Context&);
Step start_stream(const RequestSpec&, Context&);
Step stop_stream(const RequestSpec&, Context&);
Step toggle_stream(const RequestSpec&, Context&);
Step get_record_status(const RequestSpec&, Context&);
Step start_record(const RequestSpec&, Context&);
Step stop_record(const RequestSpec&, Context&);
Step toggle_record(const RequestSpec&, Context&);

// requests_general.cpp: version, stats, vendor requests, hotkeys, sleep
Step get_version(const RequestSpec&, Context&);
Step get_stats(const RequestSpec&, Context&);
Step call_vendor_request(const RequestSpec&, Context&);
Step get_hotkey_list(const RequestSpec&, Context&);
Step sleep(const RequestSpec&, Context&);

// An EngineWork of one command whose answer is `data` on success.
EngineWork one_command(show::Command command, nlohmann::json data = nullptr);

}  // namespace hallcast::control::obs
