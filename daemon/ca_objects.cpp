#include "ca_objects.h"

#include "base/error.h"
#include "bus_errors.h"
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
    , unpublished_(connection, std::string(bus::caPathPrefix),
                   [this](const std::string& path, const std::string& interface) {
                       return refuseUnpublished(path, interface);
                   })
{
}

void CaObjects::publishStored()
{
    auto changes = store_.loadOnWorker();
    spdlog::debug("Store loaded: {} CA certificates", changes.added.size());
    apply(changes, false);
    outputState_("trust bundle", changes.trustBundleProblem);
    spdlog::debug("Objects published");
}

void CaObjects::import(CaInspection inspection, sdbus::Result<sdbus::ObjectPath>&& reply)
{
    const auto ticket = importReplies_.add(std::move(reply));
    const auto fingerprint = inspection.details.fingerprint;
    store_.queueImport(std::make_shared<const CaInspection>(std::move(inspection)),
                       [this, ticket, fingerprint](const TrustStore::Outcome& outcome) {
                           auto reply = importReplies_.take(ticket);
                           try {
                               if (outcome.failure)
                                   std::rethrow_exception(outcome.failure);
                           } catch (const Error& error) {
                               // The existing object, by its path: what the caller can use.
                               if (error.code() != ErrorCode::AlreadyExists)
                                   return reply->returnError(toBusError(std::current_exception()));
                               return reply->returnError(busError(
                                   ErrorCode::AlreadyExists,
                                   std::string(error.what()) + "; its object is " + bus::caObjectPath(fingerprint)));
                           } catch (...) {
                               return reply->returnError(toBusError(std::current_exception()));
                           }
                           spdlog::info("Imported CA certificate \"{}\" ({})", outcome.stored->details.commonName,
                                        fingerprint);
                           publish(outcome.stored, true);
                           reply->returnResults(sdbus::ObjectPath(bus::caObjectPath(fingerprint)));
                       });
}

void CaObjects::remove(const std::string& fingerprint, sdbus::Result<>&& reply)
{
    const auto ticket = removeReplies_.add(std::move(reply));
    store_.queueRemove(fingerprint, [this, ticket, fingerprint](const TrustStore::Outcome& outcome) {
        auto reply = removeReplies_.take(ticket);
        if (outcome.failure)
            return reply->returnError(toBusError(outcome.failure));
        spdlog::info("Deleted CA certificate \"{}\" ({})", outcome.stored->details.commonName, fingerprint);
        retract(fingerprint, [&reply] { reply->returnResults(); });
    });
}

void CaObjects::reload(sdbus::Result<uint32_t>&& reply, std::function<void()> afterwards)
{
    const auto ticket = reloadReplies_.add(std::move(reply));
    store_.queueReload([this, ticket, afterwards = std::move(afterwards)](const TrustStoreChanges& changes) {
        auto reply = reloadReplies_.take(ticket);
        apply(changes, true);
        afterwards();
        reply->returnResults(static_cast<uint32_t>(store_.size()));
    });
}

void CaObjects::repairOutputs()
{
    store_.queueRepair(
        [this](const TrustStore::Repair& repair) { outputState_("trust directory", repair.trustDirectoryProblem); });
}

void CaObjects::writeManaged(ManagedObjectsWriter& writer) const
{
    for (const auto& [fingerprint, object] : objects_)
        object->writeManaged(writer);
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
        connection_, stored, authorizer_,
        [this](const std::string& fingerprint, sdbus::Result<>&& reply) { remove(fingerprint, std::move(reply)); });
    // The object is complete before anyone hears of it.
    if (announce)
        object->emitInterfacesAddedSignal();
    objects_[stored->fingerprint()] = std::move(object);
}

void CaObjects::retract(const std::string& fingerprint, const std::function<void()>& beforeUnregistering)
{
    const auto found = objects_.find(fingerprint);
    if (found == objects_.end()) {
        // Not published (the store's worker runs changes in order, so a
        // successful Delete always finds its object); the reply still goes.
        if (beforeUnregistering)
            beforeUnregistering();
        return;
    }
    try {
        found->second->emitInterfacesRemovedSignal();
    } catch (const sdbus::Error& error) {
        // The bus refused the signal (e.g. out of memory): the object still
        // goes, or it would stay published for a CA that is not stored.
        spdlog::warn("Could not announce the removal of CA certificate {}: {}", fingerprint, error.getMessage());
    }
    // A reply to the object's own Delete goes first: sd-bus checks a method
    // return against the result signature in the object's vtable, which
    // unregistering frees (replying after it failed with ENOMSG).
    if (beforeUnregistering)
        beforeUnregistering();
    // Off the bus at once, so no call or GetManagedObjects after the signal
    // and the reply finds it (such calls get NotFound from unpublished_); the
    // C++ object is destroyed after the current message is handled, which
    // may be one of its own.
    found->second->unregisterAdaptor();
    loop_.post([object = std::shared_ptr<CaCertificateObject>(std::move(found->second))] {});
    objects_.erase(found);
}

std::optional<UnpublishedObjects::Refusal> CaObjects::refuseUnpublished(const std::string& path,
                                                                        const std::string& interface) const
{
    if (interface != bus::caInterface && interface != "org.freedesktop.DBus.Properties")
        return std::nullopt;
    if (!path.starts_with(bus::caPathPrefix))
        return std::nullopt;
    const auto fingerprint = path.substr(bus::caPathPrefix.size());
    const bool wellFormed = fingerprint.size() == 64 &&
                            fingerprint.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (objects_.contains(fingerprint))
        return std::nullopt; // an unknown member of a published object is sd-bus's to answer
    if (!wellFormed) // what sd-bus would say without the fallback, which makes it say UnknownMethod
        return UnpublishedObjects::Refusal{"org.freedesktop.DBus.Error.UnknownObject", "Unknown object '" + path + "'."};
    return UnpublishedObjects::Refusal{
        std::string(bus::errorPrefix) + std::string(errorCodeName(ErrorCode::NotFound)),
        "No CA certificate with fingerprint " + fingerprint + " is stored (deleted, or never imported)"};
}

} // namespace certd
