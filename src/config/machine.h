// What a config takes from the machine it is loaded on, after the rules on the file
// itself: secrets from the environment variables it names. Done once at load, so that
// `check` and `run` judge the same facts.
#pragma once

#include "config/config.h"
#include "config/problems.h"

namespace hallcast::config {

// Fills in stream keys, control tokens and the obs-websocket password from
// `environment` and reports what those facts make wrong: a control or obs-websocket
// port reachable from other machines without an operator token or a password.
void take_from_machine(Config& config, const Environment& environment, Problems& problems);

}  // namespace hallcast::config
