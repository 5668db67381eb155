// Every file certd reads back from its state directory, as bytes a damaged
// disk might hold: the details cache (CBOR), the announcement log and the
// host certificate records, pending certificate requests and retired
// appliance CAs (JSON). The first byte picks the loader.
//
// With CERTD_FUZZ_WRITE_SEEDS=<directory>, writes valid files of each kind
// there (made by the writers themselves) and exits: the seed corpus.
#include "base/error.h"
#include "base/json_reading.h"
#include "expiry/expiry.h"
#include "host/host_certificate_store.h"
#include "host/pending_request_store.h"
#include "host/retired_appliance_cas.h"
#include "trust/details_cache.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

namespace {

void writeSeed(const std::filesystem::path& directory, const std::string& name, char kind, const std::string& body)
{
    std::ofstream(directory / name, std::ios::binary) << kind << body;
}

const char* recordSeed = R"({"version": 1, "origin": "generated", "certificate": "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n",
 "chain": [], "privateKey": "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n",
 "details": ["x", "CN=x", "CN=ca", "ca", "01", 1600000000, 1700000000, "ab", false, "EC P-256", "ecdsa-with-SHA256", -1, ["DNS:x"]],
 "generation": {"hostname": "x", "keyType": "ec-p256", "validityDays": 397, "additionalNames": ["10.0.0.1"]}})";

const char* requestSeed = R"({"version": 1, "names": {"hostname": "x", "keyType": "rsa-2048", "validityDays": 0,
 "additionalNames": ["y"]}, "subjectOptions": {"Organization": "O", "Country": "DE"},
 "privateKey": "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n",
 "request": "-----BEGIN CERTIFICATE REQUEST-----\nAA==\n-----END CERTIFICATE REQUEST-----\n",
 "subject": "CN=x,O=O,C=DE", "created": 1700000000})";

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    if (const char* directory = std::getenv("CERTD_FUZZ_WRITE_SEEDS")) {
        std::filesystem::create_directories(directory);
        auto stored = std::make_shared<certd::StoredCa>();
        stored->pem = "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n";
        stored->details.commonName = "Seed CA";
        stored->details.fingerprint = std::string(64, 'a');
        stored->details.subjectAlternativeNames = {"DNS:seed.example"};
        stored->subjectHash = 0x12345678;
        writeSeed(directory, "cache", 'c', certd::renderDetailsCache({stored}));
        writeSeed(directory, "announcements", 'a', R"({"version": 1, "announced": {"ab": 30, "cd": -1}})");
        writeSeed(directory, "record", 'r', recordSeed);
        writeSeed(directory, "request", 'p', requestSeed);
        writeSeed(directory, "retired", 'R',
                  certd::retiredRecord({{{"-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n", "ab", 5}},
                                        false}));
        writeSeed(directory, "json", 'j', R"([[1, 2.5, "x", true, null, {"a": [-3]}]])");
        std::exit(0);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        switch (data[0]) {
        case 'c':
            certd::parseDetailsCache(body);
            break;
        case 'a':
            certd::AnnouncementLog::parse(body);
            break;
        case 'r':
            certd::parseHostRecord(body);
            break;
        case 'p':
            certd::parsePendingRequestRecord(body);
            break;
        case 'R':
            certd::parseRetiredRecord(body);
            break;
        case 'j':
            certd::json::parseText(body);
            break;
        default:
            certd::json::parseCbor(body);
            break;
        }
    } catch (const certd::Error&) {
    }
    return 0;
}
