#include "host_certificate.h"

#include "certificate_input.h"
#include "error.h"
#include "hostname.h"
#include "private_key_input.h"

#include <openssl/x509v3.h>

namespace certd {

std::string_view originName(HostOrigin origin)
{
    switch (origin) {
    case HostOrigin::Generated: return "generated";
    case HostOrigin::Uploaded: return "uploaded";
    case HostOrigin::None: break;
    }
    return "none";
}

void validateGenerationSettings(const GenerationSettings& settings)
{
    if (auto why = whyNotAHostname(settings.hostname); !why.empty())
        throw Error(ErrorCode::InvalidArgument,
                    "Hostname \"" + settings.hostname + "\" is not a valid host name: " + why);
    if (settings.validityDays < 1 || settings.validityDays > maxValidityDays)
        throw Error(ErrorCode::InvalidArgument,
                    "ValidityDays " + std::to_string(settings.validityDays) + " is out of range: 1 to " +
                        std::to_string(maxValidityDays) +
                        " days (browsers refuse longer-lived certificates from a local CA)");
    for (const auto& name : settings.additionalNames)
        if (auto why = whyNotACertificateName(name); !why.empty())
            throw Error(ErrorCode::InvalidArgument,
                        "AdditionalNames entry \"" + name +
                            "\" is neither a valid DNS name nor an IP address: " + why);
}

std::string HostCertificate::certificatePem() const
{
    return leaf ? certificateToPem(*leaf) : std::string();
}

std::string HostCertificate::chainPem() const
{
    std::string pem = certificatePem();
    for (const auto& cert : chain)
        pem += certificateToPem(*cert);
    return pem;
}

std::string HostCertificate::keyPem() const
{
    return key ? privateKeyToPem(*key) : std::string();
}

HostCertificatePtr makeHostCertificate(HostOrigin origin, std::optional<GenerationSettings> generation,
                                       std::vector<X509Ptr> chain, EvpPkeyPtr key)
{
    auto host = std::make_shared<HostCertificate>();
    host->origin = origin;
    host->generation = std::move(generation);
    host->details = describeCertificate(*chain.front());
    host->leaf = std::move(chain.front());
    host->chain.assign(std::make_move_iterator(chain.begin() + 1), std::make_move_iterator(chain.end()));
    host->key = std::move(key);
    return host;
}

bool matchesHostname(X509& cert, const std::string& hostname)
{
    return !hostname.empty() &&
           X509_check_host(&cert, hostname.data(), hostname.size(), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS,
                           nullptr) == 1;
}

} // namespace certd
