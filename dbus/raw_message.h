// The sd_bus_message inside an sdbus::Message, and the sd_bus* behind an
// sdbus::IConnection. sdbus-c++ 1.2 keeps the message in a protected member
// and lacks accessors for some of its header (flags, the bus it belongs
// to); a derived type may name the member. Internal to dbus/.
#pragma once

#include <sdbus-c++/IObject.h>
#include <sdbus-c++/Message.h>
#include <systemd/sd-bus.h>

#include <stdexcept>
#include <string>

namespace certd {

struct RawMessage : sdbus::Message {
    static sd_bus_message* of(const sdbus::Message& message)
    {
        return static_cast<sd_bus_message*>(message.*(&RawMessage::msg_));
    }
};

// sdbus-c++ 1.2 exposes no sd_bus* of a connection, but a message made on
// it knows its bus.
inline sd_bus* busOf(sdbus::IConnection& connection, const std::string& path)
{
    // An object that is never registered (no vtable): it only makes a signal
    // message, which is never sent.
    const auto probe = sdbus::createObject(connection, path);
    const auto signal = probe->createSignal("org.certd.Probe", "Probe");
    sd_bus* bus = sd_bus_message_get_bus(RawMessage::of(signal));
    if (!bus)
        throw std::runtime_error("No sd-bus connection behind the sdbus-c++ connection");
    return bus;
}

} // namespace certd
