#include "engine/relay/relayed_output.h"

#include <spdlog/spdlog.h>

#include "engine/relay/relay_hub.h"

namespace hallcast::engine {

namespace {

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

RelayedOutput::RelayedOutput(RelayHub& hub, const config::Output& config,
                             std::optional<config::RelayPush> push,
                             std::function<void(const show::OutputStatus&)> on_change)
    : hub_(hub), config_(config), push_(std::move(push)), on_change_(std::move(on_change)) {
  status_.id = config.id;
  status_.name = config.name;
  status_.type = config.type;
  status_.language = config.language;
  status_.enabled = config.enabled;
  status_.since_ms = wall_ms();
}

void RelayedOutput::build() {
  hub_.build_upload(config_.language);
}

RelayedOutput::~RelayedOutput() {
  hub_.forget(this);
}

void RelayedOutput::start() {
  if (!push_) {
    status_.last_error = unstartable_reason();
    status_.last_error_ms = wall_ms();
    spdlog::warn("output {}: not started: {}", config_.id, status_.last_error);
    publish();
    return;
  }
  hub_.want(config_.language, true);
}

void RelayedOutput::stop() {
  hub_.want(config_.language, false);
}

void RelayedOutput::finish(std::chrono::steady_clock::time_point) {
  stop();
}

bool RelayedOutput::set_language(const std::string& language) {
  return language == config_.language;
}

std::string RelayedOutput::fixed_language_reason() const {
  return "the relay pushes this destination from the " + config_.language +
         " upload; change its language in the config and the relay's configuration "
         "(hallcast deploy relay-nginx)";
}

std::string RelayedOutput::unstartable_reason() const {
  if (push_) {
    return {};
  }
  return "stream key variable " + config_.key_env + " is not set";
}

void RelayedOutput::set_wanted(bool wanted) {
  if (!push_ || wanted == wanted_) {
    return;
  }
  wanted_ = wanted;
  was_live_ = false;
  if (wanted) {
    status_.last_error.clear();
    last_push_.reset();
    seen_ = Seen::nothing_yet;
    relay_says_ = "waiting for the relay's statistics";
  }
}

void RelayedOutput::observe(const std::optional<RelayStat>& stat, const std::string& error) {
  if (!push_) {
    return;
  }
  if (!stat) {
    seen_ = Seen::unreadable;
    last_push_.reset();
    relay_says_ = "the relay's statistics cannot be read: " + error;
    return;
  }
  const RelayStream* stream = stat->find_stream(hub_.application(), push_->language);
  const RelayClient* found = nullptr;
  if (stream != nullptr) {
    for (const auto& client : stream->clients) {
      if (client.is_push() && client.address == push_->stat_address()) {
        found = &client;
      }
    }
  }
  if (found == nullptr) {
    seen_ = Seen::standing;
    relay_says_ = stream == nullptr || !stream->publishing
                      ? "the relay receives no " + push_->language + " upload"
                      : "the relay has no connection to the platform";
    last_push_.reset();
    return;
  }
  // nginx-rtmp stamps each message it queues for the push: a stamp that moves means
  // media goes on to the platform; messages dropped mean the platform does not take it.
  const bool moved = last_push_ && found->timestamp_ms != last_push_->timestamp_ms;
  const bool dropping = last_push_ && found->dropped > last_push_->dropped;
  seen_ = found->active && moved && !dropping ? Seen::moving : Seen::standing;
  relay_says_ = dropping ? "the platform does not take what the relay pushes (messages dropped)"
                         : "the relay's push to the platform carries no media";
  last_push_ = *found;
}

void RelayedOutput::judge(const show::OutputStatus& upload) {
  const show::OutputStatus before = status_;
  const auto now = std::chrono::steady_clock::now();
  const bool live_before = status_.state == show::OutputState::live;
  show::OutputState state = show::OutputState::idle;
  if (wanted_) {
    if (upload.state != show::OutputState::live) {
      state =
          upload.state == show::OutputState::idle ? show::OutputState::connecting : upload.state;
      if (!upload.last_error.empty()) {
        status_.last_error = "upload to the relay: " + upload.last_error;
      }
    } else if (seen_ == Seen::moving || seen_ == Seen::unreadable) {
      state = show::OutputState::live;
      if (seen_ == Seen::unreadable) {
        status_.last_error = relay_says_;
      }
    } else {
      state = was_live_ ? show::OutputState::reconnecting : show::OutputState::connecting;
      status_.last_error = relay_says_;
    }
  }
  const bool live = state == show::OutputState::live;
  if (live && !live_before) {
    live_since_ = now;
    was_live_ = true;
  } else if (!live && live_before && wanted_) {
    ++status_.reconnects;
  }
  // What the destination carries is its upload: counted while the relay moves it on.
  const std::uint64_t sent =
      upload.bytes >= upload_bytes_seen_ ? upload.bytes - upload_bytes_seen_ : upload.bytes;
  upload_bytes_seen_ = upload.bytes;
  if (live) {
    status_.bytes += sent;
  }
  if (state != status_.state) {
    status_.since_ms = wall_ms();
  }
  if (status_.last_error != before.last_error) {
    status_.last_error_ms = wall_ms();
  }
  status_.state = state;
  status_.bitrate_kbps = live ? upload.bitrate_kbps : 0.0;
  status_.uptime_s = live ? std::chrono::duration<double>(now - live_since_).count() : 0.0;
  if (!(status_ == before)) {
    publish();
  }
}

void RelayedOutput::publish() {
  if (on_change_) {
    on_change_(status_);
  }
}

}  // namespace hallcast::engine
