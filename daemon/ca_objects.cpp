#include "ca_objects.h"

#include "base/error.h"
#include "bus_names.h"
#include "event_loop.h"

#include <spdlog/spdlog.h>

namespace certd {

CaObjects::CaObjects(sdbus::IConnection& connection, TrustStore& store, EventLoop& loop, const Authorizer& authorizer,
                     OutputState outputState)
    : connection_(connection)
    , store_(store)
    , loop_(loop)
    , authorizer_(authorizer)
    , outputState_(std::move(outputState))
{
}

void CaObjects::publishStored()
{
    auto changes = store_.load();
    spdlog::debug("Store loaded: {} CA certificates", changes.added.size());
    apply(changes, false);
    outputState_("trust bundle", changes.trustBundleProblem);
    spdlog::debug("Objects published");
}

std::string CaObjects::import(const CaInspection& inspection)
{
    StoredCaPtr stored;
    try {
        stored = store_.import(inspection);
    } catch (const Error& error) {
        if (error.code() != ErrorCode::AlreadyExists)
            throw;
        throw Error(ErrorCode::AlreadyExists,
                    std::string(error.what()) + "; its object is " + bus::caObjectPath(inspection.details.fingerprint));
    }
    spdlog::info("Imported CA certificate \"{}\" ({})", stored->details.commonName,
                 stored->fingerprint());
    publish(stored, true);
    return bus::caObjectPath(stored->fingerprint());
}

void CaObjects::remove(const std::string& fingerprint)
{
    const StoredCaPtr stored = store_.find(fingerprint);
    store_.remove(fingerprint);
    spdlog::info("Deleted CA certificate \"{}\" ({})", stored->details.commonName, fingerprint);
    retract(fingerprint);
}

std::uint32_t CaObjects::reload()
{
    apply(store_.load(), true);
    return static_cast<std::uint32_t>(store_.size());
}

void CaObjects::apply(const TrustStoreChanges& changes, bool announce)
{
    outputState_("trust directory", changes.trustDirectoryProblem);
    for (const auto& problem : changes.problems)
        spdlog::warn("Skipped a file in the CA store: {}", problem);
    for (const auto& stored : changes.removed)
        retract(stored->fingerprint());
    for (const auto& stored : changes.added)
        publish(stored, announce);
    if (announce && (!changes.added.empty() || !changes.removed.empty()))
        spdlog::info("Reload: {} CA certificates added, {} removed", changes.added.size(),
                     changes.removed.size());
}

void CaObjects::publish(const StoredCaPtr& stored, bool announce)
{
    auto object = std::make_unique<CaCertificateObject>(
        connection_, stored, authorizer_, [this](const std::string& fingerprint) { remove(fingerprint); });
    // The object is complete before anyone hears of it.
    if (announce)
        object->emitInterfacesAddedSignal();
    objects_[stored->fingerprint()] = std::move(object);
}

void CaObjects::retract(const std::string& fingerprint)
{
    const auto found = objects_.find(fingerprint);
    if (found == objects_.end())
        return;
    found->second->emitInterfacesRemovedSignal();
    // Destroyed after the current message is handled: it may be that
    // object's own Delete call.
    loop_.post([object = std::shared_ptr<CaCertificateObject>(std::move(found->second))] {});
    objects_.erase(found);
}

} // namespace certd
