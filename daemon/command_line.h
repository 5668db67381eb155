// certd's command line.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace certd {

struct CommandLine {
    std::filesystem::path configFile = "/etc/certd/certd.conf";
    bool configGiven = false;       // --config: the file must exist
    std::filesystem::path stateDirectory;
    bool sessionBus = false;
    std::string logLevel = "info";
    bool checkConfig = false; // --check-config: validate the file, report, exit
};

// nullopt when the program should exit with exitCode (--help, --version,
// or a usage error already reported).
std::optional<CommandLine> parseCommandLine(int argc, char** argv, int& exitCode);

// --state-dir, else $STATE_DIRECTORY (set by systemd's StateDirectory=),
// else /var/lib/certd.
std::filesystem::path chooseStateDirectory(const std::filesystem::path& fromCommandLine);

} // namespace certd
