#include "host_certificate_store.h"

#include "atomic_file.h"
#include "details_json.h"
#include "error.h"

#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

namespace certd {
namespace {

using Json = nlohmann::json;

constexpr int recordVersion = 1;

Json settingsToJson(const GenerationSettings& settings)
{
    return {{"hostname", settings.hostname},
            {"keyType", keyTypeName(settings.keyType)},
            {"validityDays", settings.validityDays},
            {"additionalNames", settings.additionalNames}};
}

GenerationSettings settingsFromJson(const Json& json)
{
    GenerationSettings settings;
    json.at("hostname").get_to(settings.hostname);
    const auto keyType = parseKeyType(json.at("keyType").get<std::string>());
    if (!keyType)
        throw std::runtime_error("unknown key type");
    settings.keyType = *keyType;
    json.at("validityDays").get_to(settings.validityDays);
    json.at("additionalNames").get_to(settings.additionalNames);
    return settings;
}

std::string toRecord(const HostCertificate& host)
{
    Json record{{"version", recordVersion},
                {"origin", originName(host.origin)},
                {"certificate", host.certificatePem},
                {"chain", host.chainPems},
                {"privateKey", host.keyPem},
                {"details", detailsToJson(host.details)}};
    if (host.generation)
        record["generation"] = settingsToJson(*host.generation);
    return record.dump(2) + "\n";
}

// Reads back what toRecord wrote, without parsing any certificate.
HostCertificatePtr fromRecord(const std::string& text)
{
    const Json record = Json::parse(text);
    if (record.at("version") != recordVersion)
        throw std::runtime_error("unknown record version");
    const auto origin = record.at("origin").get<std::string>();
    if (origin != "generated" && origin != "uploaded")
        throw std::runtime_error("unknown origin " + origin);
    auto host = std::make_shared<HostCertificate>();
    host->origin = origin == "generated" ? HostOrigin::Generated : HostOrigin::Uploaded;
    record.at("certificate").get_to(host->certificatePem);
    record.at("chain").get_to(host->chainPems);
    record.at("privateKey").get_to(host->keyPem);
    host->details = detailsFromJson(record.at("details"));
    if (record.contains("generation"))
        host->generation = settingsFromJson(record.at("generation"));
    if (!host->certificatePem.starts_with("-----BEGIN CERTIFICATE-----") ||
        !host->keyPem.starts_with("-----BEGIN PRIVATE KEY-----"))
        throw std::runtime_error("no certificate or key in it");
    return host;
}

// Writes contents unless the file already holds exactly that; either way
// the file ends up with options' mode and group.
void writeIfDifferent(const std::filesystem::path& file, const std::string& contents, const FileOptions& options)
{
    try {
        struct stat status{};
        const bool sameOwnership = ::stat(file.c_str(), &status) == 0 &&
                                   (status.st_mode & 07777) == options.mode && status.st_uid == ::geteuid() &&
                                   (!options.group || status.st_gid == *options.group);
        if (sameOwnership && readFile(file, contents.size() + 1) == contents)
            return;
    } catch (const Error&) {
        // missing or unreadable: write it
    }
    writeFileAtomically(file, contents, options);
}

} // namespace

HostCertificateStore::HostCertificateStore(std::filesystem::path recordFile, ServiceSettings settings)
    : recordFile_(std::move(recordFile))
    , settings_(std::move(settings))
{
}

HostCertificatePtr HostCertificateStore::load(std::string& problem) const
{
    std::error_code error;
    if (!std::filesystem::exists(recordFile_, error))
        return nullptr;
    try {
        return fromRecord(readFile(recordFile_, 16 * 1024 * 1024));
    } catch (const std::exception& failure) {
        problem = "The certificate record " + recordFile_.string() + " is damaged (" + failure.what() + ")";
    }
    // A name not taken yet: an earlier damaged record is evidence too.
    auto aside = recordFile_.string() + ".damaged";
    for (int n = 1; std::filesystem::exists(aside, error); ++n)
        aside = recordFile_.string() + ".damaged." + std::to_string(n);
    try {
        renameDurably(recordFile_, aside);
        problem += "; it was moved to " + aside;
    } catch (const std::exception& failure) {
        problem += std::string("; it could not be moved aside: ") + failure.what();
    }
    return nullptr;
}

void HostCertificateStore::save(const HostCertificate& host) const
{
    commit(host);
    deliver(host);
}

void HostCertificateStore::commit(const HostCertificate& host) const
{
    writeFileAtomically(recordFile_, toRecord(host), FileOptions::durableFile(0600));
}

void HostCertificateStore::deliver(const HostCertificate& host) const
{
    const auto& group = settings_.keyGroup;
    ensureDirectory(settings_.directory, group ? 0750 : 0700, group ? group : std::optional<gid_t>(0));
    const auto secret = group ? FileOptions::durableFile(0640, group) : FileOptions::durableFile(0600, 0);
    writeIfDifferent(settings_.privateKeyPath(), host.keyPem, secret);
    writeIfDifferent(settings_.certificatePath(), host.certificatePem, FileOptions::durableFile(0644, 0));
    writeIfDifferent(settings_.chainPath(), host.chainPem(), FileOptions::durableFile(0644, 0));
}

} // namespace certd
