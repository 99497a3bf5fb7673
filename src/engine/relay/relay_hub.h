// The relay, as the engine sees it (config.relay; docs/deployment.md): one upload per
// language that the RTMP destinations need, instead of one push per platform, and the
// relay's statistics read once a second to judge each destination by (relayed_output.h).
//
// Each upload is an ordinary destination lifecycle (OutputUnit) pushing its language to
// `relay.url/<language>`: it reconnects with backoff, starts on a keyframe and is
// isolated from the programme like any other. The relay pushes every platform of a
// language while that language is uploaded, so a language goes on the air when one of
// its destinations starts, and off when one stops; its destinations follow it together.
// The recording and HLS outputs are not relayed.
//
// All on the engine thread. The engine owns the RelayedOutputs; the hub must outlive
// them.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "engine/outputs/output_unit.h"
#include "engine/relay/relayed_output.h"
#include "engine/relay/stat_poller.h"

namespace hallcast::engine {

class RelayHub {
 public:
  // `context` is what the uploads are built from (each upload's changes come to the
  // hub, not to its on_change); `failures` takes what the statistics' handling throws.
  // `config.relay` must be set.
  RelayHub(const config::Config& config, OutputContext context, FailureSink* failures);
  ~RelayHub();
  RelayHub(const RelayHub&) = delete;
  RelayHub& operator=(const RelayHub&) = delete;

  // The driver of config.outputs[index], an RTMP output; `on_change` gets its status.
  std::unique_ptr<OutputDriver> make_output(
      std::size_t index, std::function<void(const show::OutputStatus&)> on_change);

  // Periodic: the uploads' counters and states, then every destination judged afresh.
  void tick();

  // For the RelayedOutputs.
  void build_upload(const std::string& language);
  void want(const std::string& language, bool on);
  const std::string& application() const { return application_; }
  void forget(RelayedOutput* output);

 private:
  struct Upload {
    std::string language;
    config::Output config;  // the unit holds a reference: Uploads never move
    std::unique_ptr<OutputUnit> unit;
    bool wanted = false;
  };

  Upload* upload(const std::string& language);
  void on_reading(const std::optional<RelayStat>& stat, const std::string& error);
  // Judges the destinations of `language` (every one when empty) from their upload.
  void refresh(const std::string& language = {});

  const config::Config& config_;
  OutputContext context_;
  FailureSink* failures_;
  std::string application_;  // the relay's application: the streams' home
  std::string stat_url_;
  std::deque<Upload> uploads_;
  std::vector<RelayedOutput*> outputs_;
  // From the first language wanted on: nothing is asked of the relay before (`check`).
  std::unique_ptr<StatPoller> poller_;
  // Why the last reading failed, logged once per change rather than once a second.
  std::string last_reading_error_;
};

}  // namespace hallcast::engine
