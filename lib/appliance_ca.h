// The appliance's own CA, which signs the host certificates certd
// generates. Created on first need; kept (key and certificate in one file,
// readable by root only) under the state directory.
#pragma once

#include "host_certificate.h"

#include <filesystem>

namespace certd {

struct ApplianceCaSettings {
    std::string commonName; // empty: "<hostname> Appliance CA"
    KeyType keyType = KeyType::EcP256;
};

inline constexpr int applianceCaValidityYears = 10;

class ApplianceCa {
public:
    // Reads the CA from file; creates it there first when there is none
    // (key generation: can take seconds). Settings only apply to a new CA.
    static ApplianceCa loadOrCreate(const std::filesystem::path& file, const ApplianceCaSettings& settings,
                                    std::int64_t now);

    X509& certificate() const { return *cert_; }
    std::string certificatePem() const;
    bool wasCreated() const { return created_; }

    // A host certificate for settings, with a fresh key (slow: run off the
    // bus thread). Valid from an hour ago (clock skew) for validityDays,
    // never beyond the CA itself.
    HostCertificatePtr issue(const GenerationSettings& settings, std::int64_t now) const;

private:
    ApplianceCa(X509Ptr cert, EvpPkeyPtr key, bool created);

    X509Ptr cert_;
    EvpPkeyPtr key_;
    bool created_;
};

// DNS names first (hostname, its short name, additional names), no duplicates.
std::vector<std::string> subjectAlternativeNamesFor(const GenerationSettings& settings);

} // namespace certd
