// The services' host certificates as a whole: the appliance CA that signs
// them, each service's store, what each service has now, and every way that
// changes. The rules are here, so that the daemon only translates to D-Bus:
// a fresh appliance gets a certificate for each service before anything is
// published; Generate and Upload are checked before they are queued (a
// PKCS#12 upload on the worker, see uploadPkcs12); a renewal asks for what
// was asked before and runs once at a time per service; a certificate whose
// renewal failed is remembered as such (it is then announced) and renewed
// again when asked. A service may have a pending certificate request (its
// key born here, see host/pending_request.h); installing the CA's
// certificate for it ends it, and so does a restart that finds it installed.
// A rotation replaces the appliance CA and issues the generated certificates
// again; a start finishes one that was interrupted after its commit (see
// host/retired_appliance_cas.h).
//
// Threads: every method is called on one thread, the owner's (certd's bus
// loop). Slow work (key generation, writing) runs on a worker, one change at
// a time; its outcome is handed back through the owner's post function, and
// only there does current() change and the completion run. The pending
// request is the exception: the worker sets it right after its file changed
// (an install reads it there), so pendingRequest() may change between two
// calls on the owner's thread; the completion follows. A completion is
// copied and destroyed on the worker too: it must capture identifiers,
// never a D-Bus reply (see SerialWorker).
#pragma once

#include "base/bytes.h"
#include "base/secret.h"
#include "base/serial_worker.h"
#include "base/state_directory.h"
#include "host/appliance_ca.h"
#include "host/host_certificate_store.h"
#include "host/pending_request_store.h"
#include "host/retired_appliance_cas.h"
#include "host/upload.h"

#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace certd {

enum class HostChangeKind { Generate, Upload, Renewal, Install, Acme };

// How the host side stands after start() or retry(): what still needs
// doing, by subject ("appliance CA", or a service), and what happened on
// the way.
struct HostHealth {
    std::map<std::string, std::string> problems; // subject -> why; retry() tries again
    std::vector<std::string> notes;              // dealt with, for the log
    std::vector<std::string> changed;            // services whose certificate changed (retry only)
};

inline constexpr const char* applianceCaSubject = "appliance CA";

struct HostChange {
    std::string service;
    HostChangeKind kind = HostChangeKind::Generate;
    HostCertificatePtr host;           // the service's new certificate; null when the change failed
    std::exception_ptr failure;        // why, when it failed (the service kept its certificate)
    std::vector<std::string> warnings; // committed, but something after the commit did not work
    std::vector<std::string> preflight; // what the checks warned of (an upload's), installed all the same
};

// A change of a service's pending request (CreateRequest, CancelRequest).
struct RequestChange {
    std::string service;
    PendingRequestPtr request;  // pending afterwards; null: none
    std::exception_ptr failure; // why, when it failed (the pending request did not change)
};

// A rotation of the appliance CA, as its owner learns it.
struct RotationOutcome {
    std::string fingerprint;            // the new CA's; empty when the rotation failed
    std::exception_ptr failure;         // why it failed (the old CA is still in force)
    std::vector<std::string> reissued;  // services whose certificate the new CA issued
    std::vector<std::string> warnings;  // committed, but something after the commit did not work
};

class HostCertificates {
public:
    using Post = std::function<void(std::function<void()>)>;
    using Completion = std::function<void(const HostChange&)>;
    using RequestCompletion = std::function<void(const RequestChange&)>;
    using RotationCompletion = std::function<void(const RotationOutcome&)>;
    using Hostname = std::function<std::string()>;

    struct Settings {
        StateLayout layout;
        ApplianceCaSettings applianceCa;
        std::map<std::string, ServiceConfig> services;
        IssuerLookup trustedIssuers = {}; // the CA store's, to complete uploaded chains
    };

    // post runs a task on the owner's thread; hostname gives the system's
    // current host name (currentHostname, or a test's).
    HostCertificates(Settings settings, Post post, Hostname hostname);
    ~HostCertificates();
    HostCertificates(const HostCertificates&) = delete;
    HostCertificates& operator=(const HostCertificates&) = delete;

    // At start, before anything is published, on the owner's thread: the
    // appliance CA (created when missing), then each service's certificate:
    // recovered from an interrupted change, delivered again where damaged,
    // or generated for a fresh appliance. Nothing here stops certd: what
    // cannot be done (a full disk) is in the problems, and a service may be
    // left without a certificate until retry() succeeds.
    HostHealth start();

    // On the worker, after any queued change: tries again what the last
    // start() or retry() could not do; done runs on the owner's thread.
    void retry(std::function<void(const HostHealth&)> done);

    std::vector<std::string> services() const;
    const ServiceSettings& settings(const std::string& service) const;
    // Null while the service has none.
    HostCertificatePtr current(const std::string& service) const;
    bool matchesHostname(const std::string& service) const;
    // Whether a certificate with details would match the system's host name.
    bool matchesHostname(const CertificateDetails& details) const;
    // NotFound while the appliance CA could not be created. The current CA's
    // certificate first, then those a rotation replaced within OverlapDays.
    std::string applianceCaPem() const;
    // Its details; nullopt while it could not be created.
    std::optional<CertificateDetails> applianceCaDetails() const;

    // Checks, on the owner's thread, before authorization and queueing:
    // InvalidArgument, or the reasons an upload cannot serve TLS.
    GenerationSettings generationSettings(const GenerationRequest& request) const;
    // What Upload would install, and what the administrator should know
    // first (InspectUpload's answer); errors as certd::prepareUpload's.
    PreparedUpload prepareUpload(const std::string& service, ByteView certificate, ByteView privateKey) const;

    void generate(const std::string& service, GenerationSettings settings, Completion done);
    void upload(const std::string& service, PreparedUpload prepared, Completion done);
    // A PKCS#12 file is decrypted and checked on the worker, after the
    // caller's authorization: its key derivation costs what the file says.
    // Refusals (readPkcs12's, prepareUpload's) come as the change's failure.
    void uploadPkcs12(const std::string& service, Bytes pkcs12, SharedSecret passphrase, Completion done);

    // Certificate requests. requestSettings and prepareInstall check on the
    // owner's thread, before authorization: InvalidArgument; NotFound without
    // a pending request, or prepareRequestedCertificate's errors.
    PendingRequestPtr pendingRequest(const std::string& service) const; // null: none
    RequestSettings requestSettings(const RequestOptions& options) const;
    PreparedUpload prepareInstall(const std::string& service, ByteView certificateAndChain) const;
    // A new key and request replace the pending one; the current certificate stays.
    void createRequest(const std::string& service, RequestSettings settings, RequestCompletion done);
    // Forgets the pending request and its key; NotFound (as the failure) when there is none.
    void cancelRequest(const std::string& service, RequestCompletion done);
    // Installs the CA's certificate for the pending key, checked again on the
    // worker against the request pending then; the request is then gone.
    void installCertificate(const std::string& service, Bytes certificateAndChain, Completion done);

    // A new appliance CA (settings as given, defaults as at creation) and,
    // under it, a new certificate for each service whose certificate was
    // generated; the old CA is handed out beside it for OverlapDays. On
    // the worker; done runs on the owner's thread. InvalidArgument (thrown
    // here) for settings that are wrong.
    void rotateApplianceCa(ApplianceCaSettings settings, RotationCompletion done);

    // A certificate certd obtained elsewhere (acme/acme_issuer.h): make runs
    // on the worker (it may throw the order's failure) and its result is
    // installed as an upload is. Kind Renewal counts a failure as a failed
    // renewal of the current certificate (see renewalFailed).
    void deliver(const std::string& service, HostChangeKind kind, std::function<PreparedUpload()> make,
                 Completion done);
    // The context of an upload to service (for a check made elsewhere).
    UploadContext uploadContext(const std::string& service) const;

    enum class Renewal { Started, InProgress, NotPossible };
    // Regenerates a generated certificate with the settings it was made with.
    // NotPossible for an uploaded one (and while the service has none).
    Renewal renew(const std::string& service, Completion done);
    // Whether the service's certificate is one renew() can replace.
    bool renewsItself(const std::string& service) const;
    // Whether the last renewal of the service's current certificate failed.
    bool renewalFailed(const std::string& service) const;

private:
    struct Service {
        HostCertificateStore store;
        PendingRequestStore requests;
        HostCertificatePtr current;
    };

    Service& service(const std::string& name);
    const Service& service(const std::string& name) const;
    std::shared_ptr<const ApplianceCa> applianceCa() const;
    // The appliance CA, created when missing, and its public copy.
    void prepareApplianceCa(HostHealth& health);
    // After an interrupted rotation: the generated certificates, issued again
    // under the current CA. On any thread, for start() (then on the worker).
    void completeRotation(HostHealth& health);
    // Saves retired as the record and the state; a failure is a note.
    void recordRetired(const RetiredApplianceCas& retired, HostHealth& health);
    // On the worker: the new CA in force (the commit), and its public copy.
    std::shared_ptr<const ApplianceCa> commitRotation(const ApplianceCaSettings& settings, RotationOutcome& outcome);
    // On the worker: each generated certificate issued again under ca;
    // false when one could not be (warnings say why).
    bool reissueGenerated(const ApplianceCa& ca, std::map<std::string, HostCertificatePtr>& reissued,
                          std::vector<std::string>& warnings);
    void writePublicApplianceCa() const;
    // The service's certificate as stored (delivered again where needed),
    // or a new one when it has none. On any thread, for start() and retry().
    HostCertificatePtr loadOrGenerate(const Service& service, HostHealth& health);
    // The stored pending request, dropped when current is its certificate
    // already (certd stopped between installing and forgetting it).
    void loadPendingRequest(const std::string& name, HostHealth& health);
    void setPendingRequest(const std::string& name, PendingRequestPtr request);
    // On the worker: run change, then finish on the owner's thread.
    void changeRequest(const std::string& name, std::function<PendingRequestPtr()> change, RequestCompletion done);
    // The appliance CA, then the CA store's candidates for certificate's issuer.
    std::vector<X509Ptr> knownIssuers(const X509& certificate) const;
    // Internal naming why, while the appliance CA could not be created.
    HostCertificatePtr issue(const GenerationSettings& settings) const;
    // On the worker: make the certificate and install it, then run committed
    // (what it cannot do are warnings); then finish on the owner's thread.
    void change(const std::string& service, HostChangeKind kind, std::function<PreparedUpload()> make,
                Completion done, std::function<void(std::vector<std::string>& warnings)> committed = {});
    void finish(HostChange change, const Completion& done);

    Settings settings_;
    Post post_;
    Hostname hostname_;
    // Replaced by retry() on the worker, read on the owner's thread.
    mutable std::mutex applianceCaMutex_;
    std::shared_ptr<const ApplianceCa> applianceCa_;
    RetiredApplianceCas retired_; // with applianceCa_, under applianceCaMutex_
    std::map<std::string, Service> services_;
    mutable std::mutex pendingMutex_; // set on the worker, read on the owner's thread
    std::map<std::string, PendingRequestPtr> pending_;
    std::set<std::string> troubled_; // subjects of the last problems (owner's thread)
    std::set<std::string> renewing_;      // services
    std::set<std::string> renewalFailed_; // fingerprints
    SerialWorker worker_; // last: its jobs use everything above
};

} // namespace certd
