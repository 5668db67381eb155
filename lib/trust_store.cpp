#include "trust_store.h"

#include "atomic_file.h"
#include "certificate_input.h"
#include "certificate_validation.h"
#include "error.h"

namespace certd {

TrustStore::TrustStore(TrustStorePaths paths, TrustBundleWriter::Listener bundleListener)
    : paths_(std::move(paths))
    , store_(paths_.store)
    , hashedDirectory_(paths_.trustDirectory)
    , bundleWriter_(paths_.trustBundle, [this] { return snapshot(); }, std::move(bundleListener))
{
}

TrustStoreChanges TrustStore::load()
{
    removeStaleTemporaryFiles(paths_.store);
    CaStoreScan scan = store_.scan(list());

    std::map<std::string, StoredCaPtr> loaded;
    for (auto& stored : scan.certificates)
        loaded.emplace(stored->fingerprint(), std::move(stored));

    TrustStoreChanges changes{{}, {}, std::move(scan.problems)};
    for (const auto& [fingerprint, stored] : byFingerprint_)
        if (!loaded.contains(fingerprint))
            changes.removed.push_back(stored);
    for (const auto& [fingerprint, stored] : loaded) {
        const auto previous = byFingerprint_.find(fingerprint);
        if (previous == byFingerprint_.end())
            changes.added.push_back(stored);
    }
    {
        std::lock_guard lock(mutex_);
        byFingerprint_ = std::move(loaded);
    }
    hashedDirectory_.rebuild(list());
    if (loaded_)
        bundleWriter_.markChanged();
    else
        bundleWriter_.writeNowIfDifferent();
    loaded_ = true;
    return changes;
}

CaInspection TrustStore::inspect(ByteView data, std::int64_t now) const
{
    CertificateInput input = readFirstCertificate(data);
    validateCaCertificate(*input.certificate, now);
    CaInspection inspection;
    inspection.details = describeCertificate(*input.certificate);
    inspection.certificate = std::move(input.certificate);
    inspection.additionalCertificates = input.additionalCertificates;
    inspection.alreadyImported = byFingerprint_.contains(inspection.details.fingerprint);
    return inspection;
}

StoredCaPtr TrustStore::import(const CaInspection& inspection)
{
    if (byFingerprint_.contains(inspection.details.fingerprint))
        throw Error(ErrorCode::AlreadyExists, "The CA certificate \"" + inspection.details.commonName +
                                                  "\" is already stored (fingerprint " +
                                                  inspection.details.fingerprint + ")");
    StoredCaPtr stored = store_.add(*inspection.certificate);
    {
        std::lock_guard lock(mutex_);
        byFingerprint_.emplace(stored->fingerprint(), stored);
    }
    hashedDirectory_.add(*stored);
    bundleWriter_.markChanged();
    return stored;
}

void TrustStore::remove(const std::string& fingerprint)
{
    const StoredCaPtr stored = find(fingerprint);
    if (!stored)
        throw Error(ErrorCode::NotFound, "No CA certificate with fingerprint " + fingerprint +
                                             " is stored");
    store_.remove(*stored);
    {
        std::lock_guard lock(mutex_);
        byFingerprint_.erase(fingerprint);
    }
    hashedDirectory_.remove(*stored);
    bundleWriter_.markChanged();
}

StoredCaPtr TrustStore::find(const std::string& fingerprint) const
{
    const auto found = byFingerprint_.find(fingerprint);
    return found == byFingerprint_.end() ? nullptr : found->second;
}

std::vector<StoredCaPtr> TrustStore::list() const
{
    std::vector<StoredCaPtr> all;
    all.reserve(byFingerprint_.size());
    for (const auto& [fingerprint, stored] : byFingerprint_)
        all.push_back(stored);
    return all;
}

TrustBundleWriter::Snapshot TrustStore::snapshot() const
{
    std::lock_guard lock(mutex_);
    return list();
}

} // namespace certd
