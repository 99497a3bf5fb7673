// The VISCA protocol as bytes: the camera commands hallcast sends, the replies it
// reads, and Sony's VISCA-over-IP framing. Pure functions, no sockets.
//
// Written here rather than taken from a library: Debian carries no VISCA library
// (libvisca speaks to serial ports only and knows neither tally nor the IP framing),
// and the few messages hallcast needs fit in this file.
//
// A VISCA message is `8x … FF` (x = the camera's address, 1 on a network camera), a
// reply `y0 4z FF` (ACK, z = socket), `y0 5z … FF` (completion) or `y0 6z ee FF`
// (error ee). VISCA over IP wraps each message in an 8-byte header: payload type (2
// bytes), payload length (2), sequence number (4), all big-endian.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hallcast::engine::visca {

using Bytes = std::vector<std::uint8_t>;

// --- camera commands (address 1) ---------------------------------------------------
Bytes recall(int preset);  // CAM_Memory Recall: 81 01 04 3F 02 pp FF
Bytes store(int preset);   // CAM_Memory Set:    81 01 04 3F 01 pp FF
// Pan-tilt drive: 81 01 06 01 VV WW 0x 0y FF. `pan` and `tilt` from -1 to 1 (right and
// up positive); the speed's size picks VV (1..0x18) and WW (1..0x14), its sign the
// direction x/y (1 left/up, 2 right/down, 3 stop).
Bytes pan_tilt(double pan, double tilt);
// Zoom: 81 01 04 07 2p FF (tele, speed p 0..7), 3p (wide), 00 (stop); `zoom` from -1
// (wide) to 1 (tele).
Bytes zoom(double zoom);
Bytes tally(bool on);   // 81 01 7E 01 0A 00 0p FF, p = 2 on, 3 off
Bytes power_inquiry();  // CAM_PowerInq: 81 09 04 00 FF (the link's heartbeat)

// --- replies -----------------------------------------------------------------------
enum class ReplyKind { ack, completion, error, other };

struct Reply {
  ReplyKind kind = ReplyKind::other;
  std::uint8_t error = 0;  // for errors: 01 length, 02 syntax, 03 buffer full,
                           // 04 cancelled, 05 no socket, 41 not executable
};

Reply parse_reply(const Bytes& message);

// Cuts a byte stream (raw VISCA over TCP) into whole messages, each ending in FF; the
// tail of an unfinished message stays in `buffer`.
std::vector<Bytes> take_messages(Bytes& buffer);

std::string describe_error(std::uint8_t code);

// --- Sony VISCA over IP ------------------------------------------------------------
enum PayloadType : std::uint16_t {
  kCommand = 0x0100,
  kInquiry = 0x0110,
  kReply = 0x0111,
  kSettingCommand = 0x0120,
  kControl = 0x0200,       // RESET (payload 01)
  kControlReply = 0x0201,  // 01: reset acknowledged; 0F 01: sequence number wrong;
                           // 0F 02: message type wrong
};

struct Packet {
  std::uint16_t type = 0;
  std::uint32_t sequence = 0;
  Bytes payload;
};

Bytes frame(const Packet& packet);
// Nothing when the datagram is shorter than its header or its length disagrees.
std::optional<Packet> unframe(const Bytes& datagram);

Packet reset(std::uint32_t sequence);  // control command RESET

// What a control reply says.
enum class ControlReply { reset_done, sequence_error, message_error, other };
ControlReply parse_control_reply(const Bytes& payload);

}  // namespace hallcast::engine::visca
