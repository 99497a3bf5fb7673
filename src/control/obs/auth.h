// obs-websocket authentication: the server announces a salt and a per-connection
// challenge in Hello; the client answers base64(sha256(secret + challenge)) where
// secret = base64(sha256(password + salt)). SHA-256, base64 and the random numbers come
// from OpenSSL's libcrypto (Debian: libssl-dev).
//
// The password itself is dropped once the secret is derived; only the secret is kept,
// as a config::Secret, and it is only ever compared, in constant time.
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"

namespace hallcast::control::obs {

// base64(sha256(text)), the protocol's one hash.
std::string sha256_base64(std::string_view text);

// `bytes` random bytes, base64-encoded. Throws std::runtime_error without randomness.
std::string random_base64(std::size_t bytes);

// What a client sends for `password`, `salt` and `challenge`: for tests and clients.
std::string authentication_string(std::string_view password, std::string_view salt,
                                  std::string_view challenge);

class Authentication {
 public:
  // An empty password: no authentication (loopback only; see obs_server.h).
  explicit Authentication(const config::Secret& password);

  bool required() const { return !secret_.empty(); }
  const std::string& salt() const { return salt_; }
  // A fresh challenge for one connection.
  std::string new_challenge() const;
  // True when `answer` is what the password gives for `challenge`.
  bool check(std::string_view challenge, std::string_view answer) const;

 private:
  std::string salt_;
  config::Secret secret_;  // base64(sha256(password + salt))
};

}  // namespace hallcast::control::obs
