#include "control/obs/codec.h"

#include <cstdint>
#include <vector>

namespace hallcast::control::obs {
namespace {

// nlohmann reads JSON without recursion, but it reads MessagePack, and writes and
// compares both, recursively: a message of a few hundred kilobytes of nested arrays
// would overflow the stack. Nothing in the protocol nests deeply, so deeper messages
// are refused before they are read. Both scanners walk the bytes once, without
// recursion.
constexpr std::size_t max_depth = 64;

bool json_depth_ok(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        return false;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

// Also false for a truncated message, or one that announces more elements than it has
// bytes: nlohmann would refuse it too, but only after trying to read it.
bool msgpack_depth_ok(std::string_view bytes) {
  std::vector<std::uint64_t> open;  // elements still to come in each open container
  open.push_back(1);                // the message itself: one value
  std::size_t at = 0;
  auto take = [&](std::size_t n) -> std::uint64_t {  // a big-endian length
    std::uint64_t value = 0;
    for (std::size_t k = 0; k < n; ++k) {
      value = (value << 8) | static_cast<unsigned char>(bytes[at + k]);
    }
    at += n;
    return value;
  };
  while (!open.empty()) {
    if (open.back() == 0) {
      open.pop_back();
      continue;
    }
    --open.back();
    if (at >= bytes.size()) {
      return false;
    }
    const auto b = static_cast<unsigned char>(bytes[at++]);
    std::uint64_t skip = 0;      // payload bytes after the header
    std::uint64_t children = 0;  // elements of a container
    bool container = false;
    std::size_t length_bytes = 0;  // a length field of this many bytes follows
    if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
    } else if (b <= 0x8f) {
      container = true;
      children = 2u * (b & 0x0fu);
    } else if (b <= 0x9f) {
      container = true;
      children = b & 0x0fu;
    } else if (b <= 0xbf) {
      skip = b & 0x1fu;
    } else {
      switch (b) {
        case 0xc4:
        case 0xd9:
          length_bytes = 1;
          break;
        case 0xc5:
        case 0xda:
          length_bytes = 2;
          break;
        case 0xc6:
        case 0xdb:
          length_bytes = 4;
          break;
        case 0xc7:
          length_bytes = 1;
          skip = 1;
          break;
        case 0xc8:
          length_bytes = 2;
          skip = 1;
          break;
        case 0xc9:
          length_bytes = 4;
          skip = 1;
          break;
        case 0xca:
          skip = 4;
          break;
        case 0xcb:
          skip = 8;
          break;
        case 0xcc:
        case 0xd0:
          skip = 1;
          break;
        case 0xcd:
        case 0xd1:
          skip = 2;
          break;
        case 0xce:
        case 0xd2:
          skip = 4;
          break;
        case 0xcf:
        case 0xd3:
          skip = 8;
          break;
        case 0xd4:
          skip = 2;
          break;
        case 0xd5:
          skip = 3;
          break;
        case 0xd6:
          skip = 5;
          break;
        case 0xd7:
          skip = 9;
          break;
        case 0xd8:
          skip = 17;
          break;
        case 0xdc:
          container = true;
          length_bytes = 2;
          break;
        case 0xdd:
          container = true;
          length_bytes = 4;
          break;
        case 0xde:
          container = true;
          length_bytes = 2;
          children = 2;
          break;
        case 0xdf:
          container = true;
          length_bytes = 4;
          children = 2;
          break;
        default:
          return false;  // 0xc1: never used
      }
    }
    if (length_bytes > 0) {
      if (bytes.size() - at < length_bytes) {
        return false;
      }
      const std::uint64_t length = take(length_bytes);
      if (container) {
        children = (children == 2 ? 2 : 1) * length;
      } else {
        skip += length;
      }
    }
    if (container) {
      // Every element takes at least one byte.
      if (children > bytes.size() - at || open.size() >= max_depth) {
        return false;
      }
      open.push_back(children);
    } else if (skip > bytes.size() - at) {
      return false;
    } else {
      at += static_cast<std::size_t>(skip);
    }
  }
  return true;
}

}  // namespace

std::variant<nlohmann::json, CloseWith> decode(Encoding encoding, bool binary,
                                               std::string_view payload) {
  if (encoding == Encoding::json) {
    if (binary) {
      return CloseWith{CloseCode::message_decode_error,
                       "Your session encoding is set to Json, but a binary message was received."};
    }
    if (!json_depth_ok(payload)) {
      return CloseWith{CloseCode::message_decode_error,
                       "Unable to decode Json: nested too deeply."};
    }
    auto message = nlohmann::json::parse(payload, nullptr, false);
    if (message.is_discarded()) {
      return CloseWith{CloseCode::message_decode_error, "Unable to decode Json."};
    }
    return message;
  }
  if (!binary) {
    return CloseWith{CloseCode::message_decode_error,
                     "Your session encoding is set to MsgPack, but a text message was received."};
  }
  if (!msgpack_depth_ok(payload)) {
    return CloseWith{CloseCode::message_decode_error,
                     "Unable to decode MsgPack: truncated or nested too deeply."};
  }
  auto message = nlohmann::json::from_msgpack(payload, true, false);
  if (message.is_discarded()) {
    return CloseWith{CloseCode::message_decode_error, "Unable to decode MsgPack."};
  }
  return message;
}

std::string encode(Encoding encoding, const nlohmann::json& message) {
  if (encoding == Encoding::json) {
    // Texts from the show are the operator's (names, labels), so invalid UTF-8 is
    // replaced rather than allowed to throw.
    return message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::string bytes;
  nlohmann::json::to_msgpack(message, bytes);
  return bytes;
}

Encoding encoding_of(std::string_view subprotocol) {
  return subprotocol == msgpack_subprotocol ? Encoding::msgpack : Encoding::json;
}

}  // namespace hallcast::control::obs
