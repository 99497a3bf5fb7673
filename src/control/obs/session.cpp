#include "control/obs/session.h"

namespace hallcast::control::obs {
namespace {

using nlohmann::json;

CloseWith close_with(CloseCode code, std::string reason) {
  return {code, std::move(reason)};
}

// A whole number from 0 up. nlohmann stores a parsed `1` as unsigned but a `1` built
// in C++ as signed: both count.
std::optional<std::uint64_t> unsigned_value(const json& value) {
  if (value.is_number_unsigned()) {
    return value.get<std::uint64_t>();
  }
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
    return static_cast<std::uint64_t>(value.get<std::int64_t>());
  }
  return std::nullopt;
}

RequestSpec read_batch_member(const json& member) {
  RequestSpec spec;
  if (!member.is_object()) {
    return spec;  // no requestType: answered MissingRequestType
  }
  if (auto type = member.find("requestType"); type != member.end() && type->is_string()) {
    spec.type = type->get<std::string>();
  }
  if (auto data = member.find("requestData"); data != member.end() && data->is_object()) {
    spec.data = *data;
    spec.has_data = true;
  }
  if (auto id = member.find("requestId"); id != member.end() && !id->is_null()) {
    spec.request_id = *id;
    spec.has_request_id = true;
  }
  if (auto in = member.find("inputVariables"); in != member.end() && in->is_object()) {
    spec.input_variables = *in;
  }
  if (auto out = member.find("outputVariables"); out != member.end() && out->is_object()) {
    spec.output_variables = *out;
  }
  return spec;
}

Outcome read_request(const json& data) {
  if (!data.contains("requestId")) {
    return close_with(CloseCode::missing_data_field, "Your payload data is missing a `requestId`.");
  }
  auto type = data.find("requestType");
  if (type == data.end()) {
    return close_with(CloseCode::missing_data_field,
                      "Your payload's data is missing an `requestType`.");
  }
  if (!type->is_string()) {
    return close_with(CloseCode::invalid_data_field_type, "Your `requestType` is not a string.");
  }
  RequestSpec spec;
  spec.type = type->get<std::string>();
  spec.request_id = data.at("requestId");
  spec.has_request_id = true;
  if (auto request_data = data.find("requestData");
      request_data != data.end() && request_data->is_object()) {
    spec.data = *request_data;
    spec.has_data = true;
  }
  Job job;
  job.request_id = spec.request_id;
  job.requests.push_back(std::move(spec));
  return job;
}

bool present(const json& data, const char* key) {
  auto it = data.find(key);
  return it != data.end() && !it->is_null();
}

Outcome read_batch(const json& data) {
  if (!data.contains("requestId")) {
    return close_with(CloseCode::missing_data_field, "Your payload data is missing a `requestId`.");
  }
  Job job;
  job.batch = true;
  job.request_id = data.at("requestId");
  job.execution = Execution::serial_realtime;
  if (present(data, "executionType")) {
    const auto value = unsigned_value(data.at("executionType"));
    if (!value) {
      return close_with(CloseCode::invalid_data_field_type,
                        "Your `executionType` is not a number.");
    }
    if (*value > static_cast<std::uint64_t>(Execution::parallel)) {
      return close_with(CloseCode::invalid_data_field_value,
                        "Your `executionType` has an invalid value.");
    }
    job.execution = static_cast<Execution>(*value);
  }
  if (present(data, "variables")) {
    if (!data.at("variables").is_object()) {
      return close_with(CloseCode::invalid_data_field_type, "Your `variables` is not an object.");
    }
    if (job.execution == Execution::parallel) {
      return close_with(CloseCode::unsupported_feature,
                        "Variables are not supported in Parallel mode.");
    }
    job.variables = data.at("variables");
  }
  if (present(data, "haltOnFailure")) {
    if (!data.at("haltOnFailure").is_boolean()) {
      return close_with(CloseCode::invalid_data_field_type,
                        "Your `haltOnFailure` is not a boolean.");
    }
    job.halt_on_failure = data.at("haltOnFailure").get<bool>();
  }
  auto requests = data.find("requests");
  if (requests == data.end()) {
    return close_with(CloseCode::missing_data_field, "Your payload data is missing a `requests`.");
  }
  if (!requests->is_array()) {
    return close_with(CloseCode::invalid_data_field_type, "Your `requests` is not an array.");
  }
  job.requests.reserve(requests->size());
  for (const json& member : *requests) {
    job.requests.push_back(read_batch_member(member));
  }
  return job;
}

json status_of(const Result& result) {
  json status = {{"result", result.ok()}, {"code", static_cast<int>(result.status)}};
  if (!result.comment.empty()) {
    status["comment"] = result.comment;
  }
  return status;
}

json result_entry(const RequestSpec& request, const Result& result) {
  json entry = {{"requestType", request.type}};
  if (request.has_request_id) {
    entry["requestId"] = request.request_id;
  }
  entry["requestStatus"] = status_of(result);
  if (result.data.is_object()) {
    entry["responseData"] = result.data;
  }
  return entry;
}

}  // namespace

json hello(const Authentication& auth, const std::string& challenge) {
  json data = {{"obsStudioVersion", obs_studio_version},
               {"obsWebSocketVersion", obs_websocket_version},
               {"rpcVersion", rpc_version}};
  if (auth.required()) {
    data["authentication"] = {{"challenge", challenge}, {"salt", auth.salt()}};
  }
  return {{"op", op::hello}, {"d", std::move(data)}};
}

Outcome Session::handle(const json& message) {
  if (!message.is_object()) {
    return close_with(CloseCode::message_decode_error, "You sent a non-object payload.");
  }
  if (!identified_ && message.contains("request-type")) {
    return close_with(CloseCode::unsupported_rpc_version,
                      "You appear to be attempting to connect with the pre-5.0.0 plugin protocol. "
                      "Check to make sure your client is updated.");
  }
  auto op = message.find("op");
  if (op == message.end()) {
    return close_with(CloseCode::unknown_op_code, "Your request is missing an `op`.");
  }
  if (!op->is_number()) {
    return close_with(CloseCode::unknown_op_code, "Your `op` is not a number.");
  }
  auto d = message.find("d");
  if (d == message.end() || d->is_null()) {
    return close_with(CloseCode::missing_data_field, "Your payload is missing data (`d`).");
  }
  if (!d->is_object()) {
    return close_with(CloseCode::invalid_data_field_type,
                      "Your payload's data (`d`) is not an object.");
  }
  const double number = op->get<double>();
  const int code = number >= -1e6 && number <= 1e6 && number == static_cast<int>(number)
                       ? static_cast<int>(number)
                       : -1;
  if (!identified_ && code != op::identify) {
    return close_with(CloseCode::not_identified,
                      "You attempted to send a non-Identify message while not identified.");
  }
  switch (code) {
    case op::identify:
      return identify(*d);
    case op::reidentify:
      return reidentify(*d);
    case op::request:
      return read_request(*d);
    case op::request_batch:
      return read_batch(*d);
    default:
      return close_with(CloseCode::unknown_op_code, "Unknown OpCode: " + op->dump());
  }
}

std::optional<CloseWith> Session::read_subscriptions(const json& data) {
  auto it = data.find("eventSubscriptions");
  if (it == data.end()) {
    return std::nullopt;
  }
  const auto value = unsigned_value(*it);
  if (!value) {
    return close_with(CloseCode::invalid_data_field_type,
                      "Your `eventSubscriptions` is not an unsigned number.");
  }
  subscriptions_ = static_cast<std::uint32_t>(*value);
  return std::nullopt;
}

Outcome Session::identify(const json& data) {
  if (identified_) {
    return close_with(CloseCode::already_identified,
                      "You are already Identified with the obs-websocket server.");
  }
  if (auth_.required()) {
    auto answer = data.find("authentication");
    if (answer == data.end()) {
      return close_with(CloseCode::authentication_failed,
                        "Your payload's data is missing an `authentication` string, however "
                        "authentication is required.");
    }
    if (!answer->is_string()) {
      return close_with(CloseCode::authentication_failed,
                        "Your `authentication` field is not a string.");
    }
    if (!auth_.check(challenge_, answer->get_ref<const std::string&>())) {
      return close_with(CloseCode::authentication_failed, "Authentication failed.");
    }
  }
  auto version = data.find("rpcVersion");
  if (version == data.end()) {
    return close_with(CloseCode::missing_data_field,
                      "Your payload's data is missing an `rpcVersion`.");
  }
  const auto requested = unsigned_value(*version);
  if (!requested) {
    return close_with(CloseCode::invalid_data_field_type,
                      "Your `rpcVersion` is not an unsigned number.");
  }
  if (*requested != static_cast<std::uint64_t>(rpc_version)) {
    return close_with(CloseCode::unsupported_rpc_version,
                      "Your requested RPC version is not supported by this server.");
  }
  if (auto close = read_subscriptions(data)) {
    return *close;
  }
  identified_ = true;
  return Send{{{"op", op::identified}, {"d", {{"negotiatedRpcVersion", rpc_version}}}}};
}

Outcome Session::reidentify(const json& data) {
  if (auto close = read_subscriptions(data)) {
    return *close;
  }
  return Send{{{"op", op::identified}, {"d", {{"negotiatedRpcVersion", rpc_version}}}}};
}

json request_response(const RequestSpec& request, const Result& result) {
  return {{"op", op::request_response}, {"d", result_entry(request, result)}};
}

json batch_response(const Job& job, const std::vector<Result>& results) {
  json entries = json::array();
  for (std::size_t i = 0; i < results.size() && i < job.requests.size(); ++i) {
    entries.push_back(result_entry(job.requests[i], results[i]));
  }
  return {{"op", op::request_batch_response},
          {"d", {{"requestId", job.request_id}, {"results", std::move(entries)}}}};
}

json event_message(std::string_view type, std::uint32_t intent, json data) {
  json d = {{"eventType", type}, {"eventIntent", intent}};
  if (!data.is_null()) {
    d["eventData"] = std::move(data);
  }
  return {{"op", op::event}, {"d", std::move(d)}};
}

}  // namespace hallcast::control::obs
