// Reading one request's requestData the way obs-websocket does: a missing requestData
// is MissingRequestData, a missing field MissingRequestField, a wrong type
// InvalidRequestFieldType, an empty string RequestFieldEmpty, a number out of range
// RequestFieldOutOfRange; and finding the show's scenes, inputs, scene items and
// outputs by their obs-websocket names.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "control/obs/session.h"
#include "show/state.h"

namespace hallcast::control::obs {

class Fields {
 public:
  explicit Fields(const RequestSpec& request) : request_(request) {}

  bool has(std::string_view key) const;
  // Each returns the error to answer with, or nothing when `out` was set.
  std::optional<Result> string(std::string_view key, std::string& out) const;
  std::optional<Result> number(std::string_view key, double& out, double low, double high) const;
  std::optional<Result> boolean(std::string_view key, bool& out) const;

 private:
  std::optional<Result> basic(std::string_view key) const;
  const nlohmann::json& at(std::string_view key) const;

  const RequestSpec& request_;
};

// A result or the error to answer instead.
template <typename T>
using Found = std::variant<T, Result>;

// By sceneName or sceneUuid.
Found<const show::SceneInfo*> find_scene(const Fields& fields, const show::Snapshot& snapshot);
// By inputName or inputUuid; an input that carries no sound (a camera) is
// InvalidResourceState, as OBS answers for a video-only input.
Found<const show::AudioChannel*> find_input(const Fields& fields, const show::Snapshot& snapshot);
// sceneName/sceneUuid and sceneItemId: an overlay.
Found<const show::OverlayStatus*> find_scene_item(const Fields& fields,
                                                  const show::Snapshot& snapshot);
// By outputName.
Found<const show::OutputStatus*> find_output(const Fields& fields, const show::Snapshot& snapshot);

// The obs-websocket names of the show's things.
std::string input_name(const show::Snapshot& snapshot, std::string_view source_id);
// An overlay's scene item id: its number, which stays its own for the show's life.
int scene_item_id(const show::OverlayStatus& overlay);
// The scene an id names ("" for none).
std::string scene_name(const show::Snapshot& snapshot, std::string_view scene_id);

// Volume as OBS gives it: a multiplier and dB.
double db_to_mul(double db);
double mul_to_db(double mul);

// An output is active while it runs or tries to: connecting, live, reconnecting.
bool is_active(const show::OutputStatus& output);
// "HH:MM:SS.mmm"
std::string timecode(double seconds);

}  // namespace hallcast::control::obs
