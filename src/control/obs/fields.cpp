#include "control/obs/fields.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace hallcast::control::obs {
namespace {

using nlohmann::json;

std::string quoted(std::string_view key) {
  return "`" + std::string(key) + "`";
}

std::string format_bound(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

}  // namespace

const json& Fields::at(std::string_view key) const {
  return request_.data.at(std::string(key));
}

bool Fields::has(std::string_view key) const {
  if (!request_.has_data) {
    return false;
  }
  auto it = request_.data.find(std::string(key));
  return it != request_.data.end() && !it->is_null();
}

std::optional<Result> Fields::basic(std::string_view key) const {
  if (!request_.has_data) {
    return Result::error(Status::missing_request_data,
                         "Your request data is missing or invalid (non-object)");
  }
  if (!has(key)) {
    return Result::error(Status::missing_request_field,
                         "Your request is missing the " + quoted(key) + " field.");
  }
  return std::nullopt;
}

std::optional<Result> Fields::string(std::string_view key, std::string& out) const {
  if (auto error = basic(key)) {
    return error;
  }
  const json& value = at(key);
  if (!value.is_string()) {
    return Result::error(Status::invalid_request_field_type,
                         "The field value of " + quoted(key) + " must be a string.");
  }
  if (value.get_ref<const std::string&>().empty()) {
    return Result::error(Status::request_field_empty,
                         "The field value of " + quoted(key) + " must not be empty.");
  }
  out = value.get<std::string>();
  return std::nullopt;
}

std::optional<Result> Fields::number(std::string_view key, double& out, double low,
                                     double high) const {
  if (auto error = basic(key)) {
    return error;
  }
  const json& value = at(key);
  if (!value.is_number()) {
    return Result::error(Status::invalid_request_field_type,
                         "The field value of " + quoted(key) + " must be a number.");
  }
  const double number = value.get<double>();
  if (number < low) {
    return Result::error(
        Status::request_field_out_of_range,
        "The field value of " + quoted(key) + " is below the minimum of " + format_bound(low));
  }
  if (number > high) {
    return Result::error(
        Status::request_field_out_of_range,
        "The field value of " + quoted(key) + " is above the maximum of " + format_bound(high));
  }
  out = number;
  return std::nullopt;
}

std::optional<Result> Fields::boolean(std::string_view key, bool& out) const {
  if (auto error = basic(key)) {
    return error;
  }
  const json& value = at(key);
  if (!value.is_boolean()) {
    return Result::error(Status::invalid_request_field_type,
                         "The field value of " + quoted(key) + " must be boolean.");
  }
  out = value.get<bool>();
  return std::nullopt;
}

namespace {

// Reads `name_key` or `uuid_key` (one of them must be there) into name or uuid.
std::optional<Result> name_or_uuid(const Fields& fields, std::string_view name_key,
                                   std::string_view uuid_key, std::string& name,
                                   std::string& uuid) {
  if (fields.has(uuid_key)) {
    return fields.string(uuid_key, uuid);
  }
  if (fields.has(name_key)) {
    return fields.string(name_key, name);
  }
  if (auto error = fields.string(name_key, name);
      error && error->status != Status::missing_request_field) {
    return error;  // no requestData at all
  }
  return Result::error(Status::missing_request_field,
                       "Your request must contain at least one of the following fields: " +
                           quoted(name_key) + " or " + quoted(uuid_key) + ".");
}

Result not_found(std::string_view what, const std::string& name, const std::string& uuid) {
  return Result::error(Status::resource_not_found,
                       "No " + std::string(what) + " was found by the " +
                           (uuid.empty() ? "name of `" + name : "UUID of `" + uuid) + "`.");
}

}  // namespace

Found<const show::SceneInfo*> find_scene(const Fields& fields, const show::Snapshot& snapshot) {
  std::string name;
  std::string uuid;
  if (auto error = name_or_uuid(fields, "sceneName", "sceneUuid", name, uuid)) {
    return *error;
  }
  for (const auto& scene : snapshot.scenes) {
    if (uuid.empty() ? scene.name == name : scene.id == uuid) {
      return &scene;
    }
  }
  return not_found("scene", name, uuid);
}

Found<const show::AudioChannel*> find_input(const Fields& fields, const show::Snapshot& snapshot) {
  std::string name;
  std::string uuid;
  if (auto error = name_or_uuid(fields, "inputName", "inputUuid", name, uuid)) {
    return *error;
  }
  for (const auto& source : snapshot.sources) {
    const bool match = uuid.empty() ? input_name(snapshot, source.id) == name : source.id == uuid;
    if (!match) {
      continue;
    }
    for (const auto& channel : snapshot.audio) {
      if (channel.channel == source.id) {
        return &channel;
      }
    }
    return Result::error(Status::invalid_resource_state,
                         "The specified input does not support audio.");
  }
  return not_found("input", name, uuid);
}

Found<const show::OverlayStatus*> find_scene_item(const Fields& fields,
                                                  const show::Snapshot& snapshot) {
  auto scene = find_scene(fields, snapshot);
  if (auto* error = std::get_if<Result>(&scene)) {
    return *error;
  }
  double id = 0;
  if (auto error = fields.number("sceneItemId", id, 0, 1e9)) {
    return *error;
  }
  for (const auto& overlay : snapshot.overlays) {
    if (static_cast<double>(scene_item_id(overlay)) == id) {
      return &overlay;
    }
  }
  return Result::error(Status::resource_not_found,
                       "No scene items were found in the specified scene by that ID.");
}

Found<const show::OutputStatus*> find_output(const Fields& fields, const show::Snapshot& snapshot) {
  std::string name;
  if (auto error = fields.string("outputName", name)) {
    return *error;
  }
  if (const auto* output = snapshot.find_output(name)) {
    return output;
  }
  return Result::error(Status::resource_not_found,
                       "No output was found by the name `" + name + "`.");
}

std::string input_name(const show::Snapshot& snapshot, std::string_view source_id) {
  for (const auto& source : snapshot.sources) {
    if (source.id == source_id) {
      return source.label.empty() ? source.id : source.label;
    }
  }
  return std::string(source_id);
}

int scene_item_id(const show::OverlayStatus& overlay) {
  return static_cast<int>(overlay.number);
}

std::string scene_name(const show::Snapshot& snapshot, std::string_view scene_id) {
  for (const auto& scene : snapshot.scenes) {
    if (scene.id == scene_id) {
      return scene.name;
    }
  }
  return "";
}

double db_to_mul(double db) {
  return std::pow(10.0, db / 20.0);
}

double mul_to_db(double mul) {
  return mul > 0.0 ? 20.0 * std::log10(mul) : -100.0;
}

bool is_active(const show::OutputStatus& output) {
  return output.state == show::OutputState::connecting || output.state == show::OutputState::live ||
         output.state == show::OutputState::reconnecting;
}

std::string timecode(double seconds) {
  const auto total_ms = static_cast<long long>(std::llround(std::max(0.0, seconds) * 1000.0));
  char text[32];
  std::snprintf(text, sizeof(text), "%02lld:%02lld:%02lld.%03lld", total_ms / 3'600'000,
                total_ms / 60'000 % 60, total_ms / 1000 % 60, total_ms % 1000);
  return text;
}

}  // namespace hallcast::control::obs
