#include "engine/ptz/visca.h"

#include <algorithm>
#include <cmath>

namespace hallcast::engine::visca {
namespace {

constexpr std::uint8_t kAddress = 0x81;
constexpr std::uint8_t kEnd = 0xFF;

// A speed from 0 to 1 as 1..top: any non-zero speed moves at least at the slowest step.
std::uint8_t step(double speed, int top) {
  const double size = std::clamp(std::fabs(speed), 0.0, 1.0);
  return static_cast<std::uint8_t>(std::clamp(static_cast<int>(std::lround(size * top)), 1, top));
}

std::uint8_t direction(double speed, std::uint8_t negative, std::uint8_t positive) {
  if (speed == 0.0 || std::isnan(speed)) {
    return 0x03;
  }
  return speed < 0 ? negative : positive;
}

std::uint8_t preset_byte(int preset) {
  return static_cast<std::uint8_t>(std::clamp(preset, 0, 0x7F));
}

}  // namespace

Bytes recall(int preset) {
  return {kAddress, 0x01, 0x04, 0x3F, 0x02, preset_byte(preset), kEnd};
}

Bytes store(int preset) {
  return {kAddress, 0x01, 0x04, 0x3F, 0x01, preset_byte(preset), kEnd};
}

Bytes pan_tilt(double pan, double tilt) {
  // VISCA's pan direction 01 is left, 02 right; tilt 01 is up, 02 down.
  return {kAddress,
          0x01,
          0x06,
          0x01,
          step(pan, 0x18),
          step(tilt, 0x14),
          direction(pan, 0x01, 0x02),
          direction(tilt, 0x02, 0x01),
          kEnd};
}

Bytes zoom(double zoom) {
  std::uint8_t action = 0x00;
  if (zoom != 0.0 && !std::isnan(zoom)) {
    const std::uint8_t speed =
        static_cast<std::uint8_t>(std::lround(std::clamp(std::fabs(zoom), 0.0, 1.0) * 7));
    action = static_cast<std::uint8_t>((zoom > 0 ? 0x20 : 0x30) | speed);
  }
  return {kAddress, 0x01, 0x04, 0x07, action, kEnd};
}

Bytes tally(bool on) {
  return {kAddress, 0x01, 0x7E, 0x01, 0x0A, 0x00, static_cast<std::uint8_t>(on ? 0x02 : 0x03),
          kEnd};
}

Bytes power_inquiry() {
  return {kAddress, 0x09, 0x04, 0x00, kEnd};
}

Reply parse_reply(const Bytes& message) {
  if (message.size() < 3 || (message[0] & 0x8F) != 0x80 || message.back() != kEnd) {
    return {};
  }
  switch (message[1] & 0xF0) {
    case 0x40:
      return {ReplyKind::ack, 0};
    case 0x50:
      return {ReplyKind::completion, 0};
    case 0x60:
      return {ReplyKind::error, message.size() >= 4 ? message[2] : std::uint8_t{0}};
    default:
      return {};
  }
}

std::vector<Bytes> take_messages(Bytes& buffer) {
  std::vector<Bytes> messages;
  auto begin = buffer.begin();
  for (auto it = buffer.begin(); it != buffer.end(); ++it) {
    if (*it == kEnd) {
      messages.emplace_back(begin, it + 1);
      begin = it + 1;
    }
  }
  buffer.erase(buffer.begin(), begin);
  return messages;
}

std::string describe_error(std::uint8_t code) {
  switch (code) {
    case 0x01:
      return "message length error";
    case 0x02:
      return "syntax error";
    case 0x03:
      return "command buffer full";
    case 0x04:
      return "command cancelled";
    case 0x05:
      return "no socket";
    case 0x41:
      return "command not executable";
    default:
      return "error " + std::to_string(code);
  }
}

Bytes frame(const Packet& packet) {
  const auto length = static_cast<std::uint16_t>(packet.payload.size());
  Bytes out(8 + packet.payload.size());
  out[0] = static_cast<std::uint8_t>(packet.type >> 8);
  out[1] = static_cast<std::uint8_t>(packet.type & 0xFF);
  out[2] = static_cast<std::uint8_t>(length >> 8);
  out[3] = static_cast<std::uint8_t>(length & 0xFF);
  out[4] = static_cast<std::uint8_t>(packet.sequence >> 24);
  out[5] = static_cast<std::uint8_t>((packet.sequence >> 16) & 0xFF);
  out[6] = static_cast<std::uint8_t>((packet.sequence >> 8) & 0xFF);
  out[7] = static_cast<std::uint8_t>(packet.sequence & 0xFF);
  std::copy(packet.payload.begin(), packet.payload.end(), out.begin() + 8);
  return out;
}

std::optional<Packet> unframe(const Bytes& datagram) {
  if (datagram.size() < 8) {
    return std::nullopt;
  }
  const std::size_t length = (std::size_t{datagram[2]} << 8) | datagram[3];
  if (datagram.size() != 8 + length) {
    return std::nullopt;
  }
  Packet packet;
  packet.type = static_cast<std::uint16_t>((datagram[0] << 8) | datagram[1]);
  packet.sequence = (std::uint32_t{datagram[4]} << 24) | (std::uint32_t{datagram[5]} << 16) |
                    (std::uint32_t{datagram[6]} << 8) | std::uint32_t{datagram[7]};
  packet.payload.assign(datagram.begin() + 8, datagram.end());
  return packet;
}

Packet reset(std::uint32_t sequence) {
  return {kControl, sequence, {0x01}};
}

ControlReply parse_control_reply(const Bytes& payload) {
  if (payload.size() == 1 && payload[0] == 0x01) {
    return ControlReply::reset_done;
  }
  if (payload.size() == 2 && payload[0] == 0x0F) {
    if (payload[1] == 0x01) {
      return ControlReply::sequence_error;
    }
    if (payload[1] == 0x02) {
      return ControlReply::message_error;
    }
  }
  return ControlReply::other;
}

}  // namespace hallcast::engine::visca
