// Outputs (every destination by its id), and OBS's two buttons: the stream (every
// destination that is not a recording) and the record (the recordings).
#include <algorithm>

#include "control/obs/fields.h"
#include "control/obs/handlers.h"

namespace hallcast::control::obs {
namespace {

using nlohmann::json;

const char* output_kind(config::OutputType type) {
  switch (type) {
    case config::OutputType::rtmp:
      return "rtmp_output";
    case config::OutputType::srt:
      return "ffmpeg_mpegts_muxer";
    case config::OutputType::hls:
      return "ffmpeg_hls_muxer";
    case config::OutputType::record:
      break;
  }
  return "ffmpeg_muxer";
}

bool is_recording(const show::OutputStatus& output) {
  return output.type == config::OutputType::record;
}

// The outputs behind OBS's stream button (record = false) or record button (true).
std::vector<const show::OutputStatus*> group(const show::Snapshot& snapshot, bool record) {
  std::vector<const show::OutputStatus*> outputs;
  for (const auto& output : snapshot.outputs) {
    if (is_recording(output) == record) {
      outputs.push_back(&output);
    }
  }
  return outputs;
}

bool any_active(const std::vector<const show::OutputStatus*>& outputs) {
  return std::any_of(outputs.begin(), outputs.end(), [](auto* o) { return is_active(*o); });
}

// Answers with the first failure among the replies, else `data`.
EngineWork all_of(std::vector<show::Command> commands, json data = nullptr) {
  EngineWork work;
  work.commands = std::move(commands);
  work.finish = [data = std::move(data)](const std::vector<show::Reply>& replies) {
    for (const auto& reply : replies) {
      if (!reply.ok()) {
        return from_reply(reply);
      }
    }
    return Result::success(data);
  };
  return work;
}

// Starts every output of the group that is not running.
Step start_group(const show::Snapshot& snapshot, bool record, json data = nullptr) {
  const auto outputs = group(snapshot, record);
  if (outputs.empty()) {
    return Result::error(
        Status::invalid_resource_state,
        record ? "This show has no recording output." : "This show has no streaming destination.");
  }
  std::vector<show::Command> commands;
  for (const auto* output : outputs) {
    if (!is_active(*output)) {
      commands.push_back(show::OutputStart{output->id});
    }
  }
  if (commands.empty()) {
    return Result::error(Status::output_running);
  }
  return all_of(std::move(commands), std::move(data));
}

Step stop_group(const show::Snapshot& snapshot, bool record, json data = nullptr) {
  std::vector<show::Command> commands;
  for (const auto* output : group(snapshot, record)) {
    if (is_active(*output)) {
      commands.push_back(show::OutputStop{output->id});
    }
  }
  if (commands.empty()) {
    return Result::error(Status::output_not_running);
  }
  return all_of(std::move(commands), std::move(data));
}

json group_status(const Context& context, bool record) {
  const auto outputs = group(context.snapshot, record);
  bool active = false;
  bool reconnecting = false;
  double uptime = 0;
  std::uint64_t bytes = 0;
  for (const auto* output : outputs) {
    active = active || is_active(*output);
    reconnecting = reconnecting || output->state == show::OutputState::reconnecting;
    uptime = std::max(uptime, output->uptime_s);
    bytes += output->bytes;
  }
  json status = {{"outputActive", active},
                 {"outputTimecode", timecode(uptime)},
                 {"outputDuration", static_cast<std::int64_t>(uptime * 1000)},
                 {"outputBytes", bytes}};
  if (record) {
    status["outputPaused"] = false;
  } else {
    const auto& programme = context.snapshot.programme;
    status["outputReconnecting"] = reconnecting;
    status["outputCongestion"] = 0.0;
    status["outputSkippedFrames"] = active ? programme.frames_dropped : 0;
    status["outputTotalFrames"] = active ? programme.frames_encoded : 0;
  }
  return status;
}

}  // namespace

Step get_output_list(const RequestSpec&, Context& context) {
  json outputs = json::array();
  for (const auto& output : context.snapshot.outputs) {
    const bool service = output.type == config::OutputType::rtmp;
    outputs.push_back({{"outputName", output.id},
                       {"outputKind", output_kind(output.type)},
                       {"outputWidth", context.config.video.width},
                       {"outputHeight", context.config.video.height},
                       {"outputActive", is_active(output)},
                       {"outputFlags",
                        {{"OBS_OUTPUT_AUDIO", true},
                         {"OBS_OUTPUT_VIDEO", true},
                         {"OBS_OUTPUT_ENCODED", true},
                         {"OBS_OUTPUT_MULTI_TRACK", !service},
                         {"OBS_OUTPUT_SERVICE", service}}}});
  }
  return Result::success({{"outputs", std::move(outputs)}});
}

Step get_output_status(const RequestSpec& request, Context& context) {
  auto found = find_output(Fields(request), context.snapshot);
  if (auto* error = std::get_if<Result>(&found)) {
    return *error;
  }
  const auto& output = *std::get<const show::OutputStatus*>(found);
  const bool active = is_active(output);
  const auto& programme = context.snapshot.programme;
  // Every destination carries the one encoded programme: its frames are the
  // programme's.
  return Result::success({{"outputActive", active},
                          {"outputReconnecting", output.state == show::OutputState::reconnecting},
                          {"outputTimecode", timecode(output.uptime_s)},
                          {"outputDuration", static_cast<std::int64_t>(output.uptime_s * 1000)},
                          {"outputCongestion", 0.0},
                          {"outputBytes", output.bytes},
                          {"outputSkippedFrames", active ? programme.frames_dropped : 0},
                          {"outputTotalFrames", active ? programme.frames_encoded : 0}});
}

Step start_output(const RequestSpec& request, Context& context) {
  auto found = find_output(Fields(request), context.snapshot);
  if (auto* error = std::get_if<Result>(&found)) {
    return *error;
  }
  const auto& output = *std::get<const show::OutputStatus*>(found);
  if (is_active(output)) {
    return Result::error(Status::output_running);
  }
  return one_command(show::OutputStart{output.id});
}

Step stop_output(const RequestSpec& request, Context& context) {
  auto found = find_output(Fields(request), context.snapshot);
  if (auto* error = std::get_if<Result>(&found)) {
    return *error;
  }
  const auto& output = *std::get<const show::OutputStatus*>(found);
  if (!is_active(output)) {
    return Result::error(Status::output_not_running);
  }
  return one_command(show::OutputStop{output.id});
}

Step toggle_output(const RequestSpec& request, Context& context) {
  auto found = find_output(Fields(request), context.snapshot);
  if (auto* error = std::get_if<Result>(&found)) {
    return *error;
  }
  const auto& output = *std::get<const show::OutputStatus*>(found);
  if (is_active(output)) {
    return one_command(show::OutputStop{output.id}, {{"outputActive", false}});
  }
  return one_command(show::OutputStart{output.id}, {{"outputActive", true}});
}

Step get_stream_status(const RequestSpec&, Context& context) {
  return Result::success(group_status(context, false));
}

Step start_stream(const RequestSpec&, Context& context) {
  return start_group(context.snapshot, false);
}

Step stop_stream(const RequestSpec&, Context& context) {
  return stop_group(context.snapshot, false);
}

Step toggle_stream(const RequestSpec&, Context& context) {
  if (any_active(group(context.snapshot, false))) {
    return stop_group(context.snapshot, false, {{"outputActive", false}});
  }
  return start_group(context.snapshot, false, {{"outputActive", true}});
}

Step get_record_status(const RequestSpec&, Context& context) {
  return Result::success(group_status(context, true));
}

Step start_record(const RequestSpec&, Context& context) {
  return start_group(context.snapshot, true);
}

Step stop_record(const RequestSpec&, Context& context) {
  // OBS answers with the file it wrote; a recording here is a folder of files (one
  // per segment), so the answer is the folder of the first recording that ran.
  std::string path;
  for (const auto* output : group(context.snapshot, true)) {
    if (!is_active(*output)) {
      continue;
    }
    for (const auto& configured : context.config.outputs) {
      if (configured.id == output->id && path.empty()) {
        path = configured.path;
      }
    }
  }
  return stop_group(context.snapshot, true, {{"outputPath", path}});
}

Step toggle_record(const RequestSpec&, Context& context) {
  if (any_active(group(context.snapshot, true))) {
    return stop_group(context.snapshot, true, {{"outputActive", false}});
  }
  return start_group(context.snapshot, true, {{"outputActive", true}});
}

}  // namespace hallcast::control::obs
