// The CA trust store as a whole: the store directory (source of truth), the
// in-memory index, and the two trust outputs derived from it.
//
// Threads: changes run one at a time, on the store's own worker when they
// come through queue*() (certd's way: a Reload of 10,000 files never holds
// the bus), or on the caller's thread for load() in tests and tools;
// never both at once. Reads (inspect, find, list, size) are safe from any
// thread: the index is guarded by mutex_, which is never held while calling
// out. The bundle and cache writers only take snapshots under it.
#pragma once

#include "base/bytes.h"
#include "trust/ca_store.h"
#include "trust/hashed_directory.h"
#include "trust/system_trust_directory.h"
#include "x509/openssl_ptr.h"
#include "base/state_directory.h"
#include "trust/batched_file_writer.h"
#include "base/serial_worker.h"

#include <exception>
#include <functional>

#include <map>
#include <mutex>

namespace certd {

struct TrustStorePaths {
    std::filesystem::path store;          // the CA files
    std::filesystem::path trustDirectory; // hashed directory output
    std::filesystem::path trustBundle;    // PEM bundle output
    std::filesystem::path detailsCache;   // speeds up the next start
    std::filesystem::path systemTrustDirectory; // <fingerprint>.crt for update-ca-certificates; empty: off

    static TrustStorePaths in(const StateLayout& layout, bool systemTrust = true)
    {
        return {layout.caStore(), layout.trustDirectory(), layout.trustBundle(), layout.detailsCache(),
                systemTrust ? layout.systemTrustDirectory() : std::filesystem::path()};
    }
};

// A certificate that passed validation, with what certd would show for it.
struct CaInspection {
    X509Ptr certificate;
    CertificateDetails details;
    unsigned additionalCertificates = 0;
    bool alreadyImported = false;
};

struct TrustStoreChanges {
    std::vector<StoredCaPtr> added;
    std::vector<StoredCaPtr> removed;
    std::vector<std::string> problems; // files skipped, one line each
    // Why an output could not be written; empty when it was. The store is
    // loaded regardless: repairOutputs() tries again.
    std::string trustDirectoryProblem;
    std::string trustBundleProblem; // at start only; later the bundle listener hears
};

class TrustStore {
public:
    using Post = std::function<void(std::function<void()>)>;

    // bundleListener hears (on the writer's thread) of every bundle write;
    // post runs the completions of queued changes on the owner's thread
    // (empty: on the worker).
    TrustStore(TrustStorePaths paths, BatchedFileWriter::Listener bundleListener, Post post = {});
    ~TrustStore();

    const TrustStorePaths& paths() const { return paths_; }

    // Reads the store (at start and on Reload), reports what changed since
    // the last load and rebuilds the trust outputs: at start completely
    // before returning; on a reload the bundle follows in the background
    // like after any other change. Outputs that cannot be written are
    // reported in the changes, never thrown: certd serves what it has.
    TrustStoreChanges load();
    // load() on the worker, waiting for it: certd's start. The index is then
    // allocated by the worker, which is where Reload and Delete free it: glibc
    // frees memory under the lock of the thread arena it came from, and had
    // the bus thread allocated the index, a Reload of 10,000 CAs would make
    // the bus thread wait for that lock (measured: 10-27 ms per call).
    TrustStoreChanges loadOnWorker();

    // Tries again to bring outputs that could not be written up to date:
    // the trust directory here (its problem returned, empty when solved),
    // the bundle in the background (the bundle listener hears).
    struct Repair {
        std::string trustDirectoryProblem;
    };
    Repair repairOutputs();

    // Parses and validates data as a CA certificate valid at now.
    CaInspection inspect(ByteView data, std::int64_t now) const;

    // Stores an inspected certificate durably and adds it to the trust
    // directory, or (Internal) leaves store, index and outputs as they were.
    // AlreadyExists when it is stored already.
    StoredCaPtr import(const CaInspection& inspection);

    // Removes every file holding the certificate (copies placed in the
    // store by hand too), then its trust entry. NotFound when no such
    // certificate is stored.
    void remove(const std::string& fingerprint);

    StoredCaPtr find(const std::string& fingerprint) const;
    std::vector<StoredCaPtr> list() const;
    // The same, shared: no copy of the list while the store is unchanged
    // (CheckExpiry walks 10,000 CAs at every Reload).
    std::shared_ptr<const std::vector<StoredCaPtr>> snapshot() const;
    std::size_t size() const;

    // The changes above, queued on the store's worker; done runs through
    // post with what happened (the stored certificate, or why it failed).
    struct Outcome {
        StoredCaPtr stored;
        std::exception_ptr failure;
    };
    void queueImport(std::shared_ptr<const CaInspection> inspection, std::function<void(const Outcome&)> done);
    void queueRemove(std::string fingerprint, std::function<void(const Outcome&)> done);
    void queueReload(std::function<void(const TrustStoreChanges&)> done);
    void queueRepair(std::function<void(const Repair&)> done);

    // Blocks until the bundle and the cache reflect every change made so far.
    void flushOutputs();

private:
    std::vector<StoredCaPtr> listUnlocked() const;
    void markChanged();
    // Runs job on the worker, then done(result) through post_.
    template <typename Result>
    void queue(std::function<Result()> job, std::function<void(const Result&)> done);
    // Empty when the trust directories (hashed and system) now hold exactly the store.
    std::string rebuildTrustDirectory();
    // Adds stored to the trust directories, or (throwing) to none of them.
    void trust(const StoredCa& stored);
    // Removes stored from the trust directories, or (throwing) from none of them.
    void distrust(const StoredCa& stored);
    // Internal when the trust directory is behind and cannot be rebuilt:
    // imports and deletes change it in place, which needs it current.
    void requireCurrentTrustDirectory();

    TrustStorePaths paths_;
    CaStore store_;
    HashedDirectory hashedDirectory_;
    std::optional<SystemTrustDirectory> systemTrust_;
    mutable std::mutex mutex_; // guards writes to byFingerprint_, and reads off the bus thread
    std::map<std::string, StoredCaPtr> byFingerprint_;
    mutable std::shared_ptr<const std::vector<StoredCaPtr>> snapshot_; // of byFingerprint_; null: to make
    std::map<std::string, std::vector<std::filesystem::path>> duplicates_; // further files, by fingerprint
    bool loaded_ = false;
    bool trustDirectoryStale_ = false;
    Post post_;
    // Last: their threads must stop before the index goes.
    BatchedFileWriter bundleWriter_;
    BatchedFileWriter cacheWriter_;
    SerialWorker worker_; // after the writers: its jobs mark them changed
};

} // namespace certd
