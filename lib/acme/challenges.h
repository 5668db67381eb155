// The two ways certd answers ACME challenges (RFC 8555 §8.3, §8.4).
//
// http-01: the key authorization goes into Webroot=/.well-known/acme-
// challenge/<token> (0644, so the web server's user reads it), which the
// appliance's web server serves on port 80; it is removed once the
// authorization is decided. The token is checked to be base64url first,
// so it can name nothing outside that directory, and .well-known and
// acme-challenge must be real directories (no symbolic links), since the
// web server's user may write in the webroot. (A link swapped in between
// the check and the write is not caught: keep the webroot root's.)
//
// dns-01: DNSHook= is run as `HOOK add|remove NAME VALUE`, NAME being
// "_acme-challenge.<identifier>" and VALUE the TXT record's text; "add"
// must return once the record is served. A hook that fails or runs longer
// than its timeout fails the order with what it wrote to standard error.
#pragma once

#include "acme/client.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace certd::acme {

class WebrootSolver final : public ChallengeSolver {
public:
    explicit WebrootSolver(std::filesystem::path webroot);
    std::string type() const override { return "http-01"; }
    void present(const std::string& identifier, const std::string& token, const std::string& keyAuthorization) override;
    void cleanUp(const std::string& identifier, const std::string& token,
                 const std::string& keyAuthorization) noexcept override;

private:
    std::filesystem::path webroot_;
};

class DnsHookSolver final : public ChallengeSolver {
public:
    // cancelled: certd is stopping; a hook under way is killed.
    DnsHookSolver(std::filesystem::path hook, std::chrono::seconds timeout, const std::atomic<bool>* cancelled = nullptr);
    std::string type() const override { return "dns-01"; }
    void present(const std::string& identifier, const std::string& token, const std::string& keyAuthorization) override;
    void cleanUp(const std::string& identifier, const std::string& token,
                 const std::string& keyAuthorization) noexcept override;

private:
    std::filesystem::path hook_;
    std::chrono::seconds timeout_;
    const std::atomic<bool>* cancelled_;
};

// dns-01's record text: base64url(SHA-256(keyAuthorization)).
std::string dnsRecordValue(const std::string& keyAuthorization);

// Runs program with arguments, no shell, standard input /dev/null, in a
// process group of its own, with default signal handling and a minimal
// environment (PATH, LANG; not certd's NOTIFY_SOCKET and the like).
// Returns its exit status (128+N when killed by signal N); output holds the
// first 4 kB of its standard and error output. At timeout, or once
// *cancelled turns true, the whole group is killed (SIGKILL): ACMEFailed.
int runProgram(const std::filesystem::path& program, const std::vector<std::string>& arguments,
               std::chrono::milliseconds timeout, std::string& output, const std::atomic<bool>* cancelled = nullptr);

} // namespace certd::acme
