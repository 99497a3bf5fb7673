// One obs-websocket connection's side of the protocol, as a pure state machine: a
// decoded message in, what to do about it out (close with a code, send a message, or
// run requests). No sockets and no engine, so the fuzzer and the unit tests drive it
// exactly as the server does.
//
// Identification follows obs-websocket 5.x: Hello (sent by the server on connect),
// Identify (authentication, rpcVersion, eventSubscriptions), Identified, Reidentify.
// Until identified, anything but Identify closes the connection with NotIdentified.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "control/obs/auth.h"
#include "control/obs/codec.h"
#include "control/obs/types.h"

namespace hallcast::control::obs {

// One request as the client wrote it; checked field by field when it runs.
struct RequestSpec {
  std::string type;
  nlohmann::json data;        // requestData: an object, or null when absent or not one
  bool has_data = false;      // requestData was an object
  nlohmann::json request_id;  // echoed in the answer; null when absent (batch members)
  bool has_request_id = false;
  nlohmann::json input_variables;   // batches: {requestDataField: variableName}
  nlohmann::json output_variables;  // batches: {variableName: responseDataField}
};

// Requests to run: one Request (op 6) or a RequestBatch (op 8).
struct Job {
  bool batch = false;
  nlohmann::json request_id;
  Execution execution = Execution::none;
  bool halt_on_failure = false;
  nlohmann::json variables = nlohmann::json::object();
  std::vector<RequestSpec> requests;
};

struct Send {
  nlohmann::json message;
};

using Outcome = std::variant<CloseWith, Send, Job>;

// The Hello a connection starts with; `challenge` is empty without authentication.
nlohmann::json hello(const Authentication& auth, const std::string& challenge);

class Session {
 public:
  // `challenge` is the one announced in this connection's Hello ("" without
  // authentication). `auth` must outlive the session.
  Session(const Authentication& auth, std::string challenge)
      : auth_(auth), challenge_(std::move(challenge)) {}

  Outcome handle(const nlohmann::json& message);

  bool identified() const { return identified_; }
  std::uint32_t subscriptions() const { return subscriptions_; }
  bool wants(std::uint32_t category) const {
    return identified_ && (subscriptions_ & category) != 0;
  }

 private:
  Outcome identify(const nlohmann::json& data);
  Outcome reidentify(const nlohmann::json& data);
  // Reads eventSubscriptions when present; a close when it is not an unsigned number.
  std::optional<CloseWith> read_subscriptions(const nlohmann::json& data);

  const Authentication& auth_;
  std::string challenge_;
  bool identified_ = false;
  std::uint32_t subscriptions_ = subscription::all;
};

// The answer to a request or a batch, once each request has its result.
struct Result {
  Status status = Status::success;
  std::string comment;
  nlohmann::json data;  // responseData: an object, or null for none

  bool ok() const { return status == Status::success; }
  static Result success(nlohmann::json data = nullptr) {
    return {Status::success, "", std::move(data)};
  }
  static Result error(Status status, std::string comment = {}) {
    return {status, std::move(comment), nullptr};
  }
};

nlohmann::json request_response(const RequestSpec& request, const Result& result);
nlohmann::json batch_response(const Job& job, const std::vector<Result>& results);
// An Event (op 5); `data` null for an event without data (ExitStarted).
nlohmann::json event_message(std::string_view type, std::uint32_t intent, nlohmann::json data);

}  // namespace hallcast::control::obs
