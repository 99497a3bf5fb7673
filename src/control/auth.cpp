#include "control/auth.h"

#include <sys/random.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace hallcast::control {

namespace {

// 256 bits from the kernel's CSPRNG: a session id must not be guessable.
std::string random_id() {
  unsigned char bytes[32];
  std::size_t filled = 0;
  while (filled < sizeof(bytes)) {
    const ssize_t n = getrandom(bytes + filled, sizeof(bytes) - filled, 0);
    if (n < 0) {
      throw std::runtime_error("control: no random numbers for a session id");
    }
    filled += static_cast<std::size_t>(n);
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id += hex[b >> 4];
    id += hex[b & 0xF];
  }
  return id;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::string form_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string_view to_string(Role role) {
  switch (role) {
    case Role::none:
      return "none";
    case Role::viewer:
      return "viewer";
    case Role::operator_:
      return "operator";
  }
  return "none";
}

Tokens tokens_from_config(const config::Control& control) {
  return {control.operator_token, control.viewer_token};
}

bool constant_time_equal(std::string_view secret, std::string_view candidate) {
  if (secret.empty()) {
    return false;
  }
  // Walk the candidate whatever the secret is, so the time taken says nothing about
  // where the first difference lies (or how long the secret is).
  unsigned diff = secret.size() != candidate.size() ? 1u : 0u;
  for (std::size_t i = 0; i < candidate.size(); ++i) {
    diff |= static_cast<unsigned char>(candidate[i]) ^
            static_cast<unsigned char>(secret[i % secret.size()]);
  }
  // Keep the compiler from turning the loop into an early exit.
  volatile unsigned result = diff;
  return result == 0;
}

std::string Sessions::open(Role role, Clock::time_point now) {
  std::erase_if(sessions_, [now](const Session& s) { return s.expires <= now; });
  const std::size_t room = role == Role::operator_ ? max_operator_sessions : max_viewer_sessions;
  const auto same_role = [role](const Session& s) { return s.role == role; };
  if (static_cast<std::size_t>(std::count_if(sessions_.begin(), sessions_.end(), same_role)) >=
      room) {
    sessions_.erase(std::find_if(sessions_.begin(), sessions_.end(), same_role));
  }
  sessions_.push_back({random_id(), role, now + lifetime});
  return sessions_.back().id;
}

Role Sessions::find(std::string_view cookie_header, Clock::time_point now) const {
  return find_id(id_in(cookie_header), now);
}

Role Sessions::find_id(std::string_view id, Clock::time_point now) const {
  if (id.empty()) {
    return Role::none;
  }
  Role role = Role::none;
  // Every session is compared, so the time does not tell how many ids share a prefix.
  for (const auto& session : sessions_) {
    if (constant_time_equal(session.id, id) && session.expires > now) {
      role = session.role;
    }
  }
  return role;
}

std::string Sessions::close(std::string_view cookie_header) {
  const std::string_view id = id_in(cookie_header);
  std::string closed;
  std::erase_if(sessions_, [&](const Session& s) {
    if (id.empty() || !constant_time_equal(s.id, id)) {
      return false;
    }
    closed = s.id;
    return true;
  });
  return closed;
}

std::string_view Sessions::id_in(std::string_view cookie_header) {
  return cookie_value(cookie_header, cookie_name);
}

std::string_view cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto end = header.find(';');
    const std::string_view pair = trim(header.substr(0, end));
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && trim(pair.substr(0, equals)) == name) {
      return trim(pair.substr(equals + 1));
    }
    if (end == std::string_view::npos) {
      break;
    }
    header.remove_prefix(end + 1);
  }
  return {};
}

std::string session_cookie(std::string_view id) {
  // No Max-Age: the cookie goes when the browser closes. No Secure: the panel is served
  // over plain HTTP on the hall's network (put a TLS proxy in front to add it).
  return std::string(Sessions::cookie_name) + "=" + std::string(id) +
         "; Path=/; HttpOnly; SameSite=Strict";
}

std::string cleared_session_cookie() {
  return std::string(Sessions::cookie_name) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
}

Authenticator::Authenticator(Tokens tokens) : tokens_(std::move(tokens)) {}

Role Authenticator::role_for_token(std::string_view token) const {
  if (open()) {
    return Role::operator_;
  }
  // Both are compared, whichever matches, to keep the timing uniform.
  const bool is_operator = constant_time_equal(tokens_.operator_token.reveal(), token);
  const bool is_viewer = constant_time_equal(tokens_.viewer_token.reveal(), token);
  return is_operator ? Role::operator_ : is_viewer ? Role::viewer : Role::none;
}

Role Authenticator::role_for_authorization(std::string_view header) const {
  constexpr std::string_view scheme = "bearer ";
  header = trim(header);
  if (header.size() <= scheme.size() ||
      !std::equal(scheme.begin(), scheme.end(), header.begin(), [](char a, char b) {
        return a == std::tolower(static_cast<unsigned char>(b));
      })) {
    return open() ? Role::operator_ : Role::none;
  }
  return role_for_token(trim(header.substr(scheme.size())));
}

std::string form_field(std::string_view body, std::string_view name) {
  while (!body.empty()) {
    const auto end = body.find('&');
    const std::string_view pair = body.substr(0, end);
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && form_decode(pair.substr(0, equals)) == name) {
      return form_decode(pair.substr(equals + 1));
    }
    if (end == std::string_view::npos) {
      break;
    }
    body.remove_prefix(end + 1);
  }
  return {};
}

}  // namespace hallcast::control
