#include "engine/relay/relay_hub.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "config/relay_plan.h"

namespace hallcast::engine {

RelayHub::RelayHub(const config::Config& config, OutputContext context, FailureSink* failures)
    : config_(config), context_(std::move(context)), failures_(failures) {
  const config::Relay& relay = *config.relay;
  application_ = config::relay_application(relay);
  stat_url_ = config::relay_stat_location(relay).url();
  // One upload per language an RTMP destination carries, in the order of the outputs;
  // build errors point at the first of them.
  for (std::size_t i = 0; i < config.outputs.size(); ++i) {
    const config::Output& output = config.outputs[i];
    if (output.type != config::OutputType::rtmp || upload(output.language) != nullptr) {
      continue;
    }
    Upload& added = uploads_.emplace_back();
    added.language = output.language;
    added.config.id = "relay-" + output.language;
    added.config.name = "upload of " + output.language + " to the relay";
    added.config.type = config::OutputType::rtmp;
    added.config.url = config::relay_upload_url(relay, output.language);
    added.config.language = output.language;
    // Each upload's changes judge the destinations of its language.
    OutputContext context = context_;
    context.on_change = [this, language = output.language](const show::OutputStatus&) {
      refresh(language);
    };
    added.unit = std::make_unique<OutputUnit>(added.config, i, std::string(), std::move(context));
  }
}

RelayHub::~RelayHub() {
  poller_.reset();
  for (auto& upload : uploads_) {
    upload.unit.reset();
  }
}

std::unique_ptr<OutputDriver> RelayHub::make_output(
    std::size_t index, std::function<void(const show::OutputStatus&)> on_change) {
  std::optional<config::RelayPush> push;
  for (auto& candidate : config::relay_pushes(config_)) {
    if (candidate.output == index) {
      push = std::move(candidate);
    }
  }
  auto output =
      std::make_unique<RelayedOutput>(*this, config_.outputs[index], push, std::move(on_change));
  outputs_.push_back(output.get());
  return output;
}

void RelayHub::forget(RelayedOutput* output) {
  outputs_.erase(std::remove(outputs_.begin(), outputs_.end(), output), outputs_.end());
}

RelayHub::Upload* RelayHub::upload(const std::string& language) {
  const auto it = std::find_if(uploads_.begin(), uploads_.end(),
                               [&](const Upload& u) { return u.language == language; });
  return it == uploads_.end() ? nullptr : &*it;
}

void RelayHub::build_upload(const std::string& language) {
  if (Upload* found = upload(language)) {
    found->unit->build();
  }
}

void RelayHub::want(const std::string& language, bool on) {
  Upload* found = upload(language);
  if (found == nullptr) {
    return;
  }
  if (on && !poller_) {
    poller_ =
        std::make_unique<StatPoller>(context_.thread, failures_, stat_url_,
                                     [this](const std::optional<RelayStat>& stat,
                                            const std::string& error) { on_reading(stat, error); });
  }
  if (found->wanted != on) {
    found->wanted = on;
    spdlog::info("relay: {} the {} upload, for every destination in {}",
                 on ? "starting" : "stopping", language, language);
  }
  for (RelayedOutput* output : outputs_) {
    if (output->config().language == language) {
      output->set_wanted(on);
    }
  }
  // The unit announces its own changes, which judge the destinations; a unit already
  // in the wanted state announces nothing, so judge them here as well.
  if (on) {
    found->unit->start();
  } else {
    found->unit->stop();
  }
  refresh(language);
}

void RelayHub::on_reading(const std::optional<RelayStat>& stat, const std::string& error) {
  const std::string now_error = stat ? std::string() : context_.redactor.scrub(error);
  if (now_error != last_reading_error_) {
    if (now_error.empty()) {
      spdlog::info("relay: statistics readable again at {}", stat_url_);
    } else {
      spdlog::warn("relay: cannot read the statistics at {}: {}", stat_url_, now_error);
    }
    last_reading_error_ = now_error;
  }
  for (RelayedOutput* output : outputs_) {
    output->observe(stat, now_error);
  }
  refresh();
}

void RelayHub::tick() {
  for (auto& upload : uploads_) {
    upload.unit->tick();
  }
  refresh();
}

void RelayHub::refresh(const std::string& language) {
  for (RelayedOutput* output : outputs_) {
    const std::string& own = output->config().language;
    if (!language.empty() && own != language) {
      continue;
    }
    if (const Upload* found = upload(own)) {
      output->judge(found->unit->status());
    }
  }
}

}  // namespace hallcast::engine
