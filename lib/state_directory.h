// Where certd keeps things under its state directory, and the lock that
// keeps a second certd off the same directory.
#pragma once

#include <filesystem>

namespace certd {

struct StateLayout {
    std::filesystem::path root;

    std::filesystem::path caStore() const { return root / "ca"; }
    std::filesystem::path trustDirectory() const { return root / "trust" / "certs"; }
    std::filesystem::path trustBundle() const { return root / "trust" / "ca-bundle.pem"; }
    std::filesystem::path detailsCache() const { return root / "ca-details.cache"; }
};

// Creates the directories certd needs, with their permissions.
void prepareStateDirectory(const StateLayout& layout);

// Holds an exclusive lock on "<root>/.lock" while alive. A second certd on
// the same directory fails here instead of racing the first one's writes.
class StateDirectoryLock {
public:
    explicit StateDirectoryLock(const std::filesystem::path& root);
    ~StateDirectoryLock();
    StateDirectoryLock(const StateDirectoryLock&) = delete;
    StateDirectoryLock& operator=(const StateDirectoryLock&) = delete;

private:
    int fd_;
};

} // namespace certd
