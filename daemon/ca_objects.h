// The published CA objects, kept in step with the trust store: every change
// to the store goes through here, so the objects on the bus (and
// InterfacesAdded/Removed) always match what is stored. It only translates:
// the rules are lib/trust's.
#pragma once

#include "ca_certificate_object.h"
#include "trust/trust_store.h"

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

    // The new object's path. AlreadyExists names the existing object.
    std::string import(const CaInspection& inspection);
    void remove(const std::string& fingerprint);
    // Returns how many CAs are stored afterwards.
    std::uint32_t reload();

private:
    void apply(const TrustStoreChanges& changes, bool announce);
    void publish(const StoredCaPtr& stored, bool announce);
    void retract(const std::string& fingerprint);

    sdbus::IConnection& connection_;
    TrustStore& store_;
    EventLoop& loop_;
    const Authorizer& authorizer_;
    OutputState outputState_;
    std::map<std::string, std::unique_ptr<CaCertificateObject>> objects_;
};

} // namespace certd
