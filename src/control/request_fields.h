// Inside the control protocol's parser (protocol.cpp, command_wire.cpp): reading a
// request's fields with one-line refusals. A Refusal travels as an exception between
// these files only; the parser's entry points turn it into a Rejected.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "control/error_codes.h"

namespace hallcast::control {

struct Refusal {
  Error error;
};

// Refuses the request; `field` names the field at fault ("" for the request itself).
[[noreturn]] void refuse(ErrorCode code, std::string message, std::string field = {});

// Client text echoed in a message, cut short (on a UTF-8 boundary) so that a 60 KiB
// field name does not come back as a 60 KiB reply.
std::string echoed(std::string_view text);

// "a string", "a number", … for messages.
std::string_view type_name(const nlohmann::json& value);

// The fields of one request object. `cmd` and `id` are read by the parser itself.
class Fields {
 public:
  explicit Fields(const nlohmann::json& object) : object_(object) {}

  const nlohmann::json* find(const char* name) const;
  [[noreturn]] static void wrong_type(const char* name, std::string_view expected,
                                      const nlohmann::json& value);

  std::string string(const char* name) const;
  std::optional<std::string> optional_string(const char* name) const;
  std::optional<bool> optional_bool(const char* name) const;
  std::optional<double> optional_number(const char* name, double low, double high) const;
  std::optional<int> optional_integer(const char* name, int low, int high) const;
  int integer(const char* name, int low, int high) const;
  const nlohmann::json& object() const { return object_; }

 private:
  const nlohmann::json& object_;
};

}  // namespace hallcast::control
