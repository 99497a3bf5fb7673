// Slows down guessing of the tokens. Every wrong token presented (the login form, a
// bearer token on /ws, /metrics or /session) costs its client address one attempt, and
// the server one attempt overall; attempts come back at a steady rate. While either
// budget is spent, tokens from that address (or from anyone) are not even compared: the
// answer is 429 with the time to wait.
//
// Session cookies are not counted: 256 random bits are not guessed, and a panel left
// open across a restart presents a lapsed one every few seconds.
//
// Used on the server's service thread only.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>

namespace hallcast::control {

struct LoginThrottleSettings {
  // An operator mistyping the token a few times never notices; a script gets one
  // attempt every 6 s (10 a minute) from each address.
  double per_address_burst = 10;
  std::chrono::milliseconds per_address_refill{6000};
  // Many addresses at once (a LAN lets anyone take several) get one a second between
  // them. A lock-out while such an attack lasts keeps out new logins only: open panels
  // and their sessions are unaffected.
  double overall_burst = 60;
  std::chrono::milliseconds overall_refill{1000};
  // Addresses remembered; past it, those whose budget has refilled are forgotten first.
  std::size_t max_addresses = 4096;
};

class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LoginThrottle(LoginThrottleSettings settings = {});

  // How long `address` must wait before it may present a token, or nullopt: now.
  std::optional<std::chrono::seconds> wait(const std::string& address, Clock::time_point now);
  // A wrong token from `address`.
  void failed(const std::string& address, Clock::time_point now);

 private:
  struct Bucket {
    double attempts = 0;  // attempts left
    Clock::time_point updated;
  };
  void refill(Bucket& bucket, double burst, std::chrono::milliseconds every,
              Clock::time_point now) const;
  std::optional<std::chrono::seconds> wait_for(Bucket& bucket, double burst,
                                               std::chrono::milliseconds every,
                                               Clock::time_point now) const;
  void forget_some(Clock::time_point now);

  LoginThrottleSettings settings_;
  Bucket overall_;
  std::unordered_map<std::string, Bucket> addresses_;
};

}  // namespace hallcast::control
