#include "control/request_fields.h"

#include <cmath>
#include <cstdint>

namespace hallcast::control {

using nlohmann::json;

void refuse(ErrorCode code, std::string message, std::string field) {
  throw Refusal{{code, std::move(message), std::move(field)}};
}

std::string echoed(std::string_view text) {
  constexpr std::size_t limit = 64;
  if (text.size() <= limit) {
    return "\"" + std::string(text) + "\"";
  }
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return "\"" + std::string(text.substr(0, cut)) + "…\"";
}

std::string_view type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    case json::value_t::binary:
      return "binary";
    case json::value_t::discarded:
      return "nothing";
    default:
      return "a number";
  }
}

const json* Fields::find(const char* name) const {
  auto it = object_.find(name);
  return it == object_.end() ? nullptr : &*it;
}

void Fields::wrong_type(const char* name, std::string_view expected, const json& value) {
  refuse(ErrorCode::bad_type,
         std::string("field \"") + name + "\" must be " + std::string(expected) + ", not " +
             std::string(type_name(value)),
         name);
}

std::string Fields::string(const char* name) const {
  const json* value = find(name);
  if (value == nullptr) {
    refuse(ErrorCode::missing_field, std::string("missing field \"") + name + "\"", name);
  }
  if (!value->is_string()) {
    wrong_type(name, "a string", *value);
  }
  return value->get<std::string>();
}

std::optional<std::string> Fields::optional_string(const char* name) const {
  return find(name) == nullptr ? std::nullopt : std::optional(string(name));
}

std::optional<bool> Fields::optional_bool(const char* name) const {
  const json* value = find(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_boolean()) {
    wrong_type(name, "true or false", *value);
  }
  return value->get<bool>();
}

std::optional<double> Fields::optional_number(const char* name, double low, double high) const {
  const json* value = find(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_number()) {
    wrong_type(name, "a number", *value);
  }
  const double number = value->get<double>();
  if (!std::isfinite(number) || number < low || number > high) {
    refuse(ErrorCode::out_of_range,
           std::string("field \"") + name + "\" must be from " + json(low).dump() + " to " +
               json(high).dump(),
           name);
  }
  return number;
}

std::optional<int> Fields::optional_integer(const char* name, int low, int high) const {
  const json* value = find(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (!value->is_number_integer()) {
    wrong_type(name, "an integer", *value);
  }
  // Compared wide first: a huge unsigned value must not wrap into range.
  const bool in_range =
      value->is_number_unsigned()
          ? value->get<std::uint64_t>() <= static_cast<std::uint64_t>(high)
          : value->get<std::int64_t>() >= low && value->get<std::int64_t>() <= high;
  if (!in_range) {
    refuse(ErrorCode::out_of_range,
           std::string("field \"") + name + "\" must be from " + std::to_string(low) + " to " +
               std::to_string(high),
           name);
  }
  return static_cast<int>(value->get<std::int64_t>());
}

int Fields::integer(const char* name, int low, int high) const {
  if (find(name) == nullptr) {
    refuse(ErrorCode::missing_field, std::string("missing field \"") + name + "\"", name);
  }
  return *optional_integer(name, low, high);
}

}  // namespace hallcast::control
