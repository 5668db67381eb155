#include "acme/acme_issuer.h"

#include "acme/account_store.h"
#include "acme/challenges.h"
#include "base/clock.h"
#include "base/error.h"
#include "base/text.h"
#include "host/appliance_ca.h"
#include "host/hostname.h"
#include "x509/certificate_details.h"
#include "x509/key_generation.h"
#include "x509/certificate_input.h"
#include "x509/certificate_request.h"
#include "x509/pem.h"

#include <openssl/rand.h>
#include <openssl/x509.h>

#include <algorithm>
#include <thread>

namespace certd {
namespace {

// What a dns-01 hook may take for one record (nsupdate and propagation).
constexpr std::chrono::seconds hookTimeout{120};

[[noreturn]] void notPossible(const std::string& why)
{
    throw Error(ErrorCode::ACMEFailed, why);
}

// A CA's clock may run ahead of the appliance's: a certificate valid from
// a little later is taken as if checked then (clients see the same skew).
constexpr std::int64_t toleratedClockSkew = 300;

// The request's DER is the PEM's body: no parsing and encoding again.
Bytes requestDer(const std::string& requestPem)
{
    auto scan = scanPem(asBytes(requestPem));
    if (scan.blocks.size() != 1 || scan.blocks.front().label != "CERTIFICATE REQUEST")
        throw Error(ErrorCode::Internal, "The certificate request did not come out as one PEM block");
    return std::move(scan.blocks.front().data);
}

// Exactly the names asked for: the CA validates each, so no short name is
// added as Generate adds it (no CA could ever validate "probe").
std::vector<std::string> namesOf(const GenerationSettings& settings)
{
    std::vector<std::string> names{toLower(settings.hostname)};
    for (const auto& name : settings.additionalNames) {
        const std::string canonical = isIpAddress(name) ? canonicalIpAddress(name) : toLower(name);
        if (std::find(names.begin(), names.end(), canonical) == names.end())
            names.push_back(canonical);
    }
    return names;
}

} // namespace

AcmeIssuer::AcmeIssuer(Settings settings, HostCertificates& hosts, HostCertificates::Post post, HttpFactory http,
                       Listener listener, Progress progress)
    : settings_(std::move(settings))
    , hosts_(hosts)
    , post_(std::move(post))
    , http_(std::move(http))
    , listener_(std::move(listener))
    , progress_(std::move(progress))
{
    auto& sleep = settings_.timing.sleep;
    // Waits end early when certd stops: an order must not hold up shutdown.
    sleep = [this](std::chrono::milliseconds pause) {
        for (auto left = pause; left.count() > 0; left -= std::chrono::milliseconds(100)) {
            if (cancelled_)
                notPossible("certd is stopping");
            std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(100)));
        }
    };
}

AcmeIssuer::~AcmeIssuer()
{
    cancelled_ = true;
}

GenerationSettings AcmeIssuer::orderSettings(const std::string& service, const GenerationRequest& request) const
{
    if (!enabled())
        notPossible("ACME is not set up: set DirectoryURL= (and AgreeToTermsOfService=yes) in [ACME] of certd.conf");
    if (request.validityDays)
        throw Error(ErrorCode::InvalidArgument, "ValidityDays is not an option of RequestFromACME: the ACME CA "
                                                "decides how long its certificates last");
    hosts_.settings(service); // NotFound for a service certd does not have
    if (status(service).state == "ordering")
        notPossible("An ACME order for the " + service + " certificate is under way; wait for it to end");
    auto settings = hosts_.generationSettings(request);
    return settings;
}

void AcmeIssuer::request(const std::string& service, GenerationSettings settings, HostCertificates::Completion done)
{
    start(service, std::move(settings), HostChangeKind::Acme, std::move(done));
}

void AcmeIssuer::start(const std::string& service, GenerationSettings settings, HostChangeKind kind,
                       HostCertificates::Completion done)
{
    setStatus(service, {"ordering", status(service).lastError});
    Order order{service, std::move(settings), hosts_.uploadContext(service)};
    worker_.post([this, order = std::move(order), kind, done = std::move(done)] {
        std::optional<PreparedUpload> prepared;
        std::exception_ptr failure;
        try {
            prepared = this->order(order);
        } catch (...) {
            failure = std::current_exception();
        }
        post_([this, service = order.service, kind, prepared = std::move(prepared), failure, done] {
            hosts_.deliver(
                service, kind,
                [prepared, failure] {
                    if (failure)
                        std::rethrow_exception(failure);
                    return *prepared;
                },
                [this, service, done](const HostChange& change) { finished(service, change, done); });
        });
    });
}

PreparedUpload AcmeIssuer::order(const Order& order)
{
    const auto step = [&](const std::string& text) {
        if (progress_)
            post_([this, service = order.service, text] { progress_(service, text); });
    };
    acme::AccountStore store(settings_.layout.privateDirectory() / "acme" / "account.json");
    auto account = store.loadOrCreate();
    const auto key = acme::accountKey(account);
    const auto http = http_(cancelled_);
    const auto client = this->client(*http, *key);
    const auto& config = settings_.config;
    if (config.eabKeyId.empty() != config.eabHmacKey.empty())
        notPossible("ExternalAccountKeyID= and ExternalAccountHMACKey= in [ACME] of certd.conf go together");
    step("registering the account");
    const std::string accountUrl =
        client->account({config.email, config.agreeToTermsOfService, config.eabKeyId, config.eabHmacKey});
    if (account.urls[config.directoryUrl] != accountUrl) {
        account.urls[config.directoryUrl] = accountUrl;
        store.save(account);
    }
    step("making a new key");
    const auto names = namesOf(order.settings);
    const auto privateKey = generateKey(order.settings.keyType);
    const RequestContents request{hostSubject(order.settings), serverCertificateExtensions(names, *privateKey)};
    const auto solver = this->solver();
    step("ordering");
    const std::string chainPem =
        client->issue(names, requestDer(makeCertificateRequestPem(request, *privateKey)), *solver, step);
    auto chain = readCertificateChain(asBytes(chainPem));
    UploadContext context = order.context;
    context.now = unixNow();
    if (!chain.empty()) {
        const std::int64_t notBefore = describeCertificate(*chain.front()).notBefore;
        if (notBefore > context.now && notBefore - context.now <= toleratedClockSkew)
            context.now = notBefore;
    }
    auto prepared = prepareServerCertificate(HostOrigin::Acme, std::move(chain), *privateKey, context);
    auto host = std::make_shared<HostCertificate>(*prepared.host);
    host->generation = order.settings; // what a renewal orders again
    prepared.host = std::move(host);
    return prepared;
}

std::unique_ptr<acme::Client> AcmeIssuer::client(acme::HttpClient& http, EVP_PKEY& accountKey) const
{
    return std::make_unique<acme::Client>(http, settings_.config.directoryUrl, accountKey, settings_.timing);
}

std::unique_ptr<acme::ChallengeSolver> AcmeIssuer::solver() const
{
    const auto& config = settings_.config;
    if (config.challenge == "dns-01") {
        if (config.dnsHook.empty())
            notPossible("Challenge=dns-01 needs DNSHook= in [ACME] of certd.conf");
        return std::make_unique<acme::DnsHookSolver>(config.dnsHook, hookTimeout, &cancelled_);
    }
    if (config.webroot.empty())
        notPossible("Challenge=http-01 needs Webroot= in [ACME] of certd.conf: the directory the web server "
                    "serves on port 80");
    return std::make_unique<acme::WebrootSolver>(config.webroot);
}

void AcmeIssuer::finished(const std::string& service, const HostChange& change, const HostCertificates::Completion& done)
{
    if (change.failure) {
        std::string why;
        try {
            std::rethrow_exception(change.failure);
        } catch (const std::exception& error) {
            why = toValidUtf8(error.what()); // a property: D-Bus takes only UTF-8
        }
        setStatus(service, {"failed", why});
    } else {
        setStatus(service, {"idle", ""});
    }
    if (done)
        done(change);
}

bool AcmeIssuer::renew(const std::string& service, HostCertificates::Completion done)
{
    if (!renewsItself(service))
        return false;
    if (status(service).state == "ordering")
        return true;
    start(service, *hosts_.current(service)->generation, HostChangeKind::Renewal, std::move(done));
    return true;
}

bool AcmeIssuer::renewsItself(const std::string& service) const
{
    const auto& host = hosts_.current(service);
    return enabled() && host && host->origin == HostOrigin::Acme && host->generation;
}

bool AcmeIssuer::renewalFailed(const std::string& service) const
{
    return renewsItself(service) && hosts_.renewalFailed(service);
}

std::int64_t AcmeIssuer::renewalDue(const std::string& service) const
{
    const auto& host = hosts_.current(service);
    if (!host || host->origin != HostOrigin::Acme)
        return 0;
    const auto& details = host->details;
    const auto window = windows_.find(service);
    if (window != windows_.end() && window->second.fingerprint == details.fingerprint)
        return window->second.moment;
    return acme::renewalTime(details.notBefore, details.notAfter, std::nullopt);
}

void AcmeIssuer::refreshRenewalInfo()
{
    // The check also runs after every Reload: the CA is asked at most
    // twice a day, as a daily timer would (ARI windows move slowly).
    const auto now = std::chrono::steady_clock::now();
    if (!enabled() || (lastRefresh_ && now - *lastRefresh_ < renewalInfoInterval))
        return;
    lastRefresh_ = now;
    for (const auto& service : hosts_.services()) {
        const auto& host = hosts_.current(service);
        if (!host || host->origin != HostOrigin::Acme)
            continue;
        worker_.post([this, service, host] {
            try {
                auto certificate = readCertificateChain(asBytes(host->certificatePem));
                acme::AccountStore store(settings_.layout.privateDirectory() / "acme" / "account.json");
                const auto account = store.load(); // never a new key just to ask
                if (!account)
                    return;
                const auto key = acme::accountKey(*account);
                const auto http = http_(cancelled_);
                const auto info = client(*http, *key)->renewalInfo(acme::renewalCertificateId(*certificate.at(0)));
                if (!info)
                    return;
                const auto window = acme::parseRenewalInfo(*info);
                post_([this, service, fingerprint = host->details.fingerprint, window] {
                    noteWindow(service, fingerprint, window);
                });
            } catch (const std::exception&) {
                // no window: the lifetime rule decides
            }
        });
    }
}

void AcmeIssuer::noteWindow(const std::string& service, const std::string& fingerprint, acme::RenewalWindow window)
{
    const auto& host = hosts_.current(service);
    if (!host || host->details.fingerprint != fingerprint)
        return; // replaced meanwhile
    // RFC 9773 §4.2: a random moment inside the window (ending by notAfter
    // at the latest), chosen once per window so RenewalDue stays put.
    const auto known = windows_.find(service);
    if (known != windows_.end() && known->second.fingerprint == fingerprint && known->second.window.start == window.start &&
        known->second.window.end == window.end)
        return;
    window.end = std::min(window.end, host->details.notAfter);
    std::int64_t moment = window.start;
    if (window.end > window.start) {
        std::int64_t random = 0;
        RAND_bytes(reinterpret_cast<unsigned char*>(&random), sizeof random);
        moment += static_cast<std::int64_t>(static_cast<std::uint64_t>(random) %
                                            static_cast<std::uint64_t>(window.end - window.start));
    }
    windows_[service] = {fingerprint, window, moment};
    if (listener_)
        listener_(service); // RenewalDue changed
}

AcmeStatus AcmeIssuer::status(const std::string& service) const
{
    const auto found = status_.find(service);
    return found == status_.end() ? AcmeStatus{} : found->second;
}

void AcmeIssuer::setStatus(const std::string& service, AcmeStatus status)
{
    auto& current = status_[service];
    if (current.state == status.state && current.lastError == status.lastError)
        return;
    current = std::move(status);
    if (listener_)
        listener_(service);
}

} // namespace certd
