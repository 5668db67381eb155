// certd: owns the appliance's certificates and serves them on D-Bus.
#include "command_line.h"
#include "base/error.h"
#include "config/config.h"
#include "daemon.h"
#include "event_loop.h"
#include "logging.h"

#include <spdlog/spdlog.h>

#include <iostream>
#include <malloc.h>

namespace {

// certd --check-config, like nginx -t: the verdict on stdout or stderr, no
// logging set-up, no bus, no state directory.
int checkConfig(const certd::CommandLine& options)
{
    try {
        certd::loadConfig(options.configFile, options.configGiven);
    } catch (const certd::Error& error) {
        std::cerr << "certd: " << error.what() << "\n";
        return 1;
    }
    const bool exists = std::filesystem::exists(options.configFile);
    std::cout << options.configFile.string() << (exists ? ": configuration is valid\n" : ": not present; the defaults apply\n");
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    // Before any thread exists, so that every thread inherits the mask.
    certd::blockTerminationSignals();
    // Freed memory given back sooner keeps the idle daemon small. glibc's
    // default of one malloc arena per thread stays: with a single arena
    // (0.4 MiB less resident), a Reload's worker freeing 10,000 entries held
    // the arena's lock while the bus thread waited for it, 10-27 ms per call.
    ::mallopt(M_TRIM_THRESHOLD, 32 * 1024);

    int exitCode = 0;
    const auto options = certd::parseCommandLine(argc, argv, exitCode);
    if (!options)
        return exitCode;
    if (options->checkConfig)
        return checkConfig(*options);
    certd::setUpLogging(options->logLevel);

    certd::Config config;
    try {
        config = certd::loadConfig(options->configFile, options->configGiven);
    } catch (const certd::Error& error) {
        spdlog::critical("Invalid configuration: {}", error.what());
        return 1;
    }
    return certd::runDaemon(*options, config);
}
