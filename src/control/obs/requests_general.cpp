// Version, statistics, hotkeys, Sleep (batches only), and CallVendorRequest: vendor
// "hallcast" runs any command of the control protocol (docs/protocol.md), read by the
// same parser as the panel's WebSocket, so there is one definition of a valid command.
#include <sys/statvfs.h>
#include <unistd.h>

#include <ctime>
#include <fstream>

#include "control/obs/fields.h"
#include "control/obs/handlers.h"
#include "control/protocol.h"
#include "control/wire.h"

namespace hallcast::control::obs {
namespace {

using nlohmann::json;

constexpr std::string_view vendor_name = "hallcast";

Status status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::missing_field:
      return Status::missing_request_field;
    case ErrorCode::bad_type:
      return Status::invalid_request_field_type;
    case ErrorCode::out_of_range:
      return Status::request_field_out_of_range;
    case ErrorCode::unknown_command:
    case ErrorCode::unknown_scene:
    case ErrorCode::unknown_overlay:
    case ErrorCode::unknown_channel:
    case ErrorCode::unknown_output:
    case ErrorCode::unknown_language:
    case ErrorCode::unknown_source:
    case ErrorCode::unknown_cue:
      return Status::resource_not_found;
    case ErrorCode::already_exists:
      return Status::resource_already_exists;
    case ErrorCode::busy:
    case ErrorCode::too_many_attempts:  // HTTP's; were it ever here: try again later
      return Status::not_ready;
    case ErrorCode::unavailable:
      return Status::invalid_resource_state;
    case ErrorCode::not_supported:
    case ErrorCode::read_only:
    case ErrorCode::unauthorized:
      return Status::cannot_act;
    case ErrorCode::internal:
      return Status::request_processing_failed;
    case ErrorCode::bad_request:
    case ErrorCode::unknown_field:
    case ErrorCode::bad_value:
      break;
  }
  return Status::invalid_request_field;
}

double resident_megabytes() {
  std::ifstream statm("/proc/self/statm");
  double pages_total = 0;
  double pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return pages_resident * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

double free_megabytes(const std::string& folder) {
  struct statvfs info {};
  if (statvfs(folder.empty() ? "." : folder.c_str(), &info) != 0) {
    return 0.0;
  }
  return static_cast<double>(info.f_bavail) * static_cast<double>(info.f_frsize) /
         (1024.0 * 1024.0);
}

}  // namespace

Step get_version(const RequestSpec&, Context& context) {
  return Result::success({{"obsVersion", obs_studio_version},
                          {"obsWebSocketVersion", obs_websocket_version},
                          {"rpcVersion", rpc_version},
                          {"availableRequests", available_requests()},
                          {"supportedImageFormats", json::array()},
                          {"platform", "linux"},
                          {"platformDescription", "hallcast " + std::string(context.version)}});
}

Step get_stats(const RequestSpec&, Context& context) {
  const auto& programme = context.snapshot.programme;
  std::string folder;
  for (const auto& output : context.config.outputs) {
    if (output.type == config::OutputType::record && folder.empty()) {
      folder = output.path;
    }
  }
  // CPU as the share of one core used since the show started.
  const double cpu_s = static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
  const double cpu = programme.uptime_s > 0 ? 100.0 * cpu_s / programme.uptime_s : 0.0;
  return Result::success({{"cpuUsage", cpu},
                          {"memoryUsage", resident_megabytes()},
                          {"availableDiskSpace", free_megabytes(folder)},
                          {"activeFps", context.config.video.fps},
                          {"averageFrameRenderTime", 0.0},
                          {"renderSkippedFrames", programme.frames_dropped},
                          {"renderTotalFrames", programme.frames_encoded},
                          {"outputSkippedFrames", programme.frames_dropped},
                          {"outputTotalFrames", programme.frames_encoded},
                          {"webSocketSessionIncomingMessages", context.incoming_messages},
                          {"webSocketSessionOutgoingMessages", context.outgoing_messages}});
}

Step get_hotkey_list(const RequestSpec&, Context&) {
  return Result::success({{"hotkeys", json::array()}});
}

Step sleep(const RequestSpec& request, Context& context) {
  const Fields fields(request);
  double amount = 0;
  if (context.execution == Execution::serial_realtime) {
    if (auto error = fields.number("sleepMillis", amount, 0, 50000)) {
      return *error;
    }
    return Pause{std::chrono::milliseconds(static_cast<long>(amount))};
  }
  if (context.execution == Execution::serial_frame) {
    if (auto error = fields.number("sleepFrames", amount, 0, 10000)) {
      return *error;
    }
    const int fps = std::max(1, context.config.video.fps);
    return Pause{std::chrono::milliseconds(static_cast<long>(amount * 1000 / fps))};
  }
  return Result::error(Status::unsupported_request_batch_execution_type);
}

Step call_vendor_request(const RequestSpec& request, Context& context) {
  const Fields fields(request);
  std::string vendor;
  std::string type;
  if (auto error = fields.string("vendorName", vendor)) {
    return *error;
  }
  if (auto error = fields.string("requestType", type)) {
    return *error;
  }
  if (vendor != vendor_name) {
    return Result::error(Status::resource_not_found, "No vendor was found by that name.");
  }
  json command = json::object();
  if (fields.has("requestData")) {
    const json& data = request.data.at("requestData");
    if (!data.is_object()) {
      return Result::error(Status::invalid_request_field_type,
                           "The field value of `requestData` must be an object.");
    }
    if (data.contains("cmd") || data.contains("id")) {
      return Result::error(Status::invalid_request_field,
                           "`requestData` holds the command's fields; the command is "
                           "`requestType`.");
    }
    command = data;
  }
  command["cmd"] = type;
  const auto parsed = parse_request(command.dump(-1, ' ', false, json::error_handler_t::replace));
  if (const auto* rejected = std::get_if<Rejected>(&parsed)) {
    return Result::error(status_for(rejected->error.code), rejected->error.message);
  }
  if (const auto* unreadable = std::get_if<Unreadable>(&parsed)) {
    return Result::error(Status::invalid_request_field, unreadable->message);
  }
  if (std::holds_alternative<ConnectionRequest>(parsed)) {
    return Result::error(Status::cannot_act,
                         "the multiview is sent on the control WebSocket (/ws) only");
  }
  const auto& parsed_request = std::get<Request>(parsed);
  json response = json::object();
  if (std::holds_alternative<show::StateGet>(parsed_request.command)) {
    response = json::parse(encode_state(context.snapshot), nullptr, false);
    if (response.is_object()) {
      response.erase("event");
    }
  }
  return one_command(
      parsed_request.command,
      {{"vendorName", vendor}, {"requestType", type}, {"responseData", std::move(response)}});
}

}  // namespace hallcast::control::obs
