#include "command_line.h"

#include "certd_build_config.h"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>

namespace certd {

std::optional<CommandLine> parseCommandLine(int argc, char** argv, int& exitCode)
{
    CommandLine options;
    CLI::App app{"certd: owns the appliance's certificates and serves them on D-Bus "
                 "as org.certd.Certd1"};
    app.set_version_flag("--version", std::string("certd ") + CERTD_VERSION);
    app.add_option("--config", options.configFile, "INI configuration file")
        ->default_str("/etc/certd/certd.conf");
    app.add_option("--state-dir", options.stateDirectory,
                   "State directory (default: $STATE_DIRECTORY, else /var/lib/certd)");
    app.add_flag("--session", options.sessionBus, "Use the session bus instead of the system bus");
    app.add_option("--log-level", options.logLevel, "Log level")
        ->check(CLI::IsMember({"trace", "debug", "info", "warning", "error", "critical", "off"}))
        ->default_str("info");
    app.add_flag("--check-config", options.checkConfig,
                 "Check the configuration file (--config, or the default) and exit: 0 when valid, "
                 "1 with FILE:LINE: and the reason when not");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        exitCode = app.exit(error);
        return std::nullopt;
    }
    options.configGiven = app.count("--config") > 0;
    return options;
}

std::filesystem::path chooseStateDirectory(const std::filesystem::path& fromCommandLine)
{
    // Absolute, because paths under it are published (TrustDirectory, ...).
    if (!fromCommandLine.empty())
        return std::filesystem::absolute(fromCommandLine).lexically_normal();
    // systemd may list several directories, separated by colons: ours is the first.
    if (const char* fromSystemd = std::getenv("STATE_DIRECTORY"); fromSystemd && *fromSystemd) {
        const std::string value = fromSystemd;
        return value.substr(0, value.find(':'));
    }
    return "/var/lib/certd";
}

} // namespace certd
