// The published CA objects, kept in step with the trust store: every change
// to the store goes through here, so the objects on the bus (and
// InterfacesAdded/Removed) always match what is stored. It only translates:
// the rules are lib/trust's, and the changes run on the store's worker, so
// the bus is never held by file work. A call's reply waits here (by ticket)
// until its change is done.
#pragma once

#include "ca_certificate_object.h"
#include "pending_replies.h"
#include "trust/trust_store.h"
#include "unpublished_objects.h"

#include <functional>
#include <map>
#include <memory>

namespace certd {

class Authorizer;
class EventLoop;

class CaObjects {
public:
    // Hears, after every load, how each trust output stands: subject ("trust
    // directory", "trust bundle") and why it could not be written (empty: it was).
    using OutputState = std::function<void(const std::string& subject, const std::string& problem)>;

    CaObjects(sdbus::IConnection& connection, TrustStore& store, EventLoop& loop, const Authorizer& authorizer,
              OutputState outputState);

    // Loads the store and publishes an object per CA, silently: at start
    // nobody can be listening yet.
    void publishStored();

    // Replies with the new object's path; AlreadyExists names the existing object.
    void import(CaInspection inspection, sdbus::Result<sdbus::ObjectPath>&& reply);
    void remove(const std::string& fingerprint, sdbus::Result<>&& reply);
    // Replies with how many CAs are stored afterwards, after afterwards ran.
    void reload(sdbus::Result<uint32_t>&& reply, std::function<void()> afterwards);
    // Tries the trust outputs again; the state is reported to OutputState.
    void repairOutputs();
    // Every object's GetManagedObjects entry.
    void writeManaged(ManagedObjectsWriter& writer) const;

private:
    void apply(const TrustStoreChanges& changes, bool announce);
    void publish(const StoredCaPtr& stored, bool announce);
    // Announces InterfacesRemoved, runs beforeUnregistering (the reply to
    // the object's own Delete), then takes the object off the bus.
    void retract(const std::string& fingerprint, const std::function<void()>& beforeUnregistering = {});
    // NotFound, with the fingerprint, for calls to the path of a CA that is
    // not stored (deleted, or never imported); nullopt for anything else.
    std::optional<UnpublishedObjects::Refusal> refuseUnpublished(const std::string& path,
                                                                 const std::string& interface) const;

    sdbus::IConnection& connection_;
    TrustStore& store_;
    EventLoop& loop_;
    const Authorizer& authorizer_;
    OutputState outputState_;
    std::map<std::string, std::unique_ptr<CaCertificateObject>> objects_;
    PendingReplies<sdbus::ObjectPath> importReplies_;
    PendingReplies<> removeReplies_;
    PendingReplies<uint32_t> reloadReplies_;
    UnpublishedObjects unpublished_; // last: its handler reads objects_
};

} // namespace certd
