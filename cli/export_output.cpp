#include "export_output.h"

#include "failure.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace certd::cli {
namespace {

void writeAll(int fd, const std::vector<std::uint8_t>& data, const std::string& name)
{
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t written = ::write(fd, data.data() + done, data.size() - done);
        if (written < 0 && errno == EINTR)
            continue;
        if (written < 0)
            throw Failure(exitFailure, "cannot write " + name + ": " + std::strerror(errno));
        done += static_cast<std::size_t>(written);
    }
}

void writeFile(const std::string& file, const std::vector<std::uint8_t>& data)
{
    // Certificates are public: the mode is the user's umask's 0644.
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644);
    if (fd < 0)
        throw Failure(exitFailure, "cannot write " + file + ": " + std::strerror(errno));
    try {
        writeAll(fd, data, file);
    } catch (...) {
        ::close(fd);
        throw;
    }
    if (::close(fd) != 0)
        throw Failure(exitFailure, "cannot write " + file + ": " + std::strerror(errno));
}

} // namespace

const char* exportFormat(const ExportOptions& options)
{
    return options.der ? "der" : "pem";
}

void writeExport(Session& session, const std::vector<std::uint8_t>& data, const ExportOptions& options,
                 const std::string& what)
{
    if (!options.outputFile.empty() && options.outputFile != "-") {
        writeFile(options.outputFile, data);
        session.out << "Wrote " << what << " to " << options.outputFile << " (" << (options.der ? "DER" : "PEM") << ", "
                    << data.size() << " bytes).\n";
        return;
    }
    if (options.der && ::isatty(STDOUT_FILENO))
        throw Failure(exitUsage, "DER is binary and is not written to a terminal: give -o FILE or redirect the output");
    session.out.flush();
    writeAll(STDOUT_FILENO, data, "standard output");
}

} // namespace certd::cli
