// The start-up summary: what this show is made of, in the log. Keys are never shown,
// only where each comes from and whether it is set.
#pragma once

#include "config/config.h"

namespace hallcast::app {

void log_startup_summary(const config::Config& config);

}  // namespace hallcast::app
