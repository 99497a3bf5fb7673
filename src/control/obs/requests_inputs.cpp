// Inputs (the audio and interpretation sources: their faders and mutes) and scene items
// (the overlays, items of every scene: showing one in any scene shows it on the
// programme).
#include <algorithm>

#include "control/obs/fields.h"
#include "control/obs/handlers.h"
#include "control/protocol.h"

namespace hallcast::control::obs {
namespace {

using nlohmann::json;

std::string input_kind(config::SourceKind kind) {
  return kind == config::SourceKind::interpretation ? "hallcast_interpretation" : "hallcast_audio";
}

std::string overlay_kind(config::OverlayType type) {
  return "hallcast_" + std::string(config::to_string(type));
}

json volume(double gain_db) {
  return {{"inputVolumeMul", db_to_mul(gain_db)}, {"inputVolumeDb", gain_db}};
}

// Where a scene item sits: overlays are drawn over the whole frame.
json full_frame_transform(const Context& context) {
  const double w = context.config.video.width;
  const double h = context.config.video.height;
  return {{"alignment", 5},
          {"boundsAlignment", 0},
          {"boundsHeight", 0.0},
          {"boundsType", "OBS_BOUNDS_NONE"},
          {"boundsWidth", 0.0},
          {"cropBottom", 0},
          {"cropLeft", 0},
          {"cropRight", 0},
          {"cropToBounds", false},
          {"cropTop", 0},
          {"height", h},
          {"positionX", 0.0},
          {"positionY", 0.0},
          {"rotation", 0.0},
          {"scaleX", 1.0},
          {"scaleY", 1.0},
          {"sourceHeight", h},
          {"sourceWidth", w},
          {"width", w}};
}

template <typename T>
const T* found(const Found<const T*>& result) {
  return std::holds_alternative<const T*>(result) ? std::get<const T*>(result) : nullptr;
}

}  // namespace

Step get_input_list(const RequestSpec& request, Context& context) {
  const Fields fields(request);
  std::string kind;
  if (fields.has("inputKind")) {
    if (auto error = fields.string("inputKind", kind)) {
      return *error;
    }
  }
  json inputs = json::array();
  for (const auto& source : context.snapshot.sources) {
    if (source.kind == config::SourceKind::video) {
      continue;
    }
    const std::string source_kind = input_kind(source.kind);
    if (!kind.empty() && kind != source_kind) {
      continue;
    }
    inputs.push_back({{"inputName", input_name(context.snapshot, source.id)},
                      {"inputUuid", source.id},
                      {"inputKind", source_kind},
                      {"unversionedInputKind", source_kind}});
  }
  return Result::success({{"inputs", std::move(inputs)}});
}

Step get_input_mute(const RequestSpec& request, Context& context) {
  auto input = find_input(Fields(request), context.snapshot);
  if (const auto* channel = found(input)) {
    return Result::success({{"inputMuted", channel->muted}});
  }
  return std::get<Result>(input);
}

Step set_input_mute(const RequestSpec& request, Context& context) {
  const Fields fields(request);
  auto input = find_input(fields, context.snapshot);
  const auto* channel = found(input);
  if (channel == nullptr) {
    return std::get<Result>(input);
  }
  bool muted = false;
  if (auto error = fields.boolean("inputMuted", muted)) {
    return *error;
  }
  return one_command(show::AudioSet{channel->channel, std::nullopt, muted});
}

Step toggle_input_mute(const RequestSpec& request, Context& context) {
  auto input = find_input(Fields(request), context.snapshot);
  const auto* channel = found(input);
  if (channel == nullptr) {
    return std::get<Result>(input);
  }
  const bool muted = !channel->muted;
  return one_command(show::AudioSet{channel->channel, std::nullopt, muted},
                     {{"inputMuted", muted}});
}

Step get_input_volume(const RequestSpec& request, Context& context) {
  auto input = find_input(Fields(request), context.snapshot);
  if (const auto* channel = found(input)) {
    return Result::success(volume(channel->gain_db));
  }
  return std::get<Result>(input);
}

Step set_input_volume(const RequestSpec& request, Context& context) {
  const Fields fields(request);
  auto input = find_input(fields, context.snapshot);
  const auto* channel = found(input);
  if (channel == nullptr) {
    return std::get<Result>(input);
  }
  const bool has_mul = fields.has("inputVolumeMul");
  const bool has_db = fields.has("inputVolumeDb");
  if (has_mul && has_db) {
    return Result::error(Status::too_many_request_fields, "You may only specify one volume field.");
  }
  if (!has_mul && !has_db) {
    return Result::error(Status::missing_request_field, "You must specify one volume field.");
  }
  // OBS's ranges are accepted; hallcast's fader runs from -60 to +12 dB, so a value
  // beyond it (silence is a multiplier of 0) sets the fader to its end.
  double db = 0;
  if (has_mul) {
    double mul = 0;
    if (auto error = fields.number("inputVolumeMul", mul, 0, 20)) {
      return *error;
    }
    db = mul_to_db(mul);
  } else if (auto error = fields.number("inputVolumeDb", db, -100, 26)) {
    return *error;
  }
  db = std::clamp(db, min_gain_db, max_gain_db);
  return one_command(show::AudioSet{channel->channel, db, std::nullopt});
}

Step get_scene_item_list(const RequestSpec& request, Context& context) {
  auto scene = find_scene(Fields(request), context.snapshot);
  if (auto* error = std::get_if<Result>(&scene)) {
    return *error;
  }
  json items = json::array();
  const auto& overlays = context.snapshot.overlays;
  for (std::size_t i = 0; i < overlays.size(); ++i) {
    items.push_back({{"inputKind", overlay_kind(overlays[i].type)},
                     {"isGroup", nullptr},
                     {"sceneItemBlendMode", "OBS_BLEND_NORMAL"},
                     {"sceneItemEnabled", overlays[i].visible},
                     {"sceneItemId", scene_item_id(overlays[i])},
                     {"sceneItemIndex", i},
                     {"sceneItemLocked", false},
                     {"sceneItemTransform", full_frame_transform(context)},
                     {"sourceName", overlays[i].id},
                     {"sourceType", "OBS_SOURCE_TYPE_INPUT"},
                     {"sourceUuid", overlays[i].id}});
  }
  return Result::success({{"sceneItems", std::move(items)}});
}

Step get_scene_item_id(const RequestSpec& request, Context& context) {
  const Fields fields(request);
  auto scene = find_scene(fields, context.snapshot);
  if (auto* error = std::get_if<Result>(&scene)) {
    return *error;
  }
  std::string source;
  if (auto error = fields.string("sourceName", source)) {
    return *error;
  }
  double offset = 0;
  if (fields.has("searchOffset")) {
    if (auto error = fields.number("searchOffset", offset, -1, 1e9)) {
      return *error;
    }
  }
  // Each overlay is in a scene once, so only the first match (offset 0, or -1 for the
  // last) can be found.
  if (offset == 0 || offset == -1) {
    const auto& overlays = context.snapshot.overlays;
    for (std::size_t i = 0; i < overlays.size(); ++i) {
      if (overlays[i].id == source) {
        return Result::success({{"sceneItemId", scene_item_id(overlays[i])}});
      }
    }
  }
  return Result::error(Status::resource_not_found,
                       "No scene items were found in the specified scene by that name or offset.");
}

Step get_scene_item_enabled(const RequestSpec& request, Context& context) {
  auto item = find_scene_item(Fields(request), context.snapshot);
  if (const auto* overlay = found(item)) {
    return Result::success({{"sceneItemEnabled", overlay->visible}});
  }
  return std::get<Result>(item);
}

Step set_scene_item_enabled(const RequestSpec& request, Context& context) {
  const Fields fields(request);
  auto item = find_scene_item(fields, context.snapshot);
  const auto* overlay = found(item);
  if (overlay == nullptr) {
    return std::get<Result>(item);
  }
  bool enabled = false;
  if (auto error = fields.boolean("sceneItemEnabled", enabled)) {
    return *error;
  }
  if (enabled) {
    return one_command(show::OverlayShow{overlay->id});
  }
  return one_command(show::OverlayHide{overlay->id});
}

}  // namespace hallcast::control::obs
