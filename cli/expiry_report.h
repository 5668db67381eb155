// The one table of certificates by expiry, shared by list-expiring,
// check-expiry and status: certd's a(ossxi) rows as people and scripts read
// them.
#pragma once

#include "commands.h"

#include <cstdint>
#include <string>
#include <vector>

namespace certd::cli {

struct ExpiryEntry {
    std::string path;
    std::string kind; // "ca" or "host"
    std::string commonName;
    std::int64_t notAfter = 0;
    std::int32_t daysLeft = 0;
};

// certd's report (CheckExpiry, ListExpiring).
using ExpiryRows = std::vector<sdbus::Struct<sdbus::ObjectPath, std::string, std::string, std::int64_t, std::int32_t>>;
std::vector<ExpiryEntry> expiryEntries(const ExpiryRows& rows);

// Every certificate certd has, soonest expiry first (for status).
std::vector<ExpiryEntry> expiryEntries(const ManagedObjects& objects, std::int64_t now);

// The short name an administrator passes back to certctl: the service, or
// the fingerprint's first 12 digits.
std::string idOf(const ExpiryEntry& entry);

// As a table (with "none" when empty) or, with --json, an array.
void printExpiry(Session& session, const std::vector<ExpiryEntry>& entries, const char* emptyText);

} // namespace certd::cli
