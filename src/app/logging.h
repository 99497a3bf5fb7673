// Logging for the whole program: spdlog to stderr, with every line passed through the
// Redactor, so that no stream key or token can reach a log whatever code logged it.
// GStreamer's own debug log (GST_DEBUG) and GLib warnings are routed the same way.
#pragma once

#include <string>

#include "common/redactor.h"

namespace hallcast::app {

// `redactor` must outlive all logging.
void setup_logging(const std::string& level, const common::Redactor& redactor);

}  // namespace hallcast::app
