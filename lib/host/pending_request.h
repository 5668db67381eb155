// Certificate requests (CSRs) for a service whose key must be born on the
// appliance and never leave it: CreateRequest's subject options and their
// rules, the pending request (key, request, what it asked for), and the
// certificate a CA issued for it, checked before it is installed.
//
// Invariant: a pending request's key is certd's alone; the request holds
// only its public half. The certificate installed for it must be for that
// very key (KeyMismatch otherwise), and once installed the request is gone.
#pragma once

#include "base/bytes.h"
#include "host/generation.h"
#include "host/host_certificate.h"
#include "host/service.h"
#include "host/upload.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace certd {

// The subject's optional fields besides the Common Name (the host name).
struct RequestSubject {
    std::optional<std::string> organization = {};
    std::optional<std::string> organizationalUnit = {};
    std::optional<std::string> country = {}; // ISO 3166 alpha-2, e.g. "DE"
    std::optional<std::string> state = {};
    std::optional<std::string> locality = {};
    std::optional<std::string> email = {};
};

// CreateRequest's options as given. The names are Generate's; a
// validity is the signing CA's to choose, so it has none.
struct RequestOptions {
    GenerationRequest names = {};
    RequestSubject subject = {};
};

struct RequestSettings {
    GenerationSettings names = {}; // validityDays unused
    RequestSubject subject = {};
};

// InvalidArgument naming the first field that is wrong: empty, not UTF-8 or
// with control characters, longer than X.509's upper bound (Organization,
// OrganizationalUnit 64 characters; State, Locality 128; Email 255), a
// Country that is not two capital letters, an Email that is no address.
void validateRequestSubject(const RequestSubject& subject);

// The settings options ask for, the host name defaulting to the system's.
RequestSettings resolveRequest(const RequestOptions& options, const std::string& systemHostname);

struct PendingRequest {
    RequestSettings settings;
    std::string keyPem;     // unencrypted PKCS#8, as every key certd keeps
    std::string requestPem; // PKCS#10
    std::string subject;    // the request's subject, RFC 4514
    std::int64_t created = 0;
};

using PendingRequestPtr = std::shared_ptr<const PendingRequest>;

// A new key and its request. Key generation can take seconds: never on the bus thread.
PendingRequestPtr makePendingRequest(const RequestSettings& settings, std::int64_t now);

// What InstallCertificate would install: the CA's certificate (optionally
// followed by its chain) for request's key, with Upload's checks.
// KeyMismatch when it is for another key; errors as prepareUpload's.
PreparedUpload prepareRequestedCertificate(ByteView certificateAndChain, const PendingRequest& request,
                                           const UploadContext& context);

} // namespace certd
