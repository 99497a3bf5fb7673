#include "control/connection_limits.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstring>

namespace hallcast::control {

ConnectionLimitSettings within_descriptor_limit(ConnectionLimitSettings wanted,
                                                unsigned long long soft_limit) {
  const auto share = static_cast<std::size_t>(std::max<unsigned long long>(soft_limit / 8, 1));
  wanted.total = std::max<std::size_t>(std::min(wanted.total, share), 1);
  wanted.per_address = std::max<std::size_t>(std::min(wanted.per_address, wanted.total), 1);
  return wanted;
}

ConnectionLimitSettings within_descriptor_limit(ConnectionLimitSettings wanted) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) {
    return within_descriptor_limit(wanted, ~0ull);
  }
  return within_descriptor_limit(wanted, limit.rlim_cur);
}

std::string address_key(const sockaddr* address, socklen_t length) {
  char text[INET6_ADDRSTRLEN] = "";
  if (address == nullptr) {
    return {};
  }
  if (address->sa_family == AF_INET && length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
    return text;
  }
  if (address->sa_family == AF_INET6 && length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
    if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) {
      in_addr v4{};
      std::memcpy(&v4, v6->sin6_addr.s6_addr + 12, sizeof(v4));
      inet_ntop(AF_INET, &v4, text, sizeof(text));
      return text;
    }
    in6_addr prefix = v6->sin6_addr;
    std::memset(prefix.s6_addr + 8, 0, 8);
    inet_ntop(AF_INET6, &prefix, text, sizeof(text));
    return std::string(text) + "/64";
  }
  return {};
}

ConnectionLimits::ConnectionLimits(ConnectionLimitSettings settings) : settings_(settings) {}

ConnectionLimits::Verdict ConnectionLimits::admit(const std::string& key) {
  std::lock_guard lock(mutex_);
  if (open_ >= settings_.total) {
    return Verdict::over_total;
  }
  auto [it, inserted] = per_address_.try_emplace(key, 0);
  if (it->second >= settings_.per_address) {
    return Verdict::over_address;
  }
  ++it->second;
  ++open_;
  return Verdict::admitted;
}

void ConnectionLimits::release(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto it = per_address_.find(key);
  if (it == per_address_.end()) {
    return;
  }
  --open_;
  if (--it->second == 0) {
    per_address_.erase(it);
  }
}

std::size_t ConnectionLimits::open() const {
  std::lock_guard lock(mutex_);
  return open_;
}

}  // namespace hallcast::control
