// Logging through spdlog: to the journal when systemd started certd with
// its output connected to the journal, to stderr otherwise.
#pragma once

#include <string>

namespace certd {

// level: trace, debug, info, warning, error, critical or off.
void setUpLogging(const std::string& level);

// Whether log messages go to the journal (so structured entries can too).
bool loggingToJournal();

} // namespace certd
