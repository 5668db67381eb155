#include "host/host_certificate.h"

#include "x509/certificate_input.h"
#include "base/error.h"
#include "host/hostname.h"
#include "x509/private_key_input.h"


namespace certd {

std::string_view originName(HostOrigin origin)
{
    switch (origin) {
    case HostOrigin::Generated: return "generated";
    case HostOrigin::Uploaded: return "uploaded";
    case HostOrigin::Requested: return "requested";
    case HostOrigin::Acme: return "acme";
    case HostOrigin::None: break;
    }
    return "none";
}

std::optional<HostOrigin> parseOrigin(std::string_view name)
{
    for (const auto origin : {HostOrigin::Generated, HostOrigin::Uploaded, HostOrigin::Requested, HostOrigin::Acme})
        if (originName(origin) == name)
            return origin;
    return std::nullopt;
}

std::string HostCertificate::chainPem() const
{
    std::string pem = certificatePem;
    for (const auto& issuer : chainPems)
        pem += issuer;
    return pem;
}

HostCertificatePtr makeHostCertificate(HostOrigin origin, std::optional<GenerationSettings> generation,
                                       const std::vector<X509Ptr>& chain, EVP_PKEY& key)
{
    auto host = std::make_shared<HostCertificate>();
    host->origin = origin;
    host->generation = std::move(generation);
    host->details = describeCertificate(*chain.front());
    host->certificatePem = certificateToPem(*chain.front());
    for (std::size_t i = 1; i < chain.size(); ++i)
        host->chainPems.push_back(certificateToPem(*chain[i]));
    host->keyPem = privateKeyToPem(key);
    return host;
}

namespace {

bool matchesName(std::string_view pattern, std::string_view host)
{
    if (pattern.starts_with("*.")) {
        const auto dot = host.find('.');
        return dot != std::string_view::npos && dot > 0 && host.substr(dot) == pattern.substr(1);
    }
    return pattern == host;
}

} // namespace

bool matchesHostname(const CertificateDetails& details, const std::string& hostname)
{
    const std::string host = toLower(hostname);
    if (host.empty())
        return false;
    bool hasDnsName = false;
    for (const auto& name : details.subjectAlternativeNames) {
        if (!name.starts_with("DNS:"))
            continue;
        hasDnsName = true;
        if (matchesName(toLower(name.substr(4)), host))
            return true;
    }
    return !hasDnsName && details.commonName != emptyCommonName && matchesName(toLower(details.commonName), host);
}

} // namespace certd
