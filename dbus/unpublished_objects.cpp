#include "unpublished_objects.h"

#include "raw_message.h"

#include <stdexcept>

namespace certd {
namespace {

int answer(sd_bus_message* message, void* userdata, sd_bus_error* error)
{
    const auto& handler = *static_cast<const UnpublishedObjects::Handler*>(userdata);
    const char* path = sd_bus_message_get_path(message);
    const char* interface = sd_bus_message_get_interface(message);
    if (!path || !interface)
        return 0;
    uint8_t type = 0;
    if (sd_bus_message_get_type(message, &type) < 0 || type != SD_BUS_MESSAGE_METHOD_CALL)
        return 0;
    try {
        const auto refusal = handler(path, interface);
        if (!refusal)
            return 0;
        return sd_bus_error_set(error, refusal->errorName.c_str(), refusal->message.c_str());
    } catch (...) {
        return 0; // never let an exception cross sd-bus's C frames
    }
}

} // namespace

UnpublishedObjects::UnpublishedObjects(sdbus::IConnection& connection, const std::string& prefix, Handler handler)
    : handler_(std::move(handler))
{
    // sd-bus wants the prefix without its trailing slash.
    const auto trimmed = prefix.size() > 1 && prefix.back() == '/' ? prefix.substr(0, prefix.size() - 1) : prefix;
    slot_ = std::make_unique<BusSlot>(
        [&](sd_bus_slot** slot) {
            return sd_bus_add_fallback(busOf(connection, trimmed), slot, trimmed.c_str(), answer, &handler_);
        },
        "install the D-Bus fallback for " + trimmed);
}

UnpublishedObjects::~UnpublishedObjects() = default;

} // namespace certd
