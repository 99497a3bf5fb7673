#include "control/connection_gate.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace hallcast::control {

ConnectionGate::ConnectionGate(std::shared_ptr<ConnectionLimits> limits, std::string name)
    : limits_(std::move(limits)), name_(std::move(name)) {
  if (!limits_) {
    limits_ = std::make_shared<ConnectionLimits>(within_descriptor_limit({}));
  }
}

ConnectionGate::~ConnectionGate() {
  if (admitted_) {
    limits_->release(*admitted_);
  }
}

void ConnectionGate::configure(lws_context_creation_info& context, lws_context_creation_info& vhost,
                               std::chrono::seconds request_timeout) const {
  context.fd_limit_per_thread = static_cast<unsigned>(limits_->settings().total + 16);
  context.timeout_secs = static_cast<unsigned>(request_timeout.count());
  vhost.timeout_secs_ah_idle = static_cast<unsigned>(request_timeout.count());
  vhost.keepalive_timeout = static_cast<int>(request_timeout.count());
}

bool ConnectionGate::admit(const lws_filter_network_conn_args& connection) {
  // A connection admitted last time whose wsi lws then failed to create.
  if (admitted_) {
    limits_->release(*std::exchange(admitted_, std::nullopt));
  }
  std::string address =
      address_key(reinterpret_cast<const sockaddr*>(&connection.cli_addr), connection.clilen);
  if (address.empty()) {
    address = "other";  // not IP: counted together
  }
  const auto verdict = limits_->admit(address);
  if (verdict != ConnectionLimits::Verdict::admitted) {
    ++refused_;
    spdlog::warn("{}: refused a connection from {}: {}", name_, address,
                 verdict == ConnectionLimits::Verdict::over_total
                     ? "too many connections open"
                     : "too many connections open from that address");
    return false;
  }
  admitted_ = std::move(address);
  return true;
}

std::string ConnectionGate::take_admitted() {
  if (!admitted_) {
    return {};
  }
  ++open_;
  return *std::exchange(admitted_, std::nullopt);
}

void ConnectionGate::release(const std::string& address) {
  limits_->release(address);
  --open_;
}

}  // namespace hallcast::control
