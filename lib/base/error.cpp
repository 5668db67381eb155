#include "base/error.h"

#include <cstring>

namespace certd {

std::string_view errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidCertificate: return "InvalidCertificate";
    case ErrorCode::NotYetValid: return "NotYetValid";
    case ErrorCode::Expired: return "Expired";
    case ErrorCode::NotCA: return "NotCA";
    case ErrorCode::AlreadyExists: return "AlreadyExists";
    case ErrorCode::NotFound: return "NotFound";
    case ErrorCode::TooLarge: return "TooLarge";
    case ErrorCode::InvalidArgument: return "InvalidArgument";
    case ErrorCode::AccessDenied: return "AccessDenied";
    case ErrorCode::Internal: return "Internal";
    case ErrorCode::KeyEncrypted: return "KeyEncrypted";
    case ErrorCode::KeyMismatch: return "KeyMismatch";
    case ErrorCode::InvalidKey: return "InvalidKey";
    case ErrorCode::WrongPassphrase: return "WrongPassphrase";
    case ErrorCode::InvalidPKCS12: return "InvalidPKCS12";
    case ErrorCode::NoPrivateKey: return "NoPrivateKey";
    case ErrorCode::SeveralPrivateKeys: return "SeveralPrivateKeys";
    case ErrorCode::ACMEFailed: return "ACMEFailed";
    case ErrorCode::InvalidConfiguration: return "InvalidConfiguration";
    }
    return "Internal";
}

Error::Error(ErrorCode code, const std::string& message)
    : std::runtime_error(message)
    , code_(code)
{
}

void throwSystemError(std::string_view what, const std::string& path, int errnum)
{
    throw Error(ErrorCode::Internal, std::string(what) + " " + path + ": " + std::strerror(errnum));
}

} // namespace certd
