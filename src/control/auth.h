// Who may use the control interface (SPEC §3): the operator token changes the show, an
// optional viewer token only watches it. Programs present a token as
// `Authorization: Bearer TOKEN`; the browser trades it once for a session cookie.
//
// Tokens are config::Secret and are only ever compared, in constant time; they are never
// logged, echoed or stored anywhere else.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace hallcast::control {

enum class Role { none, viewer, operator_ };

std::string_view to_string(Role role);

struct Tokens {
  config::Secret operator_token;  // empty: see Authenticator::open()
  config::Secret viewer_token;    // empty: no read-only access
};

// The tokens the config read from control.token_env and control.viewer_token_env at
// load. Unset and empty variables gave empty secrets.
Tokens tokens_from_config(const config::Control& control);

// Equal contents, in time that depends on the length of `candidate` only.
bool constant_time_equal(std::string_view secret, std::string_view candidate);

// The browser's logged-in sessions: random ids handed out as an HttpOnly cookie.
// Used on the server's service thread only.
class Sessions {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::string_view cookie_name = "hallcast_session";
  // A panel left open through a long event day keeps working; older sessions lapse.
  static constexpr std::chrono::hours lifetime{24};
  // Each role has its own room, so that logging in over and over cannot grow memory,
  // and past it only the oldest session of the same role is forgotten: however many
  // times the viewer token is used, no operator is logged out by it. 64 operator
  // sessions cover every desk's browser through a day of logging in again; 256
  // viewer sessions a room of watchers.
  static constexpr std::size_t max_operator_sessions = 64;
  static constexpr std::size_t max_viewer_sessions = 256;

  // A new session for `role`; returns its id (the cookie value).
  std::string open(Role role, Clock::time_point now);
  // The role of the session named in a Cookie header, or Role::none.
  Role find(std::string_view cookie_header, Clock::time_point now) const;
  // The role of the session with this id, or Role::none.
  Role find_id(std::string_view id, Clock::time_point now) const;
  // Ends the session named in a Cookie header; returns its id, or "" if none was open.
  std::string close(std::string_view cookie_header);
  // The session id a Cookie header names, or "".
  static std::string_view id_in(std::string_view cookie_header);

 private:
  struct Session {
    std::string id;
    Role role = Role::none;
    Clock::time_point expires;
  };
  std::vector<Session> sessions_;  // oldest first
};

// The value of one cookie in a Cookie header, or "" if absent.
std::string_view cookie_value(std::string_view cookie_header, std::string_view name);

// The Set-Cookie value that holds session `id`, and the one that clears it.
std::string session_cookie(std::string_view id);
std::string cleared_session_cookie();

class Authenticator {
 public:
  explicit Authenticator(Tokens tokens);

  // No operator token: everyone who can reach the port is an operator. Only allowed on
  // a loopback address (the server refuses to start otherwise).
  bool open() const { return tokens_.operator_token.empty(); }
  bool has_viewer_token() const { return !tokens_.viewer_token.empty(); }

  // The role a presented token grants.
  Role role_for_token(std::string_view token) const;
  // The role of an `Authorization: Bearer TOKEN` header value.
  Role role_for_authorization(std::string_view header) const;

 private:
  Tokens tokens_;
};

// The token field of an application/x-www-form-urlencoded body (the login form).
std::string form_field(std::string_view body, std::string_view name);

}  // namespace hallcast::control
