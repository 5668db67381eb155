// The services' host certificates: the appliance CA, one store and one
// D-Bus object per service, and the worker that generates and writes
// certificates off the bus thread. Every change goes through commit, which
// saves and delivers on the worker, then updates the object, announces the
// change and asks systemd to reload the service, on the bus thread.
#pragma once

#include "host/appliance_ca.h"
#include "config/config.h"
#include "host_certificate_object.h"
#include "base/serial_worker.h"
#include "base/state_directory.h"

#include <functional>
#include <map>
#include <optional>
#include <set>

namespace certd {

class Authorizer;
class EventLoop;
class UnitReloader;

class HostCertificates {
public:
    // Called on the bus thread after a service's certificate changed.
    using ChangeListener = std::function<void(const std::string& service, const std::string& path)>;

    HostCertificates(sdbus::IConnection& connection, EventLoop& loop, const Authorizer& authorizer,
                     UnitReloader& reloader, const StateLayout& layout, const Config& config,
                     ChangeListener listener);

    // At start: loads (or creates) the appliance CA, loads each service's
    // certificate, generates one for a service that has none, delivers the
    // files and publishes the objects.
    void publish();

    std::string applianceCaPem() const { return applianceCa_->certificatePem(); }

    // The system's host name changed: HostnameMatches may have.
    void hostnameChanged();

    struct Current {
        std::string service;
        std::string path;
        HostCertificatePtr host; // null while the service has none
    };
    std::vector<Current> current() const;

    enum class Renewal { Started, InProgress, NotPossible };
    // Regenerates a generated certificate with the settings it was made with.
    // NotPossible for an uploaded one, or when renewing this very certificate
    // failed before (then it is only announced).
    Renewal renew(const std::string& service);

private:
    enum class Change { Generate, Upload, Renewal };
    struct Service {
        HostCertificateStore store;
        std::unique_ptr<HostCertificateObject> object;
    };

    HostCertificatePtr loadOrGenerate(Service& service);
    void generate(const std::string& service, GenerationSettings settings, Reply reply);
    void upload(const std::string& service, HostCertificatePtr host, Reply reply);
    // On the worker: make the certificate, save and deliver it; then finish on the bus thread.
    void commit(const std::string& service, Change change, std::function<HostCertificatePtr()> make, Reply reply);
    void finish(const std::string& service, Change change, HostCertificatePtr host, std::uint64_t ticket);
    void fail(const std::string& service, Change change, std::exception_ptr failure, std::uint64_t ticket);
    Reply takeReply(std::uint64_t ticket);

    sdbus::IConnection& connection_;
    EventLoop& loop_;
    const Authorizer& authorizer_;
    UnitReloader& reloader_;
    StateLayout layout_;
    ApplianceCaSettings applianceCaSettings_;
    ChangeListener listener_;
    std::unique_ptr<ApplianceCa> applianceCa_;
    std::map<std::string, Service> services_;
    std::set<std::string> renewing_;     // services
    std::set<std::string> renewalFailed_; // fingerprints
    // Replies to calls whose work is on the worker, by ticket. Only the bus
    // thread touches them: a reply is a D-Bus message, and the worker must
    // never hold (or be the one to destroy) one.
    std::map<std::uint64_t, Reply> pendingReplies_;
    std::uint64_t nextTicket_ = 1;
    SerialWorker worker_; // last: its jobs use everything above
};

} // namespace certd
