// Finding the secret parts of URLs, and the shown form without them.
#include "config/url_secrets.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "config/uri_syntax.h"

namespace hallcast::config {
namespace {

constexpr std::string_view kHidden = "***";

// Query parameters that carry a credential: SRT's own, and the names IP cameras and
// streaming services use for one.
constexpr std::array<std::string_view, 10> kSecretParameters = {
    "passphrase", "streamid", "password", "passwd", "pwd",
    "pass",       "key",      "token",    "secret", "auth"};

bool is_secret_parameter(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(kSecretParameters.begin(), kSecretParameters.end(), lower) !=
         kSecretParameters.end();
}

// Builds the shown form piece by piece; each secret piece is kept, as written and as
// decoded, and shown as ***.
class Redaction {
 public:
  void keep(std::string_view text) { result_.shown += text; }
  void hide(std::string_view secret) {
    if (secret.empty()) {
      return;
    }
    result_.shown += kHidden;
    result_.secrets.emplace_back(secret);
    std::string decoded;
    if (!percent_decode(secret, decoded) && decoded != secret) {
      result_.secrets.push_back(std::move(decoded));
    }
  }
  RedactedUrl take() { return std::move(result_); }

 private:
  RedactedUrl result_;
};

// `user:password` shows the user; a userinfo without a password is a credential whole.
void redact_userinfo(std::string_view userinfo, Redaction& out) {
  const auto colon = userinfo.find(':');
  if (colon == std::string_view::npos) {
    out.hide(userinfo);
    return;
  }
  out.keep(userinfo.substr(0, colon + 1));
  out.hide(userinfo.substr(colon + 1));
}

void redact_query(std::string_view query, Redaction& out) {
  while (true) {
    const auto end = std::min(query.find('&'), query.size());
    const std::string_view item = query.substr(0, end);
    const auto equals = item.find('=');
    if (equals != std::string_view::npos && is_secret_parameter(item.substr(0, equals))) {
      out.keep(item.substr(0, equals + 1));
      out.hide(item.substr(equals + 1));
    } else {
      out.keep(item);
    }
    if (end == query.size()) {
      return;
    }
    out.keep("&");
    query.remove_prefix(end + 1);
  }
}

}  // namespace

RedactedUrl redact_url(std::string_view url, PathKey path_key) {
  Redaction out;
  const auto separator = url.find("://");
  if (separator == std::string_view::npos) {
    out.keep(url);
    return out.take();
  }
  out.keep(url.substr(0, separator + 3));
  std::string_view rest = url.substr(separator + 3);
  const auto authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  const auto at = rest.substr(0, authority_end).rfind('@');
  if (at != std::string_view::npos) {
    redact_userinfo(rest.substr(0, at), out);
    out.keep("@");
    rest.remove_prefix(at + 1);
  }
  if (path_key == PathKey::yes) {
    // As the engine reads it: after trailing slashes, whatever follows the last one,
    // query and all, is the stream name.
    std::string_view tail = rest;
    while (!tail.empty() && tail.back() == '/') {
      tail.remove_suffix(1);
    }
    const auto last = tail.rfind('/');
    const auto host_end = std::min(rest.find_first_of("/?#"), rest.size());
    if (last != std::string_view::npos && last >= host_end) {
      // Parameters before the key are still redacted by name.
      const std::string_view before = tail.substr(0, last);
      const auto question = before.find('?');
      out.keep(before.substr(0, question));
      if (question != std::string_view::npos) {
        out.keep("?");
        redact_query(before.substr(question + 1), out);
      }
      out.keep("/");
      out.hide(tail.substr(last + 1));
      out.keep(rest.substr(tail.size()));
      return out.take();
    }
  }
  const auto question = rest.find('?');
  if (question == std::string_view::npos) {
    out.keep(rest);
    return out.take();
  }
  const auto fragment = std::min(rest.find('#', question), rest.size());
  out.keep(rest.substr(0, question + 1));
  redact_query(rest.substr(question + 1, fragment - question - 1), out);
  out.keep(rest.substr(fragment));
  return out.take();
}

PathKey path_key(const Output& output) {
  const bool key_in_url =
      output.type == OutputType::rtmp && output.key_env.empty() && output.key.empty();
  return key_in_url ? PathKey::yes : PathKey::no;
}

std::string shown_uri(const Source& source) {
  return redact_url(source.uri_text).shown;
}

std::string shown_url(const Output& output) {
  return redact_url(output.url, path_key(output)).shown;
}

std::vector<Secret> secrets(const Config& config) {
  std::vector<Secret> found;
  const auto add_url = [&found](std::string_view url, PathKey key) {
    for (std::string& secret : redact_url(url, key).secrets) {
      found.emplace_back(std::move(secret));
    }
  };
  for (const Source& source : config.sources) {
    add_url(source.uri_text, PathKey::no);
  }
  for (const Output& output : config.outputs) {
    if (!output.key.empty()) {
      found.push_back(output.key);
    }
    add_url(output.url, path_key(output));
  }
  for (const Secret* token : {&config.control.operator_token, &config.control.viewer_token}) {
    if (!token->empty()) {
      found.push_back(*token);
    }
  }
  if (config.control.obs_websocket && !config.control.obs_websocket->password.empty()) {
    found.push_back(config.control.obs_websocket->password);
  }
  return found;
}

}  // namespace hallcast::config
