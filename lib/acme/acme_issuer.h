// Host certificates from an ACME CA: RequestFromACME and the renewals the
// daily check asks for. A request makes a new key and CSR (as CreateRequest
// does), registers the account once, orders, answers the challenges,
// finalizes and hands the chain to HostCertificates, which checks and
// delivers it as any upload (origin "acme"; the names it was ordered for
// are kept, so that a renewal orders them again).
//
// Threads: every method is called on the owner's thread (certd's bus
// loop). The network runs on this class's own worker, so that a slow CA
// holds up neither the bus nor the host worker; its outcome comes back
// through post, and only there do status() and the listener change. One
// order per service at a time. Destroying it cancels an order under way
// (its transfers and waits stop within a second).
//
// Invariant: a failed order changes no file a service reads; the old
// certificate keeps being served. A renewal that failed is remembered (by
// the certificate's fingerprint) until one succeeds.
#pragma once

#include "acme/client.h"
#include "acme/http.h"
#include "acme/renewal.h"
#include "acme/settings.h"
#include "base/serial_worker.h"
#include "base/state_directory.h"
#include "host/host_certificates.h"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace certd {

struct AcmeStatus {
    std::string state = "idle"; // "idle", "ordering", "failed"
    std::string lastError;      // the last failure's "type: detail"; "" after a success
};

class AcmeIssuer {
public:
    // Makes the HTTP client of one order; cancelled turns true when the
    // issuer is destroyed (the client must then stop within a second).
    using HttpFactory = std::function<std::unique_ptr<acme::HttpClient>(const std::atomic<bool>& cancelled)>;
    using Listener = std::function<void(const std::string& service)>; // status() changed
    using Progress = std::function<void(const std::string& service, const std::string& step)>;

    struct Settings {
        AcmeConfig config;
        StateLayout layout;
        acme::Timing timing = {};
    };

    AcmeIssuer(Settings settings, HostCertificates& hosts, HostCertificates::Post post, HttpFactory http,
               Listener listener, Progress progress = {});
    ~AcmeIssuer();
    AcmeIssuer(const AcmeIssuer&) = delete;
    AcmeIssuer& operator=(const AcmeIssuer&) = delete;

    bool enabled() const { return settings_.config.enabled(); }

    // Checks before authorization: ACMEFailed when [ACME] is not set up,
    // InvalidArgument for options (Generate's, without ValidityDays: the CA
    // decides), InProgress... as ACMEFailed while the service has an order
    // under way.
    GenerationSettings orderSettings(const std::string& service, const GenerationRequest& request) const;

    // Orders and delivers; done runs on the owner's thread (failure: an
    // ACMEFailed, or HostCertificates' refusal of what the CA issued).
    void request(const std::string& service, GenerationSettings settings, HostCertificates::Completion done);

    // The daily check's renewal of an ACME certificate with the names it
    // was ordered for. False when the service's certificate is no ACME
    // certificate or ACME is off; true when a renewal runs (now or already).
    bool renew(const std::string& service, HostCertificates::Completion done);
    bool renewsItself(const std::string& service) const;
    bool renewalFailed(const std::string& service) const;
    // When certd renews the service's ACME certificate; 0 for any other.
    std::int64_t renewalDue(const std::string& service) const;
    // Asks the CA for renewal windows (RFC 9773) of every ACME certificate,
    // on the worker; a window found decides renewalDue from then on (a
    // random moment inside it, RFC 9773 §4.2), and the listener hears of it.
    // At most once per 12 hours: later calls (a Reload runs the check too) do nothing.
    void refreshRenewalInfo();

    AcmeStatus status(const std::string& service) const;

private:
    struct Order {
        std::string service;
        GenerationSettings settings;
        UploadContext context;
    };
    // Marks the service as ordering and runs order() on the worker; the
    // outcome is delivered as kind (Acme, or Renewal: a failure is then a
    // failed renewal, announced as such).
    void start(const std::string& service, GenerationSettings settings, HostChangeKind kind,
               HostCertificates::Completion done);
    // On the worker: the whole ACME exchange, then what HostCertificates installs.
    PreparedUpload order(const Order& order);
    void finished(const std::string& service, const HostChange& change, const HostCertificates::Completion& done);
    void setStatus(const std::string& service, AcmeStatus status);
    std::unique_ptr<acme::Client> client(acme::HttpClient& http, EVP_PKEY& accountKey) const;
    std::unique_ptr<acme::ChallengeSolver> solver() const;

    Settings settings_;
    HostCertificates& hosts_;
    HostCertificates::Post post_;
    HttpFactory http_;
    Listener listener_;
    Progress progress_;
    std::map<std::string, AcmeStatus> status_;          // owner's thread
    struct SuggestedWindow {
        std::string fingerprint; // of the certificate it is for
        acme::RenewalWindow window;
        std::int64_t moment = 0; // when certd renews: chosen in the window
    };
    // A window from the worker, for service's certificate fingerprint.
    void noteWindow(const std::string& service, const std::string& fingerprint, acme::RenewalWindow window);

    std::map<std::string, SuggestedWindow> windows_; // by service; owner's thread
    static constexpr std::chrono::hours renewalInfoInterval{12};
    std::optional<std::chrono::steady_clock::time_point> lastRefresh_; // owner's thread
    std::atomic<bool> cancelled_ = false;
    SerialWorker worker_; // last: its jobs use everything above
};

} // namespace certd
