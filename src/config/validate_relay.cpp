// Validator rules for the relay (docs/configuration.md, "relay"): an upload address
// nginx-rtmp can take, and a statistics address hallcast can read. Both end up in
// nginx's configuration (`hallcast deploy relay-nginx`) as well as in hallcast's
// connections, so only characters that cannot end an nginx directive are accepted.
#include <algorithm>
#include <variant>

#include "config/relay_plan.h"
#include "config/uri_syntax.h"
#include "config/validate.h"

namespace hallcast::config {
namespace {

// An application or location name nginx takes as it is: letters, digits, and - _ .
// (and / between the parts of a location).
bool plain_name(std::string_view text, bool slashes) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [&](char c) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return alnum || c == '-' || c == '_' || c == '.' || (slashes && c == '/');
  });
}

// `SCHEME://HOST[:PORT]` and what follows the authority ("" or "/…"), or a message.
std::variant<std::pair<NetworkUrl, std::string>, std::string> split(const std::string& text,
                                                                    std::string_view scheme,
                                                                    std::string_view expected) {
  auto parsed = parse_network_url(text);
  if (auto* message = std::get_if<std::string>(&parsed)) {
    return text.find("://") == std::string::npos ? std::string(expected) : *message;
  }
  NetworkUrl url = std::get<NetworkUrl>(std::move(parsed));
  const std::size_t authority = text.find("://") + 3;
  const std::size_t end = text.find_first_of("/?#", authority);
  if (url.scheme != scheme || url.host.empty()) {
    return std::string(expected);
  }
  if (text.substr(authority, end - authority).find('@') != std::string::npos) {
    return std::string("takes no user or password");
  }
  return std::pair{url, end == std::string::npos ? std::string() : text.substr(end)};
}

void check_upload_url(const Relay& relay, Problems& problems) {
  const std::string path = "relay.url";
  if (problems.unreadable(path)) {
    return;
  }
  const char* expected = "expected rtmp://HOST[:PORT]/APP";
  auto parsed = split(relay.url, "rtmp", expected);
  if (auto* message = std::get_if<std::string>(&parsed)) {
    problems.add(path, *message);
    return;
  }
  std::string app = std::get<0>(parsed).second;
  while (app.size() > 1 && app.back() == '/') {
    app.pop_back();
  }
  // One application, which the relay's configuration names and each language is a
  // stream of: `url/<language>`.
  if (app.empty() || app == "/" || !plain_name(app.substr(1), false)) {
    problems.add(
        path, std::string(expected) + ", APP one name of letters, digits, \"-\", \"_\" or \".\"");
  }
}

void check_stat_url(const Relay& relay, Problems& problems) {
  const std::string path = "relay.stat_url";
  if (relay.stat_url.empty() || problems.unreadable(path)) {
    return;
  }
  const char* expected = "expected http://HOST:PORT/PATH";
  auto parsed = split(relay.stat_url, "http", expected);
  if (auto* message = std::get_if<std::string>(&parsed)) {
    problems.add(path, *message);
    return;
  }
  const auto& [url, location] = std::get<0>(parsed);
  if (url.port == 0 || location.empty() || !plain_name(location.substr(1), true)) {
    problems.add(path,
                 std::string(expected) + ", PATH of letters, digits, \"/\", \"-\", \"_\" or \".\"");
  }
}

}  // namespace

void validate_relay(const Config& config, Problems& problems) {
  if (!config.relay) {
    return;
  }
  check_upload_url(*config.relay, problems);
  check_stat_url(*config.relay, problems);
  if (problems.reported("relay")) {
    return;
  }
  // The statistics take the port after the relay's by default, and the TLS tunnels to
  // rtmps platforms the ports after the statistics' one.
  const auto tunnels =
      std::count_if(config.outputs.begin(), config.outputs.end(), [](const Output& o) {
        return o.type == OutputType::rtmp && o.url.rfind("rtmps://", 0) == 0;
      });
  if (relay_stat_location(*config.relay).port + tunnels > 65535) {
    problems.add(config.relay->stat_url.empty() ? "relay.url" : "relay.stat_url",
                 "no room for the ports after it: the relay's statistics and its TLS tunnels "
                 "to rtmps platforms take one each");
  }
}

}  // namespace hallcast::config
