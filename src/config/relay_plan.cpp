#include "config/relay_plan.h"

#include <variant>

#include "config/uri_syntax.h"

namespace hallcast::config {
namespace {

constexpr int kDefaultRtmpPort = 1935;
constexpr const char* kDefaultStatPath = "/stat";

std::string host_text(const std::string& host) {
  return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

bool unkeyed(const Output& output) {
  return output.key.empty() && !output.key_env.empty();
}

}  // namespace

std::string relay_application(const Relay& relay) {
  // With no key, the URL's last segment comes out as the stream: the validator has made
  // sure the URL is rtmp://HOST[:PORT]/APP.
  const auto target = parse_rtmp_target(relay.url, "");
  return target ? target->stream : std::string();
}

std::string relay_upload_url(const Relay& relay, std::string_view language) {
  std::string url = relay.url;
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  return url + "/" + std::string(language);
}

std::string HttpLocation::url() const {
  return "http://" + host_text(host) + ":" + std::to_string(port) + path;
}

HttpLocation relay_stat_location(const Relay& relay) {
  HttpLocation location;
  if (!relay.stat_url.empty()) {
    const auto parsed = parse_network_url(relay.stat_url);
    if (const auto* url = std::get_if<NetworkUrl>(&parsed)) {
      location.host = url->host;
      location.port = url->port;
    }
    const auto authority = relay.stat_url.find("://") + 3;
    const auto slash = relay.stat_url.find('/', authority);
    location.path = slash == std::string::npos ? "/" : relay.stat_url.substr(slash);
    return location;
  }
  const auto parsed = parse_network_url(relay.url);
  if (const auto* url = std::get_if<NetworkUrl>(&parsed)) {
    location.host = url->host;
    location.port = (url->port == 0 ? kDefaultRtmpPort : url->port) + 1;
  }
  location.path = kDefaultStatPath;
  return location;
}

std::string RelayPush::push_url() const {
  std::string url = tunnel_port != 0
                        ? "rtmp://127.0.0.1:" + std::to_string(tunnel_port)
                        : "rtmp://" + host_text(target.host) + ":" + std::to_string(target.port);
  if (!target.application.empty()) {
    url += "/" + target.application;
  }
  return url + "/" + target.stream;
}

std::string RelayPush::stat_address() const {
  return push_url().substr(std::string_view("rtmp://").size());
}

std::vector<RelayPush> relay_pushes(const Config& config) {
  std::vector<RelayPush> pushes;
  if (!config.relay) {
    return pushes;
  }
  int next_tunnel = relay_stat_location(*config.relay).port + 1;
  for (std::size_t i = 0; i < config.outputs.size(); ++i) {
    const Output& output = config.outputs[i];
    if (output.type != OutputType::rtmp || unkeyed(output)) {
      continue;
    }
    auto target = parse_rtmp_target(output.url, output.key.reveal());
    if (!target) {
      continue;
    }
    RelayPush push{i, output.id, output.language, std::move(*target)};
    if (push.target.scheme == "rtmps") {
      push.tunnel_port = next_tunnel++;
    }
    pushes.push_back(std::move(push));
  }
  return pushes;
}

std::vector<std::size_t> relay_unkeyed_outputs(const Config& config) {
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < config.outputs.size(); ++i) {
    if (config.outputs[i].type == OutputType::rtmp && unkeyed(config.outputs[i])) {
      found.push_back(i);
    }
  }
  return found;
}

}  // namespace hallcast::config
