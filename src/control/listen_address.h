// Where the control server listens, and whether that address can be reached from other
// machines: an open server (no operator token) is only allowed where it cannot.
#pragma once

#include <string>
#include <string_view>

namespace hallcast::control {

// 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(std::string_view host);

// The address to bind, as libwebsockets takes it: "" for every interface ("0.0.0.0",
// "::", "*" or empty), "localhost" as 127.0.0.1, anything else as written.
std::string bind_address(std::string_view host);

}  // namespace hallcast::control
