#include "trust/ca_store.h"

#include "base/atomic_file.h"
#include "x509/certificate_input.h"
#include "x509/certificate_validation.h"
#include "trust/details_cache.h"
#include "base/error.h"
#include "base/file_descriptor.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <unordered_map>
#include <set>
#include <thread>

namespace certd {
namespace {

struct Candidate {
    std::filesystem::path file;
    FileStamp stamp;
    // Only certd's user can change the file: it may be linked into the trust
    // directory and found in the details cache. Any other file is parsed and
    // validated every time it is read, and the trust directory gets a copy
    // of the validated certificate, never the file itself.
    bool protectedFile = false;
};

struct Listing {
    std::vector<Candidate> candidates;
    std::vector<std::string> problems;
};

Listing listCandidates(const std::filesystem::path& directory)
{
    std::error_code error;
    std::filesystem::directory_iterator entries(directory, error);
    if (error)
        throwSystemError("Could not list the CA store", directory.string(), error.value());
    Listing listing;
    for (const auto& entry : entries) {
        const auto name = entry.path().filename().string();
        struct stat status{};
        if (name.starts_with('.') || ::lstat(entry.path().c_str(), &status) != 0)
            continue;
        if (S_ISLNK(status.st_mode)) {
            listing.problems.push_back(entry.path().string() +
                                       ": a symbolic link; the store takes regular files only (copy the file in)");
            continue;
        }
        if (!S_ISREG(status.st_mode))
            continue;
        listing.candidates.push_back({entry.path(), FileStamp::of(status), onlyCertdCanWrite(status)});
    }
    // Sorted, so that of two files holding the same certificate the same one
    // wins every time. By the plain string: all are in one directory, and
    // path's component-wise comparison was a tenth of a Reload at 10,000.
    std::sort(listing.candidates.begin(), listing.candidates.end(),
              [](const Candidate& a, const Candidate& b) { return a.file.native() < b.file.native(); });
    return listing;
}

// The stored form from what an earlier start learned about this content:
// files certd wrote hold just the certificate's PEM, which is found in the
// cache by its contents without decoding or hashing it cryptographically.
StoredCaPtr fromCache(std::string& contents, const Candidate& candidate, const DetailsCache& cache)
{
    const CachedCertificate* cached = findCached(cache, contents);
    if (!cached)
        return nullptr;
    auto stored = std::make_shared<StoredCa>();
    stored->file = candidate.file;
    stored->stamp = candidate.stamp;
    stored->pem = std::move(contents);
    stored->linkable = true;
    stored->details = cached->details;
    stored->subjectHash = cached->subjectHash;
    return stored;
}

// The file's contents, read without following a link, from the very file
// that was listed (a file swapped in meanwhile is refused).
std::string readCandidate(const Candidate& candidate)
{
    const FileDescriptor fd(::open(candidate.file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    struct stat status{};
    if (!fd.valid() || ::fstat(fd.get(), &status) != 0)
        throwSystemError("Could not open", candidate.file.string(), errno);
    if (FileStamp::of(status) != candidate.stamp)
        throw Error(ErrorCode::Internal, "it changed while being read; Reload again");
    return readOpenFile(fd.get(), maxInputSize, candidate.file.string());
}

StoredCaPtr readStoredCa(const Candidate& candidate, const DetailsCache& cache)
{
    std::string contents = readCandidate(candidate);
    if (candidate.protectedFile)
        if (auto cached = fromCache(contents, candidate, cache))
            return cached;
    CertificateInput input = readFirstCertificate(asBytes(contents));
    requireWellFormedExtensions(*input.certificate);
    requireCaCertificate(*input.certificate);
    auto stored = makeStoredCa(*input.certificate, describeCertificate(*input.certificate), candidate.file,
                               candidate.stamp);
    stored->linkable = candidate.protectedFile && stored->pem == contents;
    return stored;
}

} // namespace

FileStamp FileStamp::of(const struct stat& status)
{
    const auto nanoseconds = [](const timespec& time) {
        return static_cast<std::int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
    };
    // A file only certd's user can write changes only with its contents'
    // modification time; its change time also moves whenever the trust
    // directory links to it, which is no change at all. Anyone else who can
    // write a file can also set its modification time back: for such a
    // file the change time counts.
    return {status.st_dev, status.st_ino, status.st_size, nanoseconds(status.st_mtim),
            onlyCertdCanWrite(status) ? 0 : nanoseconds(status.st_ctim)};
}

bool onlyCertdCanWrite(const struct stat& status)
{
    return status.st_uid == ::geteuid() && (status.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

std::shared_ptr<StoredCa> makeStoredCa(X509& cert, CertificateDetails details, const std::filesystem::path& file,
                                       const FileStamp& stamp)
{
    auto stored = std::make_shared<StoredCa>();
    stored->file = file;
    stored->stamp = stamp;
    stored->pem = certificateToPem(cert);
    stored->details = std::move(details);
    stored->subjectHash = X509_subject_name_hash(&cert);
    return stored;
}

CaStore::CaStore(std::filesystem::path directory)
    : directory_(std::move(directory))
{
}

namespace {

struct ReadOutcome {
    StoredCaPtr stored;
    std::string problem;
};

// Reads candidates whose stamp is unknown; parsing a certificate costs
// ~130 us with OpenSSL 3.0, so a first start spreads it over every core.
std::vector<ReadOutcome> readAll(const std::vector<Candidate>& candidates, const DetailsCache& cache)
{
    std::vector<ReadOutcome> outcomes(candidates.size());
    const auto readOne = [&](std::size_t i) {
        try {
            outcomes[i].stored = readStoredCa(candidates[i], cache);
        } catch (const Error& error) {
            outcomes[i].problem = candidates[i].file.string() + ": " + error.what();
        }
    };
    const std::size_t threads = std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()),
                                                      candidates.size() / 64 + 1);
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < candidates.size();)
            readOne(i);
    };
    std::vector<std::thread> helpers;
    for (std::size_t t = 1; t < threads; ++t)
        helpers.emplace_back(work);
    work();
    for (auto& helper : helpers)
        helper.join();
    return outcomes;
}

} // namespace

CaStoreScan CaStore::scan(const std::vector<StoredCaPtr>& known, const DetailsCache& cache) const
{
    std::unordered_map<std::string, const StoredCaPtr*> knownByFile; // by the path's string: hashed, not compared
    knownByFile.reserve(known.size());
    for (const auto& stored : known)
        knownByFile[stored->file.native()] = &stored;

    // Files unchanged since they were read are taken as they are.
    auto listing = listCandidates(directory_);
    const auto& candidates = listing.candidates;
    std::vector<ReadOutcome> outcomes(candidates.size());
    std::vector<Candidate> unknown;
    std::vector<std::size_t> unknownIndex;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const auto previous = knownByFile.find(candidates[i].file.native());
        if (previous != knownByFile.end() && (*previous->second)->stamp == candidates[i].stamp) {
            outcomes[i].stored = *previous->second;
        } else {
            unknown.push_back(candidates[i]);
            unknownIndex.push_back(i);
        }
    }
    auto read = readAll(unknown, cache);
    for (std::size_t k = 0; k < read.size(); ++k)
        outcomes[unknownIndex[k]] = std::move(read[k]);

    CaStoreScan result;
    result.problems = std::move(listing.problems);
    std::set<std::string> fingerprints;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        auto& outcome = outcomes[i];
        if (!outcome.stored) {
            result.problems.push_back(std::move(outcome.problem));
        } else if (!fingerprints.insert(outcome.stored->fingerprint()).second) {
            // Not trusted twice, but deleted with the certificate.
            result.duplicates[outcome.stored->fingerprint()].push_back(candidates[i].file);
            result.problems.push_back(candidates[i].file.string() +
                                      ": the same certificate is stored in another file; ignored");
        } else {
            result.certificates.push_back(std::move(outcome.stored));
        }
    }
    return result;
}

StoredCaPtr CaStore::add(X509& cert, const CertificateDetails& details) const
{
    const auto file = directory_ / (details.fingerprint + ".pem");
    auto stored = makeStoredCa(cert, details, file, {});
    stored->linkable = true;
    try {
        writeFileAtomically(file, stored->pem, FileOptions::durableFile(0644));
    } catch (...) {
        // The rename may have happened before the directory's fsync failed:
        // a failed add leaves no file that a Reload would take in.
        ::unlink(file.c_str());
        throw;
    }
    struct stat status{};
    if (::stat(file.c_str(), &status) != 0)
        throwSystemError("Could not read back", file.string(), errno);
    stored->stamp = FileStamp::of(status);
    return stored;
}

void CaStore::remove(const std::filesystem::path& file) const
{
    removeFileDurably(file);
}

void CaStore::removeAll(const std::vector<std::filesystem::path>& files) const
{
    std::vector<std::pair<std::filesystem::path, std::string>> removed;
    try {
        std::vector<std::string> contents;
        for (const auto& file : files)
            contents.push_back(readFile(file, maxInputSize));
        for (std::size_t i = 0; i < files.size(); ++i) {
            if (::unlink(files[i].c_str()) != 0 && errno != ENOENT)
                throwSystemError("Could not remove", files[i].string(), errno);
            removed.emplace_back(files[i], std::move(contents[i]));
        }
        syncDirectory(directory_);
    } catch (...) {
        for (const auto& [file, contents] : removed) {
            try {
                writeFileAtomically(file, contents, FileOptions::durableFile(0644));
            } catch (const Error&) {
                // Lost only if the disk fails twice in a row; Reload shows what is left.
            }
        }
        throw;
    }
}

} // namespace certd
