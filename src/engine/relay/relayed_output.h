// An RTMP destination that the relay sends to (engine/relay/relay_hub.h): hallcast
// uploads its language to the relay once, and the relay's push carries it on to the
// platform. Its state is judged from both, so that the panel's per-destination state
// stays meaningful:
//
// - live: the upload is live and the relay's statistics show the destination's push
//   active, with media moving on to it since the previous reading and none dropped;
// - the upload's own state (connecting, reconnecting, error) while the upload is not
//   live, with the upload's last error;
// - connecting (or reconnecting, once it has been live) while the upload is live but
//   the relay shows no push moving, with what the relay shows as the last error;
// - the upload's state, when the relay's statistics cannot be read;
// - connecting, until the relay has been read once since it was started.
//
// Its language is the one the relay's configuration pushes it from, so it cannot be
// switched live; and the relay pushes every platform of a language while that language
// is uploaded, so the destinations of one language start and stop together (the hub
// sees to it).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "config/relay_plan.h"
#include "engine/outputs/output_driver.h"
#include "engine/relay/relay_stat.h"

namespace hallcast::engine {

class RelayHub;

class RelayedOutput : public OutputDriver {
 public:
  // `push` is how the relay pushes it; nullopt when it cannot (its key is unknown).
  RelayedOutput(RelayHub& hub, const config::Output& config, std::optional<config::RelayPush> push,
                std::function<void(const show::OutputStatus&)> on_change);
  ~RelayedOutput() override;
  RelayedOutput(const RelayedOutput&) = delete;
  RelayedOutput& operator=(const RelayedOutput&) = delete;

  void build() override;
  void start() override;
  void stop() override;
  void finish(std::chrono::steady_clock::time_point deadline) override;
  bool set_language(const std::string& language) override;
  std::string fixed_language_reason() const override;
  void tick() override {}  // the hub ticks for all of them
  const show::OutputStatus& status() const override { return status_; }
  const config::Output& config() const override { return config_; }
  std::string unstartable_reason() const override;

  // From the hub: whether the destination's language is wanted on the air.
  void set_wanted(bool wanted);
  // From the hub, at each reading of the relay's statistics: whether this destination's
  // push is moving (nullopt: the statistics could not be read, `error` says why).
  void observe(const std::optional<RelayStat>& stat, const std::string& error);
  // From the hub, whenever anything changed: the state judged afresh from the upload's.
  void judge(const show::OutputStatus& upload);

 private:
  void publish();

  RelayHub& hub_;
  const config::Output& config_;
  std::optional<config::RelayPush> push_;
  std::function<void(const show::OutputStatus&)> on_change_;
  show::OutputStatus status_;

  bool wanted_ = false;
  // What the relay showed of the push at the last reading since it was wanted.
  enum class Seen { nothing_yet, unreadable, moving, standing };
  Seen seen_ = Seen::nothing_yet;
  std::string relay_says_;  // why the push is not moving, or why nothing can be read
  // The push as the previous reading showed it, to tell media moving from standing.
  std::optional<RelayClient> last_push_;
  bool was_live_ = false;  // since started: a later fall is a reconnection
  std::uint64_t upload_bytes_seen_ = 0;
  std::chrono::steady_clock::time_point live_since_{};
};

}  // namespace hallcast::engine
