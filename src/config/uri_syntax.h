// Syntax of the network addresses and paths a config names. The values are later
// placed into GStreamer pipeline descriptions, so only characters that cannot end a
// property value or start a new element are accepted: no spaces, quotes, `!`, `,`,
// `;`, brackets of any kind outside an IPv6 host, `$`, backslashes or control bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace hallcast::config {

enum class Charset {
  network_uri,  // letters, digits and - . _ ~ : / ? @ & = + %XX
  file_path,    // letters (any script), digits and - . _ ~ / + @
  device_name,  // letters, digits and - . _ : @ +  (a PulseAudio source name)
};

// A message naming the first character that `charset` does not allow, or nothing.
std::optional<std::string> find_unsafe_character(std::string_view text, Charset charset);

// Appends `text` with its %XX escapes decoded to `out`; on a bad escape returns the
// message.
std::optional<std::string> percent_decode(std::string_view text, std::string& out);

struct NetworkUrl {
  std::string scheme;  // lowercase
  std::string host;    // without the brackets of an IPv6 literal; may be empty
  int port = 0;        // 0 when the URL names none
};

// Splits `scheme://[user@]host[:port][/…][?…]` and checks its characters. On failure
// returns the message.
std::variant<NetworkUrl, std::string> parse_network_url(std::string_view text);

struct ListenAddress {
  std::string host;  // without the brackets of an IPv6 literal
  int port = 0;
};

// `HOST:PORT` or `[IPV6]:PORT`, port 1..65535. On failure returns the message.
std::variant<ListenAddress, std::string> parse_listen_address(std::string_view text);

// 127.0.0.0/8, ::1 and "localhost": a listen address other machines cannot reach.
bool is_loopback_host(std::string_view host);

}  // namespace hallcast::config
