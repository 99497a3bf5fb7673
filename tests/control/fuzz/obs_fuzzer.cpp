// libFuzzer target for the obs-websocket protocol (src/control/obs): one message in, as
// JSON text (when it starts like JSON) or MessagePack, read by the codec and the session
// as the server reads it, then every request it carries planned against a small show.
// Built with clang (-fsanitize=fuzzer,address,undefined) and run for a bounded time by
// ctest (tests/CMakeLists.txt).
//
// Beyond "never crashes": every close has a protocol close code and a reason that fits a
// close frame; whatever the server would send back encodes in both encodings; every
// request gets exactly one status, OBS's numbers only.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>

#include "control/obs/codec.h"
#include "control/obs/requests.h"
#include "control/obs/session.h"
#include "show/state.h"

namespace {

using namespace hallcast;
using namespace hallcast::control::obs;
using nlohmann::json;

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

struct Show {
  Show() {
    config.sources = {
        {"cam1", config::SourceKind::video, "test:video", config::TestVideoUri{}, "Wide", ""},
        {"mic1", config::SourceKind::audio, "test:audio", config::TestAudioUri{}, "Floor", ""}};
    config.scenes = {{"wide", "Wide", {{"cam1"}}}, {"two", "Two", {{"cam1"}}}};
    config.overlays = {{"slate", config::OverlayType::title, "", "Soon"}};
    config::Output rec;
    rec.id = "rec";
    rec.path = "rec";
    config::Output site;
    site.id = "site";
    site.type = config::OutputType::rtmp;
    site.url = "rtmp://127.0.0.1:1/live";
    config.outputs = {rec, site};
    snapshot = show::initial_snapshot(config);
  }
  config::Config config;
  show::Snapshot snapshot;
};

void check_encodable(const json& message) {
  const std::string text = encode(Encoding::json, message);
  check(json::accept(text));
  const std::string packed = encode(Encoding::msgpack, message);
  check(!json::from_msgpack(packed, true, false).is_discarded());
}

void check_close(const CloseWith& close) {
  static const std::set<int> codes = {4000, 4002, 4003, 4004, 4005, 4006,
                                      4007, 4008, 4009, 4010, 4011, 4012};
  check(codes.count(static_cast<int>(close.code)) == 1);
  check(!close.reason.empty() && close.reason.size() <= 123);
}

void run_job(const Job& job, Show& show, Studio& studio) {
  static const std::set<int> statuses = {100, 203, 204, 205, 206, 207, 300, 301, 400, 401, 402,
                                         403, 404, 500, 501, 502, 503, 504, 505, 506, 600, 601,
                                         602, 603, 604, 605, 606, 607, 700, 701, 702, 703};
  std::vector<Result> results;
  for (const auto& request : job.requests) {
    Context context{show.snapshot, studio, job.execution, show.config, "fuzz"};
    const Step step = plan_request(request, context);
    Result result;
    if (const auto* answer = std::get_if<Result>(&step)) {
      result = *answer;
    } else if (const auto* work = std::get_if<EngineWork>(&step)) {
      check(!work->commands.empty());
      // As if the engine agreed to each command.
      result = work->finish(std::vector<show::Reply>(work->commands.size()));
    } else {
      check(job.batch);
      check(std::get<Pause>(step).duration.count() >= 0);
    }
    check(statuses.count(static_cast<int>(result.status)) == 1);
    check(result.data.is_null() || result.data.is_object());
    results.push_back(result);
    if (!job.batch) {
      check_encodable(request_response(request, result));
    }
  }
  if (job.batch) {
    check_encodable(batch_response(job, results));
  } else {
    check(job.requests.size() == 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Show show;
  static const Authentication open{config::Secret()};
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  const bool looks_like_json =
      size > 0 && (data[0] == '{' || data[0] == '[' || data[0] == ' ' || data[0] == '\n');
  const auto decoded =
      decode(looks_like_json ? Encoding::json : Encoding::msgpack, !looks_like_json, payload);
  if (const auto* close = std::get_if<CloseWith>(&decoded)) {
    check(close->code == CloseCode::message_decode_error);
    check_close(*close);
    return 0;
  }
  const json& message = std::get<json>(decoded);
  // The message as a connection's first, then again once identified.
  for (int round = 0; round < 2; ++round) {
    Session session(open, "");
    if (round == 1) {
      check(std::holds_alternative<Send>(session.handle({{"op", 1}, {"d", {{"rpcVersion", 1}}}})));
    }
    const Outcome outcome = session.handle(message);
    Studio studio;
    if (const auto* close = std::get_if<CloseWith>(&outcome)) {
      check_close(*close);
    } else if (const auto* send = std::get_if<Send>(&outcome)) {
      check(send->message.at("op") == 2);
      check_encodable(send->message);
    } else {
      check(session.identified());
      run_job(std::get<Job>(outcome), show, studio);
    }
  }
  return 0;
}
