// Where the control server listens, and whether that address can be reached from other
// machines: an open server (no operator token) is only allowed where it cannot.
#pragma once

#include <string>
#include <string_view>

#include "config/uri_syntax.h"

namespace hallcast::control {

// 127.0.0.0/8, ::1 and "localhost": the config's rule, so that `check` and the server
// agree on it.
using config::is_loopback_host;

// The address to bind, as libwebsockets takes it: "" for every interface ("0.0.0.0",
// "::", "*" or empty), "localhost" as 127.0.0.1, anything else as written.
std::string bind_address(std::string_view host);

}  // namespace hallcast::control
