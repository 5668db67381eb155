#include "host/appliance_ca.h"

#include "base/atomic_file.h"
#include "x509/certificate_builder.h"
#include "x509/certificate_details.h"
#include "x509/certificate_input.h"
#include "base/error.h"
#include "host/hostname.h"
#include "x509/private_key_input.h"
#include "base/clock.h"
#include "base/text.h"

#include <algorithm>

namespace certd {
namespace {

constexpr std::int64_t hour = 3600;
constexpr std::int64_t day = 24 * hour;

ApplianceCaSettings withDefaults(ApplianceCaSettings settings)
{
    if (settings.commonName.empty()) {
        // X.509 allows 64 characters in a Common Name: " Appliance CA" takes 13.
        const auto host = currentHostname();
        settings.commonName = (host.empty() ? std::string("certd") : host.substr(0, 51)) + " Appliance CA";
    }
    return settings;
}

} // namespace

void validateApplianceCaSettings(const ApplianceCaSettings& settings)
{
    const auto& name = settings.commonName;
    std::size_t characters = 0;
    for (std::size_t i = 0; i < name.size(); ++characters) {
        const auto length = validUtf8SequenceLength(name, i);
        if (length == 0 || (length == 1 && static_cast<unsigned char>(name[i]) < 0x20))
            throw Error(ErrorCode::InvalidArgument, "CommonName holds control characters or is not UTF-8");
        i += length;
    }
    if (characters > 64)
        throw Error(ErrorCode::InvalidArgument,
                    "CommonName has " + std::to_string(characters) + " characters; X.509 allows at most 64");
    if (settings.validityDays < minApplianceCaDays || settings.validityDays > maxApplianceCaDays)
        throw Error(ErrorCode::InvalidArgument, "ValidityDays " + std::to_string(settings.validityDays) +
                                                    " is out of range: " + std::to_string(minApplianceCaDays) +
                                                    " to " + std::to_string(maxApplianceCaDays) + " days");
}

std::vector<std::string> subjectAlternativeNamesFor(const GenerationSettings& settings)
{
    std::vector<std::string> names{toLower(settings.hostname)};
    if (auto shortForm = shortName(names.front()); !shortForm.empty())
        names.push_back(shortForm);
    for (const auto& name : settings.additionalNames)
        names.push_back(isIpAddress(name) ? canonicalIpAddress(name) : toLower(name));
    std::vector<std::string> unique;
    for (const auto& name : names)
        if (std::find(unique.begin(), unique.end(), name) == unique.end())
            unique.push_back(name);
    return unique;
}

std::string subjectAlternativeNameExtension(const std::vector<std::string>& names)
{
    std::string value;
    for (const auto& name : names)
        value += (value.empty() ? "" : ",") + std::string(isIpAddress(name) ? "IP:" : "DNS:") + name;
    return value;
}

std::vector<std::pair<std::string, std::string>> hostSubject(const GenerationSettings& settings)
{
    // X.509 limits a Common Name to 64 characters; longer names live in the
    // Subject Alternative Names only, which is all browsers look at anyway.
    const std::string hostname = toLower(settings.hostname);
    if (hostname.size() > 64)
        return {};
    return {{"CN", hostname}};
}

std::vector<std::pair<int, std::string>> serverCertificateExtensions(const GenerationSettings& settings, const EVP_PKEY& key)
{
    return serverCertificateExtensions(subjectAlternativeNamesFor(settings), key);
}

std::vector<std::pair<int, std::string>> serverCertificateExtensions(const std::vector<std::string>& names,
                                                                   const EVP_PKEY& key)
{
    const bool rsa = EVP_PKEY_get_base_id(&key) == EVP_PKEY_RSA;
    return {{NID_key_usage, rsa ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature"},
            {NID_ext_key_usage, "serverAuth"},
            {NID_subject_alt_name, subjectAlternativeNameExtension(names)}};
}

ApplianceCa::ApplianceCa(std::string filePem, std::string certificatePem, bool created)
    : filePem_(std::move(filePem))
    , certificatePem_(std::move(certificatePem))
    , created_(created)
{
}

std::unique_ptr<ApplianceCa> ApplianceCa::loadOrCreate(const std::filesystem::path& file,
                                                       const ApplianceCaSettings& requested, std::int64_t now)
{
    std::error_code error;
    if (std::filesystem::exists(file, error)) {
        std::string contents = readFile(file, maxInputSize);
        // certd wrote it: the key's PEM, then the certificate's.
        const auto begin = contents.find("-----BEGIN CERTIFICATE-----");
        const auto endMarker = std::string_view("-----END CERTIFICATE-----\n");
        const auto end = contents.find(endMarker, begin == std::string::npos ? 0 : begin);
        if (begin == std::string::npos || end == std::string::npos)
            throw Error(ErrorCode::Internal, "The appliance CA file " + file.string() + " holds no certificate");
        std::string certificate = contents.substr(begin, end + endMarker.size() - begin);
        return std::unique_ptr<ApplianceCa>(new ApplianceCa(std::move(contents), std::move(certificate), false));
    }
    auto ca = create(requested, now);
    ca->save(file);
    return ca;
}

std::unique_ptr<ApplianceCa> ApplianceCa::create(const ApplianceCaSettings& requested, std::int64_t now)
{
    const ApplianceCaSettings settings = withDefaults(requested);
    EvpPkeyPtr key = generateKey(settings.keyType);
    X509Ptr cert = CertificateBuilder()
                       .subject({{"CN", settings.commonName}})
                       .validity(now - hour, now + static_cast<std::int64_t>(settings.validityDays) * day)
                       .publicKey(*key)
                       .extension(NID_basic_constraints, "critical,CA:TRUE,pathlen:0")
                       .extension(NID_key_usage, "critical,keyCertSign,cRLSign")
                       .extension(NID_subject_key_identifier, "hash")
                       .sign(*key);
    std::string certificate = certificateToPem(*cert);
    // One file, so that key and certificate can only appear together.
    std::string contents = privateKeyToPem(*key) + certificate;
    auto ca = std::unique_ptr<ApplianceCa>(new ApplianceCa(std::move(contents), std::move(certificate), true));
    std::call_once(ca->parseOnce_, [&] { ca->parsed_ = {std::move(cert), std::move(key)}; });
    return ca;
}

void ApplianceCa::save(const std::filesystem::path& file) const
{
    writeFileAtomically(file, filePem_, FileOptions::durableFile(0600));
}

const ApplianceCa::Parsed& ApplianceCa::parsed() const
{
    std::call_once(parseOnce_, [this] {
        parsed_.cert = std::move(readFirstCertificate(asBytes(filePem_)).certificate);
        parsed_.key = readPrivateKey(asBytes(filePem_));
    });
    return parsed_;
}

const CertificateDetails& ApplianceCa::details() const
{
    std::call_once(describeOnce_, [this] { details_ = describeCertificate(*parsed().cert); });
    return details_;
}

HostCertificatePtr ApplianceCa::issue(const GenerationSettings& settings, std::int64_t now) const
{
    X509& caCert = *parsed().cert;
    const std::int64_t caNotAfter = toUnixTime(*X509_get0_notAfter(&caCert));
    if (now + day > caNotAfter)
        throw Error(ErrorCode::Internal, "The appliance CA expires on " + formatUtcTime(caNotAfter) +
                                             " and can no longer issue certificates; rotate it " +
                                             "(certctl rotate-appliance-ca) for a new one");
    EvpPkeyPtr key = generateKey(settings.keyType);
    const std::int64_t notBefore = now - hour;
    const std::int64_t notAfter = std::min<std::int64_t>(notBefore + settings.validityDays * day, caNotAfter);
    const auto subject = hostSubject(settings);
    std::vector<X509Ptr> chain;
    CertificateBuilder builder;
    builder.subject(subject).validity(notBefore, notAfter).publicKey(*key).issuer(caCert);
    builder.extension(NID_basic_constraints, "critical,CA:FALSE");
    for (auto& [nid, value] : serverCertificateExtensions(settings, *key))
        builder.extension(nid, std::move(value));
    builder.extension(NID_subject_key_identifier, "hash").extension(NID_authority_key_identifier, "keyid:always");
    chain.push_back(builder.sign(*parsed().key));
    return makeHostCertificate(HostOrigin::Generated, settings, chain, *key);
}

} // namespace certd
