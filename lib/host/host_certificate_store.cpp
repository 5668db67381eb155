#include "host/host_certificate_store.h"

#include "base/atomic_file.h"
#include "host/generation_json.h"
#include "x509/details_json.h"
#include "base/error.h"

#include "base/json_reading.h"
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

namespace certd {
namespace {

using Json = nlohmann::json;

constexpr int recordVersion = 1;

std::string toRecord(const HostCertificate& host)
{
    Json record{{"version", recordVersion},
                {"origin", originName(host.origin)},
                {"certificate", host.certificatePem},
                {"chain", host.chainPems},
                {"privateKey", host.keyPem},
                {"details", detailsToJson(host.details)}};
    if (host.generation)
        record["generation"] = generationSettingsToJson(*host.generation);
    return record.dump(2) + "\n";
}

} // namespace

// Reads back what toRecord wrote, without parsing any certificate.
HostCertificatePtr parseHostRecord(std::string_view text)
{
    const Json record = json::parseText(text);
    if (json::integer<int>(json::member(record, "version")) != recordVersion)
        throw Error(ErrorCode::Internal, "unknown record version");
    const auto origin = json::text(json::member(record, "origin"));
    const auto parsed = parseOrigin(origin);
    if (!parsed)
        throw Error(ErrorCode::Internal, "unknown origin " + origin);
    auto host = std::make_shared<HostCertificate>();
    host->origin = *parsed;
    host->certificatePem = json::text(json::member(record, "certificate"));
    host->chainPems = json::texts(json::member(record, "chain"));
    host->keyPem = json::text(json::member(record, "privateKey"));
    host->details = detailsFromJson(json::member(record, "details"));
    if (record.contains("generation"))
        host->generation = generationSettingsFromJson(json::member(record, "generation"));
    if (!host->certificatePem.starts_with("-----BEGIN CERTIFICATE-----") ||
        !host->keyPem.starts_with("-----BEGIN PRIVATE KEY-----"))
        throw Error(ErrorCode::Internal, "no certificate or key in it");
    return host;
}

namespace {

std::optional<Version> parseRecordName(const std::string& name)
{
    if (!name.ends_with(".json"))
        return std::nullopt;
    return parseVersionDirectoryName(".v" + name.substr(0, name.size() - 5));
}

std::filesystem::path unusedName(const std::filesystem::path& base)
{
    std::error_code error;
    auto candidate = base.string();
    for (int n = 1; std::filesystem::exists(candidate, error); ++n)
        candidate = base.string() + "." + std::to_string(n);
    return candidate;
}

} // namespace

HostCertificateStore::HostCertificateStore(std::filesystem::path records, std::filesystem::path legacyRecord,
                                           ServiceSettings settings)
    : records_(std::move(records))
    , legacyRecord_(std::move(legacyRecord))
    , settings_(std::move(settings))
{
}

VersionedDirectory HostCertificateStore::openDirectory() const
{
    const auto& group = settings_.keyGroup;
    return VersionedDirectory(settings_.directory, group ? 0750 : 0700, group);
}

std::vector<DeliveredFile> HostCertificateStore::filesOf(const HostCertificate& host) const
{
    const auto& group = settings_.keyGroup;
    return {{"cert.pem", host.certificatePem, 0644, std::nullopt},
            {"chain.pem", host.chainPem(), 0644, std::nullopt},
            {"key.pem", host.keyPem, static_cast<mode_t>(group ? 0640 : 0600), group}};
}

std::filesystem::path HostCertificateStore::recordFile(Version version) const
{
    return records_ / (std::to_string(version) + ".json");
}

std::vector<Version> HostCertificateStore::recordVersions() const
{
    std::vector<Version> versions;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(records_, error))
        if (const auto version = parseRecordName(entry.path().filename().string()))
            versions.push_back(*version);
    std::sort(versions.rbegin(), versions.rend()); // newest first
    return versions;
}

HostCertificatePtr HostCertificateStore::readRecord(Version version, std::vector<std::string>& notes) const
{
    const auto file = recordFile(version);
    std::string problem;
    try {
        return parseHostRecord(readFile(file, 16 * 1024 * 1024));
    } catch (const std::exception& failure) {
        problem = "The certificate record " + file.string() + " is damaged (" + failure.what() + ")";
    }
    // A name not taken yet: an earlier damaged record is evidence too.
    const auto aside = unusedName(file.string() + ".damaged");
    try {
        renameDurably(file, aside);
        problem += "; it was moved to " + aside.string();
    } catch (const std::exception& failure) {
        problem += std::string("; it could not be moved aside: ") + failure.what();
    }
    notes.push_back(problem);
    return nullptr;
}

void HostCertificateStore::migrateLegacyRecord() const
{
    std::error_code error;
    if (!std::filesystem::exists(legacyRecord_, error) || !recordVersions().empty())
        return;
    renameDurably(legacyRecord_, recordFile(1));
    syncDirectory(legacyRecord_.parent_path());
}

void HostCertificateStore::removeRecordsBut(Version keep) const
{
    bool removed = false;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(records_, error)) {
        const auto name = entry.path().filename().string();
        const auto version = parseRecordName(name);
        if ((version && *version != keep) || isTemporaryFileName(name))
            removed |= std::filesystem::remove(entry.path(), error);
    }
    if (removed)
        syncDirectory(records_);
}

HostCertificateStore::Loaded HostCertificateStore::load() const
{
    Loaded loaded;
    ensureDirectory(records_, 0700);
    removeStaleTemporaryFiles(records_);
    migrateLegacyRecord();

    std::optional<VersionedDirectory> directory;
    std::optional<Version> current;
    try {
        directory.emplace(openDirectory());
        current = directory->current();
    } catch (const Error& error) {
        loaded.deliveryProblem = error.what();
    }

    // The version `current` names is the certificate; without it (a
    // directory emptied or moved by hand), the newest intact record.
    const auto versions = recordVersions();
    std::optional<Version> chosen;
    if (current && std::find(versions.begin(), versions.end(), *current) != versions.end())
        if ((loaded.host = readRecord(*current, loaded.notes)))
            chosen = current;
    for (auto version = versions.begin(); !chosen && version != versions.end(); ++version)
        if (*version != current && (loaded.host = readRecord(*version, loaded.notes)))
            chosen = *version;
    if (!chosen || !directory)
        return loaded;

    try {
        if (chosen != current || !directory->holds(*chosen, filesOf(*loaded.host))) {
            // Interrupted, damaged or edited by hand: deliver it afresh.
            for (auto& warning : install(*loaded.host))
                loaded.notes.push_back(std::move(warning));
        } else {
            directory->removeAllBut(*chosen);
            removeRecordsBut(*chosen);
        }
    } catch (const Error& error) {
        loaded.deliveryProblem = std::string("Could not deliver the certificate: ") + error.what();
    }
    return loaded;
}

std::vector<std::string> HostCertificateStore::install(const HostCertificate& host) const
{
    ensureDirectory(records_, 0700);
    const VersionedDirectory directory = openDirectory();
    Version version = directory.current().value_or(0);
    for (const auto existing : directory.versions())
        version = std::max(version, existing);
    for (const auto existing : recordVersions())
        version = std::max(version, existing);
    ++version;

    std::vector<std::string> warnings;
    try {
        directory.write(version, filesOf(host));
        writeFileAtomically(recordFile(version), toRecord(host), FileOptions::durableFile(0600));
        directory.activate(version, {"cert.pem", "chain.pem", "key.pem"});
    } catch (const std::exception& failure) {
        // Not committed unless `current` names the new version.
        std::optional<Version> committed;
        try {
            committed = directory.current();
        } catch (const Error&) {
        }
        if (committed != version) {
            try {
                directory.remove(version);
                removeFileDurably(recordFile(version));
            } catch (const Error&) {
                // load() at the next start rolls it back
            }
            throw;
        }
        // Committed; what failed after the swap is retried at the next start.
        warnings.push_back("The " + settings_.name + " certificate is installed, but: " + failure.what());
    }

    try {
        directory.removeAllBut(version);
        removeRecordsBut(version);
    } catch (const Error& error) {
        warnings.push_back("Could not remove the previous " + settings_.name + " certificate: " + error.what());
    }
    return warnings;
}

} // namespace certd
