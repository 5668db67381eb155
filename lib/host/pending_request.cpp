#include "host/pending_request.h"

#include "base/error.h"
#include "base/text.h"
#include "host/appliance_ca.h"
#include "x509/certificate_details.h"
#include "x509/certificate_input.h"
#include "x509/certificate_request.h"
#include "x509/key_generation.h"
#include "x509/private_key_input.h"
#include "x509/server_certificate_validation.h"

#include <openssl/err.h>

#include <algorithm>

namespace certd {
namespace {

[[noreturn]] void invalid(const std::string& message)
{
    throw Error(ErrorCode::InvalidArgument, message);
}

// Characters (code points) of valid UTF-8 without control characters; nullopt otherwise.
std::optional<std::size_t> printableLength(std::string_view text)
{
    std::size_t characters = 0;
    for (std::size_t i = 0; i < text.size(); ++characters) {
        const auto length = validUtf8SequenceLength(text, i);
        if (length == 0 || (length == 1 && (static_cast<unsigned char>(text[i]) < 0x20 || text[i] == 0x7f)))
            return std::nullopt;
        i += length;
    }
    return characters;
}

void checkField(const char* name, const std::optional<std::string>& value, std::size_t maxCharacters)
{
    if (!value)
        return;
    if (value->empty())
        invalid(std::string(name) + " is empty; leave the option out instead");
    const auto length = printableLength(*value);
    if (!length)
        invalid(std::string(name) + " holds control characters or is not UTF-8");
    if (*length > maxCharacters)
        invalid(std::string(name) + " has " + std::to_string(*length) + " characters; X.509 allows at most " +
                std::to_string(maxCharacters));
}

bool isEmailAddress(std::string_view text)
{
    const auto at = text.find('@');
    if (at == 0 || at == std::string_view::npos || at + 1 >= text.size() || text.find('@', at + 1) != text.npos)
        return false;
    for (const char c : text) // IA5String, and no spaces
        if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f)
            return false;
    return true;
}

std::vector<std::pair<std::string, std::string>> subjectOf(const RequestSettings& settings)
{
    std::vector<std::pair<std::string, std::string>> names;
    const auto add = [&](const char* field, const std::optional<std::string>& value) {
        if (value)
            names.emplace_back(field, *value);
    };
    const auto& subject = settings.subject;
    add("C", subject.country);
    add("ST", subject.state);
    add("L", subject.locality);
    add("O", subject.organization);
    add("OU", subject.organizationalUnit);
    for (auto& name : hostSubject(settings.names))
        names.push_back(std::move(name));
    add("emailAddress", subject.email);
    return names;
}

} // namespace

void validateRequestSubject(const RequestSubject& subject)
{
    checkField("Organization", subject.organization, 64);
    checkField("OrganizationalUnit", subject.organizationalUnit, 64);
    checkField("State", subject.state, 128);
    checkField("Locality", subject.locality, 128);
    checkField("Email", subject.email, 255);
    if (subject.email && !isEmailAddress(*subject.email))
        invalid("Email \"" + *subject.email + "\" is not an e-mail address such as admin@example.com");
    if (const auto& country = subject.country) {
        const bool letters = country->size() == 2 && std::isupper(static_cast<unsigned char>((*country)[0])) &&
                             std::isupper(static_cast<unsigned char>((*country)[1]));
        if (!letters)
            invalid("Country \"" + toValidUtf8(*country) + "\" is not a two-letter ISO 3166 code such as DE or US");
    }
}

RequestSettings resolveRequest(const RequestOptions& options, const std::string& systemHostname)
{
    if (options.names.validityDays)
        invalid("A request has no ValidityDays: the CA that signs it decides");
    RequestSettings settings{resolveGeneration(options.names, systemHostname), options.subject};
    validateRequestSubject(settings.subject);
    return settings;
}

PendingRequestPtr makePendingRequest(const RequestSettings& settings, std::int64_t now)
{
    EvpPkeyPtr key = generateKey(settings.names.keyType);
    const RequestContents contents{subjectOf(settings), serverCertificateExtensions(settings.names, *key)};
    auto request = std::make_shared<PendingRequest>();
    request->settings = settings;
    request->keyPem = privateKeyToPem(*key);
    request->requestPem = makeCertificateRequestPem(contents, *key);
    request->subject = distinguishedName(X509_REQ_get_subject_name(readCertificateRequest(asBytes(request->requestPem)).get()));
    request->created = now;
    return request;
}

PreparedUpload prepareRequestedCertificate(ByteView certificateAndChain, const PendingRequest& request,
                                           const UploadContext& context)
{
    std::vector<X509Ptr> chain = readCertificateChain(certificateAndChain);
    EvpPkeyPtr key = readPrivateKey(asBytes(request.keyPem));
    const bool forKey = std::any_of(chain.begin(), chain.end(), [&](const X509Ptr& cert) {
        return EVP_PKEY_eq(X509_get0_pubkey(cert.get()), key.get()) == 1;
    });
    ERR_clear_error();
    if (!forKey)
        throw Error(ErrorCode::KeyMismatch,
                    "The certificate \"" + subjectCommonName(*chain.front()) +
                        "\" is not for the pending request's key (" + request.subject +
                        "): it was issued for another request, or the request was replaced since");
    return prepareServerCertificate(HostOrigin::Requested, std::move(chain), *key, context);
}

} // namespace certd
