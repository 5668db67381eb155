// certd assembled: state directory, trust store, D-Bus objects and loop.
#pragma once

#include "command_line.h"
#include "config/config.h"

namespace certd {

// Runs certd until SIGTERM (returns 0) or until the bus goes away or start-up
// fails (returns non-zero, so that systemd restarts it).
int runDaemon(const CommandLine& options, const Config& config);

} // namespace certd
