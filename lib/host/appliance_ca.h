// The appliance's own CA, which signs the host certificates certd
// generates. Created on first need; kept (key and certificate in one file,
// readable by root only) under the state directory. Parsed only when it
// signs: a restart that does not generate anything leaves OpenSSL idle.
#pragma once

#include "host/host_certificate.h"

#include <filesystem>
#include <memory>
#include <mutex>

namespace certd {

inline constexpr int applianceCaValidityYears = 10;
inline constexpr unsigned minApplianceCaDays = 365;
inline constexpr unsigned maxApplianceCaDays = 7305; // twenty years
inline constexpr unsigned defaultApplianceCaDays = applianceCaValidityYears * 365 + 2;
inline constexpr unsigned defaultOverlapDays = 90;

struct ApplianceCaSettings {
    std::string commonName; // empty: "<hostname> Appliance CA"
    KeyType keyType = KeyType::EcP256;
    unsigned validityDays = defaultApplianceCaDays;
    // After a rotation, how long the old CA's certificate is still handed
    // out beside the new one ([ApplianceCA] OverlapDays=).
    unsigned overlapDays = defaultOverlapDays;
};

// InvalidArgument naming the first setting that is wrong: a Common Name
// longer than X.509's 64 characters, not UTF-8 or with control characters;
// a validity outside 365 to 7305 days.
void validateApplianceCaSettings(const ApplianceCaSettings& settings);

class ApplianceCa {
public:
    // Reads the CA from file; creates it there first when there is none
    // (key generation: can take seconds). Settings only apply to a new CA.
    static std::unique_ptr<ApplianceCa> loadOrCreate(const std::filesystem::path& file,
                                                     const ApplianceCaSettings& settings, std::int64_t now);
    // A new CA in memory (key generation: can take seconds); save() makes
    // it the one in file: one atomic, durable replacement, the commit of a
    // rotation.
    static std::unique_ptr<ApplianceCa> create(const ApplianceCaSettings& settings, std::int64_t now);
    void save(const std::filesystem::path& file) const;

    const std::string& certificatePem() const { return certificatePem_; }
    bool wasCreated() const { return created_; }
    // Of its certificate; parsed on first use (not at start). Any thread.
    const CertificateDetails& details() const;

    // A host certificate for settings, with a fresh key (slow: run off the
    // bus thread). Valid from an hour ago (clock skew) for validityDays,
    // never beyond the CA itself. Safe from any thread.
    HostCertificatePtr issue(const GenerationSettings& settings, std::int64_t now) const;

private:
    ApplianceCa(std::string filePem, std::string certificatePem, bool created);

    struct Parsed {
        X509Ptr cert;
        EvpPkeyPtr key;
    };
    const Parsed& parsed() const;

    std::string filePem_; // key and certificate
    std::string certificatePem_;
    bool created_;
    mutable std::once_flag parseOnce_;
    mutable Parsed parsed_;
    mutable std::once_flag describeOnce_;
    mutable CertificateDetails details_;
};

// DNS names first (hostname, its short name, additional names), no duplicates.
std::vector<std::string> subjectAlternativeNamesFor(const GenerationSettings& settings);
// The same as a subjectAltName value in openssl.cnf syntax: "DNS:a,IP:192.0.2.1".
std::string subjectAlternativeNameExtension(const std::vector<std::string>& names);
// A host certificate's subject: its Common Name, the host name, when it fits
// X.509's 64 characters (else none: the names are in the SAN).
std::vector<std::pair<std::string, std::string>> hostSubject(const GenerationSettings& settings);
// What a server certificate for settings carries besides its names' subject,
// whoever signs it: key usage for key's type, serverAuth, the names.
std::vector<std::pair<int, std::string>> serverCertificateExtensions(const GenerationSettings& settings,
                                                                     const EVP_PKEY& key);
// The same for exactly names (ACME: every name is validated, so none is added).
std::vector<std::pair<int, std::string>> serverCertificateExtensions(const std::vector<std::string>& names,
                                                                   const EVP_PKEY& key);

} // namespace certd
