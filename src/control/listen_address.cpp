#include "control/listen_address.h"

namespace hallcast::control {

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
