// The appliance CAs a rotation replaced, kept so that clients which trust
// the old one keep working while they learn the new one: for OverlapDays
// after its rotation, each is handed out beside the current CA
// (ExportApplianceCA, <state>/appliance-ca.pem). Only certificates: the old
// key is gone with the rotation.
//
// The record (<state>/private/appliance-ca-retired.json) is written before
// a rotation commits and says whether the host certificates were re-issued
// under the new CA since; a start that finds they were not re-issues them.
// So a rotation interrupted at any point leaves the old CA in force (its
// record may name it, which is harmless), or the new one, completed at the
// next start.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace certd {

struct RetiredApplianceCa {
    std::string certificatePem;
    std::string fingerprint;
    std::int64_t retired = 0; // when the rotation replaced it
};

struct RetiredApplianceCas {
    std::vector<RetiredApplianceCa> cas; // oldest first
    bool reissued = true; // the host certificates are the current CA's
};

std::string retiredRecord(const RetiredApplianceCas& retired);
// Internal when damaged.
RetiredApplianceCas parseRetiredRecord(std::string_view text);

// Nothing retired when there is no file; a damaged one is moved aside (note says so).
RetiredApplianceCas loadRetired(const std::filesystem::path& file, std::vector<std::string>& notes);
void saveRetired(const std::filesystem::path& file, const RetiredApplianceCas& retired);

// What clients are given to trust: the current CA's certificate first, then
// each retired one whose overlap has not ended (and that is not the current one).
std::string applianceCaBundle(const std::string& currentPem, const std::string& currentFingerprint,
                              const RetiredApplianceCas& retired, std::int64_t now, unsigned overlapDays);

} // namespace certd
