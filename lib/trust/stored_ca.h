// A CA certificate held in the store, as read from its file. Immutable once
// built, so it is shared freely between the bus thread and the bundle writer.
#pragma once

#include "base/bytes.h"
#include "x509/certificate_details.h"

#include <sys/stat.h>

#include <filesystem>
#include <memory>

namespace certd {

// Identity of a file's contents as the file system reports it; a reload
// re-reads only files whose stamp changed. The change time counts only for
// files others than certd's user may write (see FileStamp::of).
// Only certd's user can change the file: it is certd's user's and neither
// its group nor others may write it.
bool onlyCertdCanWrite(const struct stat& status);

struct FileStamp {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    std::int64_t modifiedNanoseconds = 0;
    std::int64_t changedNanoseconds = 0;

    static FileStamp of(const struct stat& status);
    bool operator==(const FileStamp&) const = default;
};

struct StoredCa {
    std::filesystem::path file;
    FileStamp stamp;
    // The certificate alone, as certd writes it. For files certd wrote this
    // is exactly the file's contents, so starting needs no decoding at all.
    std::string pem;
    // The file holds exactly pem and only certd's user can change it (true
    // for every file certd wrote), so the trust directory may link to it
    // instead of copying the validated certificate.
    bool linkable = false;
    CertificateDetails details;
    unsigned long subjectHash = 0; // X509_subject_name_hash: the hashed-directory name

    const std::string& fingerprint() const { return details.fingerprint; }
};

using StoredCaPtr = std::shared_ptr<const StoredCa>;

} // namespace certd
