// Where a service's pending certificate request lives: one file, readable
// by root only (it holds the key), <state>/private/requests/<service>.json.
// It is written atomically and durably, so after a crash at any point the
// service has the old request, the new one, or none, never a part; and it
// is read back as untrusted bytes: a damaged file is moved aside, never
// deleted, and the service has no request.
#pragma once

#include "host/pending_request.h"

#include <filesystem>
#include <string>
#include <vector>

namespace certd {

class PendingRequestStore {
public:
    explicit PendingRequestStore(std::filesystem::path file);

    struct Loaded {
        PendingRequestPtr request;      // null: none
        std::vector<std::string> notes; // a damaged file moved aside
    };
    Loaded load() const;

    // Replaces the stored request; Internal naming the path when it fails,
    // and then the old request is still the stored one.
    void save(const PendingRequest& request) const;
    // Durably; nothing to do when there is none.
    void remove() const;

private:
    std::filesystem::path file_;
};

// The record as save writes it, and back (Internal when damaged).
std::string pendingRequestRecord(const PendingRequest& request);
PendingRequestPtr parsePendingRequestRecord(std::string_view text);

} // namespace certd
