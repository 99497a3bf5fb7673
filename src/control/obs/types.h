// The numbers of the obs-websocket 5.x protocol (rpcVersion 1) as OBS defines them:
// op codes, close codes, request status codes, event subscription bits and batch
// execution types. Clients compare these numbers, so they are written out here exactly
// as the protocol documents them; the names follow OBS's, so a reader can look each
// one up there.
#pragma once

#include <cstdint>
#include <string_view>

namespace hallcast::control::obs {

inline constexpr int rpc_version = 1;

// The obs-websocket release whose protocol hallcast follows, and the OBS Studio release
// that shipped it: tools that gate features on these see what they expect.
inline constexpr std::string_view obs_websocket_version = "5.3.0";
inline constexpr std::string_view obs_studio_version = "30.0.0";

enum class Encoding { json, msgpack };

// The WebSocket subprotocols a client may ask for; without one, JSON.
inline constexpr std::string_view json_subprotocol = "obswebsocket.json";
inline constexpr std::string_view msgpack_subprotocol = "obswebsocket.msgpack";

namespace op {
inline constexpr int hello = 0;
inline constexpr int identify = 1;
inline constexpr int identified = 2;
inline constexpr int reidentify = 3;
inline constexpr int event = 5;
inline constexpr int request = 6;
inline constexpr int request_response = 7;
inline constexpr int request_batch = 8;
inline constexpr int request_batch_response = 9;
}  // namespace op

// WebSocketCloseCode.
enum class CloseCode : int {
  dont_close = 0,
  unknown_reason = 4000,
  message_decode_error = 4002,
  missing_data_field = 4003,
  invalid_data_field_type = 4004,
  invalid_data_field_value = 4005,
  unknown_op_code = 4006,
  not_identified = 4007,
  already_identified = 4008,
  authentication_failed = 4009,
  unsupported_rpc_version = 4010,
  session_invalidated = 4011,
  unsupported_feature = 4012,
};

// RequestStatus.
enum class Status : int {
  unknown = 0,
  no_error = 10,
  success = 100,
  missing_request_type = 203,
  unknown_request_type = 204,
  generic_error = 205,
  unsupported_request_batch_execution_type = 206,
  not_ready = 207,
  missing_request_field = 300,
  missing_request_data = 301,
  invalid_request_field = 400,
  invalid_request_field_type = 401,
  request_field_out_of_range = 402,
  request_field_empty = 403,
  too_many_request_fields = 404,
  output_running = 500,
  output_not_running = 501,
  output_paused = 502,
  output_not_paused = 503,
  output_disabled = 504,
  studio_mode_active = 505,
  studio_mode_not_active = 506,
  resource_not_found = 600,
  resource_already_exists = 601,
  invalid_resource_type = 602,
  not_enough_resources = 603,
  invalid_resource_state = 604,
  invalid_input_kind = 605,
  resource_not_configurable = 606,
  invalid_filter_kind = 607,
  resource_creation_failed = 700,
  resource_action_failed = 701,
  request_processing_failed = 702,
  cannot_act = 703,
};

// EventSubscription: a client subscribes with the OR of these; each event carries its
// category as eventIntent. The high-volume ones are never part of `all`.
namespace subscription {
inline constexpr std::uint32_t none = 0;
inline constexpr std::uint32_t general = 1u << 0;
inline constexpr std::uint32_t config = 1u << 1;
inline constexpr std::uint32_t scenes = 1u << 2;
inline constexpr std::uint32_t inputs = 1u << 3;
inline constexpr std::uint32_t transitions = 1u << 4;
inline constexpr std::uint32_t filters = 1u << 5;
inline constexpr std::uint32_t outputs = 1u << 6;
inline constexpr std::uint32_t scene_items = 1u << 7;
inline constexpr std::uint32_t media_inputs = 1u << 8;
inline constexpr std::uint32_t vendors = 1u << 9;
inline constexpr std::uint32_t ui = 1u << 10;
inline constexpr std::uint32_t canvases = 1u << 11;
inline constexpr std::uint32_t all = general | config | scenes | inputs | transitions | filters |
                                     outputs | scene_items | media_inputs | vendors | ui | canvases;
inline constexpr std::uint32_t input_volume_meters = 1u << 16;
inline constexpr std::uint32_t input_active_state_changed = 1u << 17;
inline constexpr std::uint32_t input_show_state_changed = 1u << 18;
inline constexpr std::uint32_t scene_item_transform_changed = 1u << 19;
}  // namespace subscription

// RequestBatchExecutionType.
enum class Execution : int {
  none = -1,  // a single request, not in a batch
  serial_realtime = 0,
  serial_frame = 1,
  parallel = 2,
};

}  // namespace hallcast::control::obs
