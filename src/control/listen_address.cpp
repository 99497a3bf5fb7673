#include "control/listen_address.h"

#include <arpa/inet.h>

namespace hallcast::control {

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

std::string bind_address(std::string_view host) {
  if (host.empty() || host == "0.0.0.0" || host == "::" || host == "*") {
    return {};
  }
  if (host == "localhost") {
    return "127.0.0.1";
  }
  return std::string(host);
}

}  // namespace hallcast::control
