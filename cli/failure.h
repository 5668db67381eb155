// How certctl fails: every failure is one line on stderr and an exit code
// a script can branch on. certd's errors keep their own codes, 10 and up in
// the order of certd::ErrorCode (documented in certctl(1)).
#pragma once

#include <stdexcept>
#include <string>

namespace sdbus {
class Error;
}

namespace certd::cli {

inline constexpr int exitSuccess = 0;
inline constexpr int exitFailure = 1;
inline constexpr int exitUsage = 2;
inline constexpr int exitFirstCertdError = 10;

// A failure certctl found itself; exitCode as above.
class Failure : public std::runtime_error {
public:
    Failure(int exitCode, const std::string& message)
        : std::runtime_error(message)
        , exitCode_(exitCode)
    {
    }
    int exitCode() const noexcept { return exitCode_; }

private:
    int exitCode_;
};

// The exit code for a D-Bus error certd (or the bus) answered with.
int exitCodeFor(const sdbus::Error& error);
// The exit code for a certd error name's last part ("NotFound" -> 15).
int exitCodeForCertdError(const std::string& name);

// The line certctl prints for error: certd's message, and a hint for the
// bus's own errors (certd not running, not allowed by the bus policy).
std::string messageFor(const sdbus::Error& error);

} // namespace certd::cli
