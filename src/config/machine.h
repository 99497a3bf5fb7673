// What a config takes from the machine it is loaded on, after the rules on the file
// itself: secrets from the environment variables it names, and what its `file://`
// sources are. Done once at load, so that `check` and `run` judge the same facts.
#pragma once

#include "config/config.h"
#include "config/problems.h"

namespace hallcast::config {

// Fills in stream keys, control tokens and the obs-websocket password from
// `environment` and reports what those facts make wrong: a control or obs-websocket
// port reachable from other machines without an operator token or a password, a
// `file://` source that is a folder, a FIFO or a device.
void take_from_machine(Config& config, const Environment& environment, Problems& problems);

}  // namespace hallcast::config
