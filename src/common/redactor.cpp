#include "common/redactor.h"

#include <algorithm>

namespace hallcast::common {

void Redactor::add(std::string secret) {
  if (secret.size() < min_length) {
    return;
  }
  if (std::find(secrets_.begin(), secrets_.end(), secret) == secrets_.end()) {
    secrets_.push_back(std::move(secret));
    // Longest first, so a secret that contains another is replaced whole.
    std::sort(secrets_.begin(), secrets_.end(),
              [](const auto& a, const auto& b) { return a.size() > b.size(); });
  }
}

std::string Redactor::scrub(std::string_view text) const {
  std::string out(text);
  for (const auto& secret : secrets_) {
    for (auto pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos + 3)) {
      out.replace(pos, secret.size(), "***");
    }
  }
  return out;
}

}  // namespace hallcast::common
