#include "config/rtmp_target.h"

#include <charconv>

namespace hallcast::config {

std::string RtmpTarget::public_url() const {
  std::string url = scheme + "://" + host + ":" + std::to_string(port);
  if (!application.empty()) {
    url += "/" + application;
  }
  return url;
}

std::optional<RtmpTarget> parse_rtmp_target(std::string_view url, std::string_view key) {
  RtmpTarget t;
  const auto sep = url.find("://");
  if (sep == std::string_view::npos) {
    return std::nullopt;
  }
  t.scheme = std::string(url.substr(0, sep));
  if (t.scheme != "rtmp" && t.scheme != "rtmps") {
    return std::nullopt;
  }
  t.port = t.scheme == "rtmps" ? 443 : 1935;
  std::string_view rest = url.substr(sep + 3);
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash + 1);

  if (!authority.empty() && authority.front() == '[') {  // [v6]:port
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      return std::nullopt;
    }
    t.host = std::string(authority.substr(1, close - 1));
    authority.remove_prefix(close + 1);
    if (!authority.empty() && authority.front() != ':') {
      return std::nullopt;
    }
  } else {
    const auto colon = authority.rfind(':');
    t.host = std::string(authority.substr(0, colon));
    authority = colon == std::string_view::npos ? "" : authority.substr(colon);
  }
  if (!authority.empty()) {  // ":port"
    const auto digits = authority.substr(1);
    int port = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc{} || end != digits.data() + digits.size() || port < 1 || port > 65535) {
      return std::nullopt;
    }
    t.port = port;
  }
  if (t.host.empty()) {
    return std::nullopt;
  }
  while (!path.empty() && path.back() == '/') {
    path.remove_suffix(1);
  }
  if (!key.empty()) {
    t.application = std::string(path);
    t.stream = std::string(key);
  } else {
    const auto last = path.rfind('/');
    if (last == std::string_view::npos) {
      t.stream = std::string(path);
    } else {
      t.application = std::string(path.substr(0, last));
      t.stream = std::string(path.substr(last + 1));
    }
  }
  return t;
}

}  // namespace hallcast::config
