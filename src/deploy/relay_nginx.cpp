#include "deploy/relay_nginx.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

#include "config/relay_plan.h"
#include "deploy/nginx_text.h"

namespace hallcast::deploy {

namespace {

// nginx-rtmp's own wait is 60 s: a platform that stops reading is let go sooner, and
// the push comes back a second after it went.
constexpr const char* kTimeout = "15s";
constexpr const char* kPushReconnect = "1s";

std::string allow_lines(std::string_view directive, const std::vector<std::string>& allow,
                        std::string_view indent) {
  const std::string in(indent);
  std::string text =
      in + std::string(directive) + " 127.0.0.1;\n" + in + std::string(directive) + " ::1;\n";
  for (const auto& address : allow) {
    text += in + std::string(directive) + " " + address + ";\n";
  }
  return text;
}

std::string push_lines(const config::Config& config) {
  std::string text;
  for (const auto& push : config::relay_pushes(config)) {
    const auto& target = push.target;
    text += "      # " + push.id + " (" + push.language + "): " + target.public_url() + "\n";
    text += "      push " + quote_value(push.push_url()) + " " +
            quote_value("name=" + push.language) + " " + quote_value("app=" + target.application) +
            " " + quote_value("playPath=" + target.stream);
    if (push.tunnel_port != 0) {
      // The platform sees the address it gave, not the tunnel's.
      text += " " + quote_value("tcUrl=" + target.public_url());
    }
    text += ";\n";
  }
  for (const std::size_t index : config::relay_unkeyed_outputs(config)) {
    const auto& output = config.outputs[index];
    text += "      # " + output.id + " (" + output.language + "): not pushed, " + output.key_env +
            " was not set\n";
  }
  return text;
}

std::string tunnels(const config::Config& config) {
  std::string text;
  for (const auto& push : config::relay_pushes(config)) {
    if (push.tunnel_port == 0) {
      continue;
    }
    const auto& target = push.target;
    const std::string host =
        target.host.find(':') == std::string::npos ? target.host : "[" + target.host + "]";
    text += "  # " + push.id + ": rtmps to " + target.public_url() + "\n";
    text += "  server {\n";
    text += "    listen 127.0.0.1:" + std::to_string(push.tunnel_port) + ";\n";
    text += "    proxy_pass " + host + ":" + std::to_string(target.port) + ";\n";
    text += "    proxy_ssl on;\n";
    text += "    proxy_ssl_server_name on;\n";
    text += "    proxy_ssl_name " + quote_value(target.host) + ";\n";
    text += "    proxy_ssl_verify on;\n";
    text += "    proxy_ssl_verify_depth 4;\n";
    text += "    proxy_ssl_trusted_certificate " + std::string(kCaBundle) + ";\n";
    text += "  }\n";
  }
  return text;
}

}  // namespace

std::string check_allow(std::string_view text) {
  const auto slash = text.find('/');
  const std::string host(text.substr(0, slash));
  in6_addr v6{};
  in_addr v4{};
  const bool is_v4 = inet_pton(AF_INET, host.c_str(), &v4) == 1;
  const bool is_v6 = !is_v4 && inet_pton(AF_INET6, host.c_str(), &v6) == 1;
  const std::string expected =
      "expected an IPv4 or IPv6 address, or one with /BITS, got \"" + std::string(text) + "\"";
  if (!is_v4 && !is_v6) {
    return expected;
  }
  if (slash != std::string_view::npos) {
    const auto bits_text = text.substr(slash + 1);
    int bits = -1;
    const auto [end, error] =
        std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
    if (error != std::errc{} || end != bits_text.data() + bits_text.size() || bits < 0 ||
        bits > (is_v4 ? 32 : 128)) {
      return expected;
    }
  }
  return {};
}

std::string relay_nginx(const config::Config& config, const config::ListenAddress& listen,
                        const std::vector<std::string>& allow, std::string_view config_file) {
  const config::Relay& relay = *config.relay;
  const auto pushes = config::relay_pushes(config);
  const bool tls = std::any_of(pushes.begin(), pushes.end(),
                               [](const config::RelayPush& push) { return push.tunnel_port != 0; });
  std::string modules = "load_module " + std::string(kRtmpModule) + ";\n";
  if (tls) {
    modules += "load_module " + std::string(kStreamModule) + ";\n";
  }
  const std::string application = config::relay_application(relay);
  const config::HttpLocation stat = config::relay_stat_location(relay);
  // The statistics name every push with its key: on loopback only, unless the hall's
  // addresses are allowed to read them from afar.
  const config::ListenAddress stat_listen{allow.empty() ? "127.0.0.1" : listen.host, stat.port};

  // One worker: nginx-rtmp's live streams do not cross between workers.
  std::string text = preamble(
      "hallcast relay tier: each language uploaded once, pushed on to its platforms. "
      "Holds stream keys: keep it private.",
      config_file, modules, 1024, "1");
  text += "rtmp {\n";
  text += "  server {\n";
  text += "    listen " + address(listen) + ";\n";
  text += "    chunk_size 4096;\n";
  text += "    timeout " + std::string(kTimeout) + ";\n";
  text += "    application " + application + " {\n";
  text += "      live on;\n";
  text += "      record off;\n";
  text += allow_lines("allow publish", allow, "      ");
  text += "      deny publish all;\n";
  text += "      deny play all;\n";
  text += "      push_reconnect " + std::string(kPushReconnect) + ";\n";
  text += push_lines(config);
  text += "    }\n";
  text += "  }\n";
  text += "}\n";
  text += http_head();
  text += "  server {\n";
  text += "    listen " + address(stat_listen) + ";\n";
  text += "    location = " + stat.path + " {\n";
  text += allow_lines("allow", allow, "      ");
  text += "      deny all;\n";
  text += "      rtmp_stat all;\n";
  text += "    }\n";
  text += "    location / {\n";
  text += "      return 404;\n";
  text += "    }\n";
  text += "  }\n";
  text += "}\n";
  if (tls) {
    text += "stream {\n" + tunnels(config) + "}\n";
  }
  return text;
}

}  // namespace hallcast::deploy
