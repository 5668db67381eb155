#include "message_flags.h"

#include <sdbus-c++/Message.h>
#include <systemd/sd-bus.h>

namespace certd {
namespace {

// sdbus-c++ 1.2 keeps the sd_bus_message in a protected member and offers
// no accessor for these flags: a derived type may name the member.
struct RawMessage : sdbus::Message {
    static sd_bus_message* of(const sdbus::Message& message)
    {
        return static_cast<sd_bus_message*>(message.*(&RawMessage::msg_));
    }
};

} // namespace

bool allowsInteractiveAuthorization(const sdbus::Message& message)
{
    sd_bus_message* raw = RawMessage::of(message);
    return raw && sd_bus_message_get_allow_interactive_authorization(raw) > 0;
}

void allowInteractiveAuthorization(sdbus::Message& message)
{
    if (sd_bus_message* raw = RawMessage::of(message))
        sd_bus_message_set_allow_interactive_authorization(raw, 1);
}

} // namespace certd
