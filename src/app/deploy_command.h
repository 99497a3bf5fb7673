// `hallcast deploy audience-nginx|relay-nginx` (SPEC §5): loads the config as `run`
// does (stream keys from the environment included), and prints the nginx configuration
// of that tier, or writes it with -o (mode 0600 for the relay's, which holds keys).
#pragma once

#include <ostream>

#include "app/cli.h"

namespace hallcast::app {

// The exit code: 0 done, 2 a bad argument or config (one line each on `err`, or the
// config's problems on `out` as `check` prints them), 1 the file could not be written.
int deploy(const CommandLine& cl, std::ostream& out, std::ostream& err);

}  // namespace hallcast::app
