#include "export_output.h"

#include "failure.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
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

// Writes file in one step: a temporary file beside it, synced, renamed over
// it. A full disk or an I/O error leaves the old file (or none), never a
// truncated one; a symbolic link at file is replaced, not followed.
void writeFile(const std::string& file, const std::vector<std::uint8_t>& data)
{
    std::string temporary = file + ".XXXXXX";
    const int fd = ::mkstemp(temporary.data());
    if (fd < 0)
        throw Failure(exitFailure, "cannot write " + file + ": " + std::strerror(errno));
    const auto fail = [&] {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        ::unlink(temporary.c_str());
        throw Failure(exitFailure, "cannot write " + file + ": " + reason);
    };
    // Certificates are public: 0666 less the umask, as a plain open would make.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    if (::fchmod(fd, 0666 & ~mask) != 0)
        fail();
    try {
        writeAll(fd, data, file);
    } catch (const Failure&) {
        fail();
    }
    if (::fsync(fd) != 0)
        fail();
    if (::close(fd) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(temporary.c_str());
        throw Failure(exitFailure, "cannot write " + file + ": " + reason);
    }
    if (::rename(temporary.c_str(), file.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(temporary.c_str());
        throw Failure(exitFailure, "cannot write " + file + ": " + reason);
    }
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
