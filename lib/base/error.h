// The one error type lib throws. Each code maps 1:1 onto a D-Bus error name
// org.certd.Certd1.Error.<name>; the message must tell a person what was
// wrong and with which value, so the daemon can pass it on unchanged.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace certd {

enum class ErrorCode {
    InvalidCertificate,
    NotYetValid,
    Expired,
    NotCA,
    AlreadyExists,
    NotFound,
    TooLarge,
    InvalidArgument,
    AccessDenied,
    Internal,
    KeyEncrypted,
    KeyMismatch,
    InvalidKey,
    WrongPassphrase,    // a PKCS#12 file's passphrase
    InvalidPKCS12,      // not a PKCS#12 file, damaged, or encrypted in a way OpenSSL cannot undo
    NoPrivateKey,       // a PKCS#12 file without one
    SeveralPrivateKeys, // a PKCS#12 file with more than one
    ACMEFailed,         // an ACME CA refused or could not be reached; the message holds its problem
    InvalidConfiguration, // certd.conf; never a D-Bus reply today; last (certctl's exit codes)
};

// "InvalidCertificate", ... : the last element of the D-Bus error name.
std::string_view errorCodeName(ErrorCode code);

class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message);

    ErrorCode code() const noexcept { return code_; }

private:
    ErrorCode code_;
};

// Internal error for a failed system call on a path: "<what> <path>: <strerror(errnum)>".
[[noreturn]] void throwSystemError(std::string_view what, const std::string& path, int errnum);

} // namespace certd
