// The one clock certd reads, so that tests can move it with libfaketime,
// and how its times appear in messages.
#pragma once

#include <cstdint>
#include <string>

namespace certd {

// The current time in seconds since the Unix epoch.
std::int64_t unixNow();

// Seconds since the Unix epoch as "2025-05-30 10:48:38 UTC", for messages.
std::string formatUtcTime(std::int64_t unixTime);

} // namespace certd
