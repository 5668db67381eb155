#include "trust/trust_store.h"

#include "base/atomic_file.h"
#include "x509/certificate_input.h"
#include "x509/certificate_validation.h"
#include "trust/details_cache.h"
#include "base/error.h"
#include "trust/trust_bundle.h"
#include <future>

namespace certd {

TrustStore::TrustStore(TrustStorePaths paths, BatchedFileWriter::Listener bundleListener, Post post)
    : paths_(std::move(paths))
    , store_(paths_.store)
    , hashedDirectory_(paths_.trustDirectory)
    , systemTrust_(paths_.systemTrustDirectory.empty() ? std::nullopt
                                                       : std::optional<SystemTrustDirectory>(paths_.systemTrustDirectory))
    , post_(post ? std::move(post) : [](std::function<void()> task) { task(); })
    , bundleWriter_(
          paths_.trustBundle, FileOptions::durableFile(0644),
          [this] {
              const auto all = list();
              return BatchedFileWriter::Rendered{renderTrustBundle(all), all.size()};
          },
          std::move(bundleListener))
    , cacheWriter_(
          paths_.detailsCache, FileOptions::rebuiltAtStart(0644),
          [this] {
              const auto all = list();
              return BatchedFileWriter::Rendered{renderDetailsCache(all), all.size()};
          },
          [](std::size_t, const std::string&) {}) // a cache that is not written only costs time
{
}

TrustStore::~TrustStore() = default;

template <typename Result>
void TrustStore::queue(std::function<Result()> job, std::function<void(const Result&)> done)
{
    worker_.post([this, job = std::move(job), done = std::move(done)] {
        auto result = std::make_shared<Result>(job());
        post_([result, done] { done(*result); });
    });
}

void TrustStore::queueImport(std::shared_ptr<const CaInspection> inspection, std::function<void(const Outcome&)> done)
{
    queue<Outcome>(
        [this, inspection] {
            try {
                return Outcome{import(*inspection), nullptr};
            } catch (...) {
                return Outcome{nullptr, std::current_exception()};
            }
        },
        std::move(done));
}

void TrustStore::queueRemove(std::string fingerprint, std::function<void(const Outcome&)> done)
{
    queue<Outcome>(
        [this, fingerprint] {
            const auto stored = find(fingerprint);
            try {
                remove(fingerprint);
                return Outcome{stored, nullptr};
            } catch (...) {
                return Outcome{nullptr, std::current_exception()};
            }
        },
        std::move(done));
}

void TrustStore::queueReload(std::function<void(const TrustStoreChanges&)> done)
{
    queue<TrustStoreChanges>([this] { return load(); }, std::move(done));
}

void TrustStore::queueRepair(std::function<void(const Repair&)> done)
{
    queue<Repair>([this] { return repairOutputs(); }, std::move(done));
}

void TrustStore::markChanged()
{
    bundleWriter_.markChanged();
    cacheWriter_.markChanged();
}

void TrustStore::flushOutputs()
{
    bundleWriter_.flush();
    cacheWriter_.flush();
}

TrustStoreChanges TrustStore::loadOnWorker()
{
    std::promise<TrustStoreChanges> loaded;
    worker_.post([this, &loaded] {
        try {
            loaded.set_value(load());
        } catch (...) {
            loaded.set_exception(std::current_exception());
        }
    });
    return loaded.get_future().get();
}

TrustStoreChanges TrustStore::load()
{
    removeStaleTemporaryFiles(paths_.store);
    // The cache matters at start, when every file is new to this process.
    CaStoreScan scan = store_.scan(listUnlocked(), loaded_ ? DetailsCache{} : readDetailsCache(paths_.detailsCache));

    std::map<std::string, StoredCaPtr> loaded;
    for (auto& stored : scan.certificates)
        loaded.emplace(stored->fingerprint(), std::move(stored));

    TrustStoreChanges changes;
    changes.problems = std::move(scan.problems);
    duplicates_ = std::move(scan.duplicates);
    // Only this thread changes the index: reading it here needs no lock.
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
        snapshot_.reset();
    }
    // The outputs follow; when they cannot be written (a full disk), the
    // store is loaded all the same and the outputs are retried.
    changes.trustDirectoryProblem = rebuildTrustDirectory();
    if (loaded_) {
        markChanged();
    } else {
        try {
            bundleWriter_.writeNowIfDifferent();
        } catch (const std::exception& failure) {
            changes.trustBundleProblem = failure.what();
            bundleWriter_.markChanged();
        }
        cacheWriter_.markChanged();
    }
    loaded_ = true;
    return changes;
}

std::string TrustStore::rebuildTrustDirectory()
{
    try {
        ensureDirectory(paths_.trustDirectory.parent_path(), 0755);
        ensureDirectory(paths_.trustDirectory, 0755);
        const auto all = listUnlocked();
        hashedDirectory_.rebuild(all);
        if (systemTrust_)
            systemTrust_->rebuild(all);
        trustDirectoryStale_ = false;
        return {};
    } catch (const std::exception& failure) {
        trustDirectoryStale_ = true;
        return failure.what();
    }
}

TrustStore::Repair TrustStore::repairOutputs()
{
    Repair repair;
    if (trustDirectoryStale_)
        repair.trustDirectoryProblem = rebuildTrustDirectory();
    bundleWriter_.markChanged(); // its listener hears how that went
    return repair;
}

void TrustStore::requireCurrentTrustDirectory()
{
    if (!trustDirectoryStale_)
        return;
    if (const auto problem = rebuildTrustDirectory(); !problem.empty())
        throw Error(ErrorCode::Internal, "The trust directory cannot be brought up to date: " + problem);
}

CaInspection TrustStore::inspect(ByteView data, std::int64_t now) const
{
    CertificateInput input = readFirstCertificate(data);
    validateCaCertificate(*input.certificate, now);
    CaInspection inspection;
    inspection.details = describeCertificate(*input.certificate);
    inspection.certificate = std::move(input.certificate);
    inspection.additionalCertificates = input.additionalCertificates;
    inspection.alreadyImported = find(inspection.details.fingerprint) != nullptr;
    return inspection;
}

StoredCaPtr TrustStore::import(const CaInspection& inspection)
{
    if (find(inspection.details.fingerprint))
        throw Error(ErrorCode::AlreadyExists, "The CA certificate \"" + inspection.details.commonName +
                                                  "\" is already stored (fingerprint " +
                                                  inspection.details.fingerprint + ")");
    requireCurrentTrustDirectory();
    StoredCaPtr stored = store_.add(*inspection.certificate, inspection.details);
    // All or nothing: a store file that is not also trusted is taken back,
    // so that a failed import leaves no certificate that Reload would find.
    try {
        trust(*stored);
    } catch (...) {
        try {
            store_.remove(stored->file);
        } catch (const Error&) {
            // Reported as the import's failure; a Reload would take it in.
        }
        throw;
    }
    {
        std::lock_guard lock(mutex_);
        byFingerprint_.emplace(stored->fingerprint(), stored);
        snapshot_.reset();
    }
    markChanged();
    return stored;
}

void TrustStore::remove(const std::string& fingerprint)
{
    const StoredCaPtr stored = find(fingerprint);
    if (!stored)
        throw Error(ErrorCode::NotFound, "No CA certificate with fingerprint " + fingerprint +
                                             " is stored");
    // Distrust first: a failure after that puts everything back (the files
    // as they were, then the trust entry), so a failed Delete changes nothing.
    requireCurrentTrustDirectory();
    distrust(*stored);
    std::vector<std::filesystem::path> files{stored->file};
    if (const auto copies = duplicates_.find(fingerprint); copies != duplicates_.end())
        files.insert(files.end(), copies->second.begin(), copies->second.end());
    try {
        store_.removeAll(files);
    } catch (...) {
        trust(*stored);
        throw;
    }
    duplicates_.erase(fingerprint);
    {
        std::lock_guard lock(mutex_);
        byFingerprint_.erase(fingerprint);
        snapshot_.reset();
    }
    markChanged();
}

void TrustStore::trust(const StoredCa& stored)
{
    hashedDirectory_.add(stored);
    if (!systemTrust_)
        return;
    try {
        systemTrust_->add(stored);
    } catch (...) {
        hashedDirectory_.remove(stored);
        throw;
    }
}

void TrustStore::distrust(const StoredCa& stored)
{
    if (systemTrust_)
        systemTrust_->remove(stored);
    try {
        hashedDirectory_.remove(stored);
    } catch (...) {
        if (systemTrust_)
            systemTrust_->add(stored);
        throw;
    }
}

StoredCaPtr TrustStore::find(const std::string& fingerprint) const
{
    std::lock_guard lock(mutex_);
    const auto found = byFingerprint_.find(fingerprint);
    return found == byFingerprint_.end() ? nullptr : found->second;
}

std::size_t TrustStore::size() const
{
    std::lock_guard lock(mutex_);
    return byFingerprint_.size();
}

std::vector<StoredCaPtr> TrustStore::list() const
{
    std::lock_guard lock(mutex_);
    return listUnlocked();
}

std::shared_ptr<const std::vector<StoredCaPtr>> TrustStore::snapshot() const
{
    std::lock_guard lock(mutex_);
    if (!snapshot_)
        snapshot_ = std::make_shared<const std::vector<StoredCaPtr>>(listUnlocked());
    return snapshot_;
}

std::vector<StoredCaPtr> TrustStore::listUnlocked() const
{
    std::vector<StoredCaPtr> all;
    all.reserve(byFingerprint_.size());
    for (const auto& [fingerprint, stored] : byFingerprint_)
        all.push_back(stored);
    return all;
}

} // namespace certd
