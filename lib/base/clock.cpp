#include "base/clock.h"

#include <ctime>

namespace certd {

std::int64_t unixNow()
{
    return static_cast<std::int64_t>(std::time(nullptr));
}

std::string formatUtcTime(std::int64_t unixTime)
{
    const auto seconds = static_cast<std::time_t>(unixTime);
    std::tm parts{};
    if (!gmtime_r(&seconds, &parts))
        return std::to_string(unixTime) + " (seconds since the epoch)";
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S UTC", &parts);
    return buffer;
}

} // namespace certd
