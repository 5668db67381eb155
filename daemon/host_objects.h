// The published host certificate objects, one per service, and the D-Bus
// side of every change lib/host makes: the method reply, PropertiesChanged,
// HostCertificateChanged, the unit reload, the journal entry of a renewal,
// the pending certificate requests, and ACME orders (acme/acme_issuer.h).
//
// Replies to calls whose work runs on lib's worker wait here, by ticket,
// and only the bus thread touches them: a reply is a D-Bus message, which
// the worker must never hold or destroy.
#pragma once

#include "acme/acme_issuer.h"
#include "host/host_certificates.h"
#include "host_certificate_object.h"
#include "pending_replies.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>

namespace certd {

class Authorizer;
class UnitReloader;

class HostObjects {
public:
    // Called on the bus thread after a service's certificate changed.
    using ChangeListener = std::function<void(const std::string& service)>;
    // Called on the bus thread after a renewal failed, with why.
    using RenewalFailureListener = std::function<void(const std::string& service, const std::string& reason)>;

    // When the service's certificate is renewed (RenewalDue); 0: never.
    using RenewalDue = std::function<std::int64_t(const std::string& service)>;

    HostObjects(sdbus::IConnection& connection, HostCertificates& hosts, AcmeIssuer& acme,
                const Authorizer& authorizer, UnitReloader& reloader, RenewalDue renewalDue, ChangeListener listener,
                RenewalFailureListener renewalFailed);

    // One object per service; call after HostCertificates::start().
    void publish();
    // Every object's GetManagedObjects entry.
    void writeManaged(ManagedObjectsWriter& writer) const;
    // The system's host name changed: HostnameMatches may have.
    void hostnameChanged();
    // lib found the service's certificate changed outside a call (a retry
    // delivered one): announce it as any change.
    void changed(const std::string& service);
    // The service's ACME state changed: PropertiesChanged.
    void refresh(const std::string& service);
    // Renewal of a generated or ACME certificate (the expiry check asks).
    HostCertificates::Renewal renew(const std::string& service);

private:
    void generate(const std::string& service, GenerationSettings settings, sdbus::Result<>&& reply);
    void upload(const std::string& service, PreparedUpload prepared, sdbus::Result<>&& reply);
    HostCertificates::Completion completionFor(std::optional<sdbus::Result<>> reply);
    void createRequest(const std::string& service, RequestSettings settings,
                       sdbus::Result<std::vector<uint8_t>>&& reply);
    void cancelRequest(const std::string& service, sdbus::Result<>&& reply);
    void requestFromAcme(const std::string& service, GenerationSettings settings, sdbus::Result<>&& reply);
    // The pending request changed (or did not, for a failure): properties, log, reply.
    void requestChanged(const RequestChange& change, const char* verb, const std::function<void()>& replyOk,
                        const std::function<void(const sdbus::Error&)>& replyError);
    void announce(const std::string& service);
    void finished(const HostChange& change, std::uint64_t ticket);
    // The journal entry and the listener (RenewalFailed on the bus).
    void reportRenewalFailure(const std::string& service, const std::string& reason);

    sdbus::IConnection& connection_;
    HostCertificates& hosts_;
    AcmeIssuer& acme_;
    const Authorizer& authorizer_;
    UnitReloader& reloader_;
    RenewalDue renewalDue_;
    ChangeListener listener_;
    RenewalFailureListener renewalFailureListener_;
    std::map<std::string, std::unique_ptr<HostCertificateObject>> objects_;
    PendingReplies<> replies_;
    PendingReplies<std::vector<uint8_t>> requestReplies_; // CreateRequest
};

} // namespace certd
