// certctl's verbs. Each takes the session (certd on the bus, how to print)
// and its own arguments, prints what it did, and returns the exit code;
// failures are thrown (Failure, sdbus::Error) and printed by main.
#pragma once

#include "certd_bus.h"
#include "output.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace certd::cli {

struct Session {
    CertdBus& bus;
    OutputOptions output;
    std::ostream& out;
    std::int64_t now; // the reference for "in 364 days"

    bool json() const { return output.json != JsonMode::Off; }
};

struct ExportOptions {
    bool der = false;
    std::string outputFile; // empty: standard output
};

struct GenerateOptions {
    std::string hostname;
    std::string keyType;
    std::optional<std::uint32_t> days;
    std::vector<std::string> names;
};

// create-request's: Generate's names and the request's subject fields.
struct RequestOptions {
    std::string hostname;
    std::string keyType;
    std::vector<std::string> names;
    std::string organization;
    std::string organizationalUnit;
    std::string country;
    std::string state;
    std::string locality;
    std::string email;
    std::string outputFile; // empty: standard output
};

struct RotateOptions {
    std::string commonName;
    std::string keyType;
    std::optional<std::uint32_t> days;
};

int showStatus(Session& session);

int listCas(Session& session);
int showCa(Session& session, const std::string& id);
int inspectCa(Session& session, const std::string& file);
int importCa(Session& session, const std::vector<std::string>& files, bool all);
int exportCa(Session& session, const std::string& id, const ExportOptions& options);
int deleteCa(Session& session, const std::vector<std::string>& ids);
int reloadCas(Session& session);

int showHost(Session& session, const std::optional<std::string>& service);
int generateHost(Session& session, const std::string& service, const GenerateOptions& options);
// RequestFromACME with Generate's names (no --days: the CA decides).
int acmeRequest(Session& session, const std::string& service, const GenerateOptions& options);
// Shows InspectUpload's warnings first; on a terminal, asks before
// installing despite them (unless yes).
int uploadHost(Session& session, const std::string& service, const std::string& certificateFile,
               const std::string& keyFile, bool yes);
int inspectUploadHost(Session& session, const std::string& service, const std::string& certificateFile,
                      const std::string& keyFile);
// passphraseFile empty: asked on the terminal.
int uploadPkcs12Host(Session& session, const std::string& service, const std::string& file,
                     const std::string& passphraseFile);
int createRequest(Session& session, const std::string& service, const RequestOptions& options);
int exportRequest(Session& session, const std::string& service, const std::string& outputFile);
int cancelRequest(Session& session, const std::string& service);
int installCertificate(Session& session, const std::string& service, const std::string& file);
int exportHost(Session& session, const std::string& service, const ExportOptions& options);
int exportApplianceCa(Session& session, const ExportOptions& options);
int rotateApplianceCa(Session& session, const RotateOptions& options);

int listExpiring(Session& session, std::uint32_t days);
int checkExpiry(Session& session);
int monitor(Session& session);

} // namespace certd::cli
