#include "x509/server_chain.h"

#include "base/error.h"
#include "x509/certificate_details.h"

#include <openssl/err.h>

#include <algorithm>

namespace certd {
namespace {

// A chain longer than this is an upload mistake or a loop of cross-signatures.
constexpr std::size_t maxChainLength = 10;

std::string nameOf(const X509& cert)
{
    return "\"" + subjectCommonName(cert) + "\"";
}

bool issued(X509& issuer, X509& subject)
{
    EVP_PKEY* key = X509_get0_pubkey(&issuer);
    const bool result = X509_check_issued(&issuer, &subject) == X509_V_OK && key && X509_verify(&subject, key) == 1;
    ERR_clear_error();
    return result;
}

// By name and signature: a self-signed server certificate has no keyCertSign,
// which X509_check_issued would ask for.
bool selfSigned(X509& cert)
{
    EVP_PKEY* key = X509_get0_pubkey(&cert);
    const bool result = X509_NAME_cmp(X509_get_subject_name(&cert), X509_get_issuer_name(&cert)) == 0 && key &&
                        X509_verify(&cert, key) == 1;
    ERR_clear_error();
    return result;
}

bool contains(const std::vector<X509Ptr>& chain, const X509& cert)
{
    return std::any_of(chain.begin(), chain.end(), [&](const X509Ptr& c) { return X509_cmp(c.get(), &cert) == 0; });
}

struct Uploaded {
    X509Ptr cert;
    std::size_t position; // 1-based, as the administrator counts
};

// The uploads without repetitions (each named in warnings).
std::vector<Uploaded> distinct(std::vector<X509Ptr> certificates, std::vector<std::string>& warnings)
{
    std::vector<Uploaded> kept;
    for (std::size_t i = 0; i < certificates.size(); ++i) {
        const auto same = std::find_if(kept.begin(), kept.end(),
                                       [&](const Uploaded& u) { return X509_cmp(u.cert.get(), certificates[i].get()) == 0; });
        if (same != kept.end()) {
            warnings.push_back("Certificate " + std::to_string(i + 1) + " of the upload repeats certificate " +
                               std::to_string(same->position) + "; it is sent once");
            continue;
        }
        kept.push_back({std::move(certificates[i]), i + 1});
    }
    return kept;
}

std::size_t leafIndex(const std::vector<Uploaded>& uploads, EVP_PKEY& key)
{
    for (std::size_t i = 0; i < uploads.size(); ++i) {
        const EVP_PKEY* certificateKey = X509_get0_pubkey(uploads[i].cert.get());
        const bool matches = certificateKey && EVP_PKEY_eq(certificateKey, &key) == 1;
        ERR_clear_error();
        if (matches)
            return i;
    }
    return 0;
}

// The issuer of last among the remaining uploads, taken out; null when none.
X509Ptr takeUploadedIssuer(std::vector<Uploaded>& remaining, X509& last, std::vector<std::size_t>& order)
{
    for (auto it = remaining.begin(); it != remaining.end(); ++it)
        if (issued(*it->cert, last)) {
            order.push_back(it->position);
            X509Ptr issuer = std::move(it->cert);
            remaining.erase(it);
            return issuer;
        }
    return nullptr;
}

} // namespace

ServerChain buildServerChain(std::vector<X509Ptr> uploaded, EVP_PKEY& key, const IssuerLookup& lookup)
{
    ServerChain result;
    auto remaining = distinct(std::move(uploaded), result.warnings);
    if (remaining.empty())
        return result;
    const auto leaf = leafIndex(remaining, key);
    std::vector<std::size_t> order{remaining[leaf].position};
    result.chain.push_back(std::move(remaining[leaf].cert));
    remaining.erase(remaining.begin() + static_cast<std::ptrdiff_t>(leaf));

    bool issuerKnown = true;
    while (result.chain.size() < maxChainLength && !selfSigned(*result.chain.back())) {
        X509& last = *result.chain.back();
        if (auto issuer = takeUploadedIssuer(remaining, last, order)) {
            result.chain.push_back(std::move(issuer));
            continue;
        }
        X509Ptr found;
        for (auto& candidate : lookup ? lookup(last) : std::vector<X509Ptr>{})
            if (!found && issued(*candidate, last) && !contains(result.chain, *candidate))
                found = std::move(candidate);
        issuerKnown = found != nullptr;
        if (!found || selfSigned(*found))
            break; // a root, which clients have; or an issuer certd does not know
        result.warnings.push_back("The upload lacks the intermediate certificate " + nameOf(*found) + " that issued " +
                                  nameOf(last) + "; certd adds it from the certificates it trusts");
        result.chain.push_back(std::move(found));
    }

    if (!remaining.empty()) {
        const auto& stray = remaining.front();
        throw Error(ErrorCode::InvalidCertificate,
                    "Certificate " + std::to_string(stray.position) + " of the upload (" + nameOf(*stray.cert) +
                        ") is not in the chain of " + nameOf(*result.chain.front()) +
                        ": it issued none of its certificates. Leave it out, or give the right intermediate");
    }
    if (!std::is_sorted(order.begin(), order.end()))
        result.warnings.push_back("The certificates were given out of order; certd sends the server's certificate "
                                  "first, each one followed by its issuer");
    if (result.chain.size() == 1 && !issuerKnown)
        result.warnings.push_back("Clients need the issuer of " + nameOf(*result.chain.front()) + " (" +
                                  distinguishedName(X509_get_issuer_name(result.chain.front().get())) +
                                  "): it is neither in the upload nor among the certificates certd trusts. Upload "
                                  "the intermediate certificates after the server's certificate");
    return result;
}

} // namespace certd
