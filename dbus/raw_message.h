// The sd_bus_message inside an sdbus::Message. sdbus-c++ 1.2 keeps it in a
// protected member and lacks accessors for some of its header (flags, the
// bus it belongs to); a derived type may name the member. Internal to dbus/.
#pragma once

#include <sdbus-c++/Message.h>
#include <systemd/sd-bus.h>

namespace certd {

struct RawMessage : sdbus::Message {
    static sd_bus_message* of(const sdbus::Message& message)
    {
        return static_cast<sd_bus_message*>(message.*(&RawMessage::msg_));
    }
};

} // namespace certd
