// libFuzzer target for the control protocol's request parser (src/control/protocol.h)
// and the reply encoder behind it. Built with clang (-fsanitize=fuzzer,address,undefined)
// and run for a bounded time by ctest (tests/CMakeLists.txt).
//
// Beyond "never crashes": every input gets exactly one verdict; an accepted request
// reads back as itself once formatted; every reply the server would send is valid JSON
// that carries the request's id and, when refused, a code and a message.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "control/protocol.h"
#include "control/wire.h"

namespace {

using namespace hallcast::control;

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

void check_reply(const RequestId& id, const std::optional<Error>& error) {
  const std::string text = encode_reply(id, error);
  const auto reply = nlohmann::json::parse(text, nullptr, false);
  check(!reply.is_discarded() && reply.is_object());
  check(reply.at("ok") == !error.has_value());
  check(reply.contains("id") == !std::holds_alternative<std::monostate>(id));
  if (error) {
    check(reply.at("error").get<std::string>() == to_string(error->code));
    check(!reply.at("message").get<std::string>().empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const ParseResult result = parse_request(text);

  if (const auto* request = std::get_if<Request>(&result)) {
    const std::string formatted = format_request(request->id, request->command);
    const ParseResult again = parse_request(formatted);
    const auto* reread = std::get_if<Request>(&again);
    check(reread != nullptr);
    check(reread->command.index() == request->command.index());
    check(format_request(reread->id, reread->command) == formatted);
    check(!command_name(request->command).empty());
    check_reply(request->id, std::nullopt);
  } else if (const auto* connection = std::get_if<ConnectionRequest>(&result)) {
    const std::string formatted = format_request(connection->id, connection->command);
    const ParseResult again = parse_request(formatted);
    const auto* reread = std::get_if<ConnectionRequest>(&again);
    check(reread != nullptr);
    check(reread->command == connection->command);
    check(format_request(reread->id, reread->command) == formatted);
    check_reply(connection->id, std::nullopt);
  } else if (const auto* rejected = std::get_if<Rejected>(&result)) {
    check(!rejected->error.message.empty());
    check_reply(rejected->id, rejected->error);
  } else {
    const auto& unreadable = std::get<Unreadable>(result);
    check(!unreadable.message.empty());
    // Too large is about size alone; not-JSON only for what nlohmann cannot read.
    if (unreadable.reason == Unreadable::Reason::too_large) {
      check(size > max_frame_bytes);
    } else {
      check(size <= max_frame_bytes && !nlohmann::json::accept(text));
    }
  }
  return 0;
}
