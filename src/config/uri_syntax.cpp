// Character and address rules shared by source URIs, output URLs and control.listen.
#include "config/uri_syntax.h"

#include <arpa/inet.h>

#include <cctype>
#include <charconv>

#include "config/problems.h"

namespace hallcast::config {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_hex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

bool allowed(char c, Charset charset) {
  const auto byte = static_cast<unsigned char>(c);
  if (is_alnum(c)) {
    return true;
  }
  switch (charset) {
    case Charset::network_uri:
      return std::string_view("-._~:/?@&=+%").find(c) != std::string_view::npos;
    case Charset::file_path:
      // Bytes of non-ASCII letters: a Moscow operator's files may well be named in Cyrillic.
      return byte >= 0x80 || std::string_view("-._~/+@").find(c) != std::string_view::npos;
    case Charset::device_name:
      return std::string_view("-._:@+").find(c) != std::string_view::npos;
  }
  return false;
}

std::string describe_character(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (c == ' ') {
    return "spaces are not allowed";
  }
  if (byte < 0x20 || byte == 0x7F) {
    return "control characters are not allowed";
  }
  if (byte >= 0x80) {
    return "non-ASCII characters are not allowed (percent-encode them)";
  }
  return quote(std::string(1, c)) + " is not allowed";
}

// A host name or IPv4 address; the syntax is loose, the resolver has the last word.
bool is_host_name(std::string_view host) {
  if (host.empty() || host.front() == '-' || host.front() == '.') {
    return false;
  }
  for (const char c : host) {
    if (!is_alnum(c) && c != '-' && c != '.' && c != '_') {
      return false;
    }
  }
  return true;
}

bool is_ipv6_literal(std::string_view host) {
  if (host.find(':') == std::string_view::npos) {
    return false;
  }
  for (const char c : host) {
    if (!is_hex(c) && c != ':' && c != '.') {
      return false;
    }
  }
  return true;
}

// Splits `host[:port]` or `[v6][:port]`; the port text is empty when absent.
std::optional<std::string> split_host_port(std::string_view text, std::string& host,
                                           std::string_view& port) {
  if (text.starts_with("[")) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) {
      return "unclosed \"[\" around an IPv6 address";
    }
    host = std::string(text.substr(1, close - 1));
    if (!is_ipv6_literal(host)) {
      return "not an IPv6 address: " + quote(host);
    }
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(":")) {
      return "expected \":PORT\" after the IPv6 address";
    }
    port = rest.empty() ? rest : rest.substr(1);
    return std::nullopt;
  }
  const auto colon = text.rfind(':');
  if (colon != std::string_view::npos && text.find(':') != colon) {
    return "an IPv6 address must be written in brackets: [ADDRESS]:PORT";
  }
  host = std::string(text.substr(0, colon));
  port = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  if (colon != std::string_view::npos && port.empty()) {
    return "empty port after \":\"";
  }
  if (!host.empty() && !is_host_name(host)) {
    return "not a host name: " + quote(host);
  }
  return std::nullopt;
}

std::optional<int> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5) {
    return std::nullopt;
  }
  int port = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    port = port * 10 + (c - '0');
  }
  if (port < 1 || port > 65535) {
    return std::nullopt;
  }
  return port;
}

}  // namespace

std::optional<std::string> find_unsafe_character(std::string_view text, Charset charset) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!allowed(text[i], charset)) {
      return describe_character(text[i]);
    }
    if (charset == Charset::network_uri && text[i] == '%' &&
        (i + 2 >= text.size() || !is_hex(text[i + 1]) || !is_hex(text[i + 2]))) {
      return std::string("\"%\" must start an escape such as %20");
    }
  }
  return std::nullopt;
}

std::optional<std::string> percent_decode(std::string_view text, std::string& out) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    unsigned value = 0;
    const char* first = text.data() + i + 1;
    const auto [end, error] = i + 2 < text.size()
                                  ? std::from_chars(first, first + 2, value, 16)
                                  : std::from_chars_result{first, std::errc::invalid_argument};
    if (error != std::errc() || end != first + 2) {
      return std::string("\"%\" must start an escape such as %20");
    }
    out += static_cast<char>(value);
    i += 2;
  }
  return std::nullopt;
}

std::variant<NetworkUrl, std::string> parse_network_url(std::string_view text) {
  const auto separator = text.find("://");
  if (separator == std::string_view::npos || separator == 0) {
    return std::string("expected SCHEME://HOST…");
  }
  NetworkUrl url;
  for (const char c : text.substr(0, separator)) {
    if (!is_alnum(c) && c != '+' && c != '-' && c != '.') {
      return "not a URL scheme: " + quote(text.substr(0, separator));
    }
    url.scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const std::string_view rest = text.substr(separator + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  // IP cameras want `user:password@`; it is checked but never written back.
  const auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    if (find_unsafe_character(authority.substr(0, at), Charset::network_uri)) {
      // Which character is not said: it would be a piece of the password.
      return std::string(
          "the part before \"@\" holds a character not allowed in a URL "
          "(percent-encode it)");
    }
    authority = authority.substr(at + 1);
  }
  std::string_view port_text;
  if (auto bad = split_host_port(authority, url.host, port_text)) {
    return *bad;
  }
  if (!port_text.empty()) {
    const auto port = parse_port(port_text);
    if (!port) {
      return "port must be 1..65535, got " + quote(port_text);
    }
    url.port = *port;
  }
  const std::string_view tail = rest.substr(authority.data() + authority.size() - rest.data());
  if (auto bad = find_unsafe_character(tail, Charset::network_uri)) {
    return *bad;
  }
  return url;
}

std::variant<ListenAddress, std::string> parse_listen_address(std::string_view text) {
  const std::string expected = "expected HOST:PORT or [IPV6]:PORT, got " + quote(text);
  ListenAddress address;
  std::string_view port_text;
  if (auto bad = split_host_port(text, address.host, port_text)) {
    return *bad;
  }
  if (address.host.empty() || port_text.empty()) {
    return expected;
  }
  const auto port = parse_port(port_text);
  if (!port) {
    return "port must be 1..65535, got " + quote(port_text);
  }
  address.port = *port;
  return address;
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost") {
    return true;
  }
  const std::string text(host);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    return IN6_IS_ADDR_LOOPBACK(&v6);
  }
  return false;
}

}  // namespace hallcast::config
