#include "control/obs/auth.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

#include "control/auth.h"

namespace hallcast::control::obs {
namespace {

std::string base64(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

}  // namespace

std::string sha256_base64(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("obs-websocket: SHA-256 failed");
  }
  return base64(digest, length);
}

std::string random_base64(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) {
    throw std::runtime_error("obs-websocket: no random numbers for a challenge");
  }
  return base64(buffer.data(), buffer.size());
}

std::string authentication_string(std::string_view password, std::string_view salt,
                                  std::string_view challenge) {
  return sha256_base64(sha256_base64(std::string(password) + std::string(salt)) +
                       std::string(challenge));
}

Authentication::Authentication(const config::Secret& password) {
  if (password.empty()) {
    return;
  }
  salt_ = random_base64(32);
  secret_ = config::Secret(sha256_base64(password.reveal() + salt_));
}

std::string Authentication::new_challenge() const {
  return random_base64(32);
}

bool Authentication::check(std::string_view challenge, std::string_view answer) const {
  if (!required()) {
    return true;
  }
  const std::string expected = sha256_base64(secret_.reveal() + std::string(challenge));
  return constant_time_equal(expected, answer);
}

}  // namespace hallcast::control::obs
