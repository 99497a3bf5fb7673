// The plain HTTP side of the control server: the panel's files, login and logout, the
// session's role, /metrics, /healthz, and the checks made before a WebSocket upgrade.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include "control/listen_address.h"
#include "control/metrics.h"
#include "control/service.h"
#include "control/wire.h"

namespace hallcast::control {

namespace {

constexpr std::string_view text_plain = "text/plain; charset=utf-8";
constexpr std::string_view text_html = "text/html; charset=utf-8";
constexpr std::string_view application_json = "application/json";

// Sent with every answer. The panel needs nothing from other origins, must not be
// framed (clickjacking a "cut" button), and nothing here should be cached. Images may
// also be blob: URLs, which only the page's own script can make: the multiview
// thumbnails arrive over the WebSocket and are shown from blobs.
constexpr std::pair<std::string_view, std::string_view> security_headers[] = {
    {"x-content-type-options:", "nosniff"},
    {"x-frame-options:", "DENY"},
    {"referrer-policy:", "no-referrer"},
    {"cache-control:", "no-store"},
    {"content-security-policy:",
     "default-src 'self'; connect-src 'self'; img-src 'self' blob:; frame-ancestors 'none'; "
     "base-uri 'none'; form-action 'self'"},
};

struct Response {
  unsigned status = 200;
  std::string_view content_type = text_plain;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // name with its colon
};

std::string header(lws* wsi, lws_token_indexes token) {
  const int length = lws_hdr_total_length(wsi, token);
  if (length <= 0) {
    return {};
  }
  std::string value(static_cast<std::size_t>(length) + 1, '\0');
  const int copied = lws_hdr_copy(wsi, value.data(), length + 1, token);
  value.resize(copied > 0 ? static_cast<std::size_t>(copied) : 0);
  return value;
}

std::string peer_address(lws* wsi) {
  char name[64] = "?";
  lws_get_peer_simple(wsi, name, sizeof(name));
  return name;
}

bool add_header(lws* wsi, std::string_view name, std::string_view value, unsigned char** p,
                unsigned char* end) {
  return lws_add_http_header_by_name(wsi, reinterpret_cast<const unsigned char*>(name.data()),
                                     reinterpret_cast<const unsigned char*>(value.data()),
                                     static_cast<int>(value.size()), p, end) == 0;
}

// The audience page's (/watch): the organiser's site frames it (?embed=1), and its
// player plays from blob: URLs (Media Source Extensions) and may decode in a worker.
constexpr std::pair<std::string_view, std::string_view> audience_headers[] = {
    {"x-content-type-options:", "nosniff"},
    {"referrer-policy:", "no-referrer"},
    {"cache-control:", "no-cache"},
    {"content-security-policy:",
     "default-src 'self'; connect-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
     "worker-src 'self' blob:; frame-ancestors *; base-uri 'none'; form-action 'none'"},
};

bool add_security_headers(lws* wsi, unsigned char** p, unsigned char* end, bool audience = false) {
  const auto add = [&](const auto& h) { return add_header(wsi, h.first, h.second, p, end); };
  return audience ? std::all_of(std::begin(audience_headers), std::end(audience_headers), add)
                  : std::all_of(std::begin(security_headers), std::end(security_headers), add);
}

// Writes a whole (small) answer at once; lws keeps whatever the socket does not take.
// False: the connection is unusable.
bool write_response(lws* wsi, const Response& r) {
  std::vector<unsigned char> buffer(LWS_PRE + 4096 + r.body.size());
  unsigned char* start = buffer.data() + LWS_PRE;
  unsigned char* p = start;
  unsigned char* end = buffer.data() + buffer.size() - 1;
  const std::string content_type(r.content_type);
  if (lws_add_http_common_headers(wsi, r.status, content_type.c_str(), r.body.size(), &p, end) ||
      !add_security_headers(wsi, &p, end)) {
    return false;
  }
  for (const auto& [name, value] : r.headers) {
    if (!add_header(wsi, name, value, &p, end)) {
      return false;
    }
  }
  if (lws_finalize_write_http_header(wsi, start, &p, end)) {
    return false;
  }
  if (r.body.empty()) {
    return true;
  }
  std::memcpy(start, r.body.data(), r.body.size());
  return lws_write(wsi, start, r.body.size(), LWS_WRITE_HTTP_FINAL) ==
         static_cast<int>(r.body.size());
}

// For LWS_CALLBACK_HTTP and friends: answer, then wait for the next request or close.
int answer(lws* wsi, const Response& r) {
  if (!write_response(wsi, r)) {
    return -1;
  }
  return lws_http_transaction_completed(wsi) ? -1 : 0;
}

// For a request whose framing hallcast will not read on from: answer, then close, so
// that no byte left unread is ever taken for the start of another request.
int answer_and_close(lws* wsi, Response r) {
  r.headers.emplace_back("connection:", "close");
  write_response(wsi, r);
  return -1;
}

Response text(unsigned status, std::string body) {
  return {status, text_plain, std::move(body), {}};
}

Response json_error(unsigned status, ErrorCode code, std::string message) {
  Response r{status, application_json, encode_error({code, std::move(message)}), {}};
  if (status == 401) {
    r.headers.emplace_back("www-authenticate:", "Bearer realm=\"hallcast\"");
  }
  return r;
}

Response too_many_attempts(std::chrono::seconds wait) {
  Response r =
      json_error(429, ErrorCode::too_many_attempts,
                 "too many wrong tokens; try again in " + std::to_string(wait.count()) + " s");
  r.headers.emplace_back("retry-after:", std::to_string(wait.count()));
  return r;
}

// The Content-Length header as a number: 0 when absent, nullopt when it is anything but
// one plain decimal number (a sign, a list from repeated headers, spaces inside): lws
// and a proxy in front could read such a length differently.
std::optional<std::size_t> content_length(lws* wsi) {
  const std::string value = header(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH);
  if (value.empty()) {
    return 0;
  }
  std::size_t length = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
  if (error != std::errc() || end != value.data() + value.size()) {
    return std::nullopt;
  }
  return length;
}

Response method_not_allowed(std::string_view allowed) {
  Response r = text(405, "method not allowed\n");
  r.headers.emplace_back("allow:", std::string(allowed));
  return r;
}

Response see_other(std::string cookie) {
  Response r = text(303, "");
  r.headers.emplace_back("location:", "/");
  r.headers.emplace_back("set-cookie:", std::move(cookie));
  return r;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// "127.0.0.1:8080" → "127.0.0.1", "[::1]:8080" → "::1".
std::string_view host_name(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    return host.substr(1, host.find(']') - 1);
  }
  return host.substr(0, host.find(':'));
}

}  // namespace

bool Service::same_origin(lws* wsi) const {
  // Browsers always send Origin on a WebSocket upgrade and on a cross-site POST;
  // programs usually send none and authenticate with a bearer token instead.
  std::string origin = lower(header(wsi, WSI_TOKEN_ORIGIN));
  if (origin.empty()) {
    return true;
  }
  for (std::string_view scheme : {"http://", "https://"}) {
    if (origin.starts_with(scheme)) {
      origin.erase(0, scheme.size());
      return origin == lower(header(wsi, WSI_TOKEN_HOST));
    }
  }
  return false;  // "null" and the like
}

bool Service::host_allowed(lws* wsi) const {
  // An open server trusts whoever reaches it on loopback. A web page whose name the
  // attacker re-points at 127.0.0.1 (DNS rebinding) reaches it too, but still sends its
  // own name as Host: accept only loopback names.
  return !authenticator_.open() || is_loopback_host(host_name(header(wsi, WSI_TOKEN_HOST)));
}

Service::Credential Service::authenticate(lws* wsi, const Peer& peer) {
  Credential credential;
  if (!host_allowed(wsi)) {
    return credential;
  }
  if (authenticator_.open()) {
    credential.role = Role::operator_;
    return credential;
  }
  const auto now = std::chrono::steady_clock::now();
  // A wrong bearer token is not rescued by a cookie: a program gets the answer its
  // token deserves.
  const std::string authorization = header(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
  if (!authorization.empty()) {
    credential.retry_after = throttle_.wait(peer.address, now);
    if (credential.retry_after) {
      ++counts_.throttled;
      return credential;
    }
    credential.role = authenticator_.role_for_authorization(authorization);
    if (credential.role == Role::none) {
      throttle_.failed(peer.address, now);
      ++counts_.wrong_tokens;
    }
    return credential;
  }
  const std::string cookie = header(wsi, WSI_TOKEN_HTTP_COOKIE);
  credential.role = sessions_.find(cookie, now);
  if (credential.role != Role::none) {
    credential.session = Sessions::id_in(cookie);
  }
  return credential;
}

int Service::on_http(lws* wsi, Peer& peer, std::string_view path) {
  peer.route = Peer::Route::none;
  peer.body.clear();
  peer.body_too_large = false;
  const bool get = lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) > 0;
  const bool post = lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0;

  // Only /login and /logout take a body, and only with a plain Content-Length. A body
  // anywhere else, or framed any other way (chunked, a length lws and a proxy in front
  // might read differently), is refused with the connection closed: hallcast never
  // takes the rest of one request for the start of another (request smuggling).
  const auto length = content_length(wsi);
  if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0 || !length) {
    return answer_and_close(wsi, text(400, "send the body with a Content-Length\n"));
  }
  if (path == "/login" || path == "/logout") {
    if (!post) {
      return answer_and_close(wsi, method_not_allowed("POST"));
    }
    if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH) <= 0) {
      return answer_and_close(wsi, text(411, "length required\n"));
    }
    if (*length > max_body_bytes) {
      return answer_and_close(wsi, text(413, "too large\n"));
    }
    if (!same_origin(wsi) || !host_allowed(wsi)) {
      return answer_and_close(wsi, text(403, "forbidden\n"));
    }
    peer.route = path == "/login" ? Peer::Route::login : Peer::Route::logout;
    peer.cookie = header(wsi, WSI_TOKEN_HTTP_COOKIE);
    // lws closes a body that stops arriving; this also ends one that trickles.
    peer.body_deadline = std::chrono::steady_clock::now() + options_.request_timeout;
    if (*length == 0) {
      return on_http_body_done(wsi, peer);
    }
    return 0;  // the body follows
  }
  if (!get) {
    return answer_and_close(wsi, method_not_allowed("GET"));
  }
  if (*length > 0) {
    return answer_and_close(wsi, text(400, "a GET has no body\n"));
  }

  if (path == "/healthz") {
    return answer(wsi, text(200, "ok\n"));
  }
  if (path == "/metrics" || path == "/session") {
    const Credential credential = authenticate(wsi, peer);
    if (credential.retry_after) {
      return answer(wsi, too_many_attempts(*credential.retry_after));
    }
    if (credential.role == Role::none) {
      return answer(wsi, json_error(401, ErrorCode::unauthorized, "a valid token is required"));
    }
    if (path == "/session") {
      // Who the caller is, for the panel: a browser cannot see why a WebSocket upgrade
      // failed, so it asks here whether to show the login form, and whether its
      // controls are read-only.
      return answer(
          wsi, Response{200, application_json, encode_session(to_string(credential.role)), {}});
    }
    counts_.connections = gate_.open();
    counts_.connections_refused = gate_.refused();
    Response r{200,
               metrics_content_type,
               redactor_.scrub(format_metrics(*engine_.snapshot(), counts_)),
               {}};
    return answer(wsi, r);
  }
  if (path == "/ws") {
    return answer(wsi, text(426, "connect with a WebSocket\n"));
  }
  if (path == "/watch") {
    return serve_file(wsi, "/watch.html", true);
  }
  if (path == "/watch.json") {
    return answer(wsi, Response{200, application_json, encode_watch_page(options_.watch), {}});
  }
  if (path.rfind("/hls/", 0) == 0) {
    return serve_hls(wsi, path.substr(4));
  }
  // The audience page's own files: its script and style, the language names it shares
  // with the panel, and hls.js.
  const bool audience =
      path.starts_with("/watch") || path == "/languages.js" || path.starts_with("/vendor/hls.js/");
  return serve_file(wsi, path, audience);
}

// /hls/ID/…: an HLS output's folder, without a token (a public player fetches it, from
// another origin). Playlists change every segment: never cached.
int Service::serve_hls(lws* wsi, std::string_view path) {
  const auto slash = path.find('/', 1);
  const auto id = path.substr(1, slash == std::string_view::npos ? slash : slash - 1);
  const auto folder = options_.hls_dirs.find(id);
  if (slash == std::string_view::npos || folder == options_.hls_dirs.end()) {
    return answer(wsi, text(404, "not found\n"));
  }
  const auto file = resolve_hls(folder->second, path.substr(slash));
  if (!file) {
    return answer(wsi, text(404, "not found\n"));
  }
  const bool playlist = file->content_type == hls_playlist_type;
  const std::string headers = std::string("access-control-allow-origin: *\r\ncache-control: ") +
                              (playlist ? "no-cache" : "max-age=60") +
                              "\r\nx-content-type-options: nosniff\r\n";
  const std::string type(file->content_type);
  const int n = lws_serve_http_file(wsi, file->path.c_str(), type.c_str(), headers.c_str(),
                                    static_cast<int>(headers.size()));
  if (n < 0) {
    return -1;
  }
  return n > 0 && lws_http_transaction_completed(wsi) ? -1 : 0;
}

int Service::on_http_body(Peer& peer, std::string_view chunk) {
  if (peer.route == Peer::Route::none || std::chrono::steady_clock::now() > peer.body_deadline) {
    return -1;  // a body nobody asked for, or one that trickled past its time: close
  }
  if (peer.body.size() + chunk.size() > max_body_bytes) {
    peer.body_too_large = true;
    return 0;
  }
  peer.body.append(chunk);
  return 0;
}

int Service::on_http_body_done(lws* wsi, Peer& peer) {
  const auto route = std::exchange(peer.route, Peer::Route::none);
  if (peer.body_too_large) {
    return answer(wsi, text(413, "too large\n"));
  }
  if (route == Peer::Route::logout) {
    const std::string id = sessions_.close(peer.cookie);
    if (!id.empty()) {
      end_session_clients(id);
    }
    return answer(wsi, see_other(cleared_session_cookie()));
  }
  if (route != Peer::Route::login) {
    return answer_and_close(wsi, text(400, "bad request\n"));
  }
  const auto now = std::chrono::steady_clock::now();
  if (const auto wait = throttle_.wait(peer.address, now)) {
    peer.body.clear();
    ++counts_.throttled;
    spdlog::warn("control: refused a login from {}: too many wrong tokens", peer_address(wsi));
    Response r{429,
               text_html,
               "<!doctype html><title>hallcast</title><p>Too many wrong tokens. Try again in " +
                   std::to_string(wait->count()) + " s. <a href=\"/\">Back</a></p>\n",
               {{"retry-after:", std::to_string(wait->count())}}};
    return answer(wsi, r);
  }
  const Role role = authenticator_.role_for_token(form_field(peer.body, "token"));
  peer.body.clear();
  if (role == Role::none) {
    throttle_.failed(peer.address, now);
    ++counts_.wrong_tokens;
    spdlog::warn("control: refused a login from {}: wrong token", peer_address(wsi));
    Response r{401,
               text_html,
               "<!doctype html><title>hallcast</title><p>Wrong token. <a href=\"/\">Try "
               "again</a></p>\n",
               {{"www-authenticate:", "Bearer realm=\"hallcast\""}}};
    return answer(wsi, r);
  }
  // The browser's earlier session, if it had one, is replaced by this one.
  if (const std::string previous = sessions_.close(peer.cookie); !previous.empty()) {
    end_session_clients(previous);
  }
  spdlog::info("control: {} logged in from {}", to_string(role), peer_address(wsi));
  return answer(wsi, see_other(session_cookie(sessions_.open(role, now))));
}

int Service::on_confirm_upgrade(lws* wsi, Peer& peer) {
  // Returning 1 tells lws the answer has been written; it then ends the exchange.
  if (header(wsi, WSI_TOKEN_GET_URI) != "/ws") {
    return write_response(wsi, text(404, "not found\n")) ? 1 : -1;
  }
  if (!same_origin(wsi)) {
    spdlog::warn("control: refused a WebSocket from {}: foreign origin", peer_address(wsi));
    return write_response(wsi, text(403, "forbidden\n")) ? 1 : -1;
  }
  const Credential credential = authenticate(wsi, peer);
  if (credential.retry_after) {
    spdlog::warn("control: refused a WebSocket from {}: too many wrong tokens", peer_address(wsi));
    return write_response(wsi, too_many_attempts(*credential.retry_after)) ? 1 : -1;
  }
  if (credential.role == Role::none) {
    spdlog::warn("control: refused a WebSocket from {}: no valid token", peer_address(wsi));
    return write_response(wsi,
                          json_error(401, ErrorCode::unauthorized, "a valid token is required"))
               ? 1
               : -1;
  }
  peer.upgrade_role = credential.role;
  peer.upgrade_session = credential.session;
  return 0;
}

int Service::serve_file(lws* wsi, std::string_view path, bool audience) {
  const auto file = files_.resolve(path);
  if (!file) {
    return answer(wsi, text(404, "not found\n"));
  }
  unsigned char extra[1024];
  unsigned char* p = extra;
  if (!add_security_headers(wsi, &p, extra + sizeof(extra), audience)) {
    return -1;
  }
  const std::string type(file->content_type);
  const int n =
      lws_serve_http_file(wsi, file->path.c_str(), type.c_str(),
                          reinterpret_cast<const char*>(extra), static_cast<int>(p - extra));
  if (n < 0) {
    return -1;
  }
  return n > 0 && lws_http_transaction_completed(wsi) ? -1 : 0;
}

}  // namespace hallcast::control
