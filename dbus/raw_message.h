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

// A callback registered with sd-bus (sd_bus_add_object, _fallback, ...) for
// as long as this lives. add is the sd_bus_add_* call, given the slot to
// fill; what says what was registered, for the error.
class BusSlot {
public:
    template <typename Add>
    BusSlot(Add add, const std::string& what)
    {
        const int result = add(&slot_);
        if (result < 0)
            throw std::runtime_error("Could not " + what + ": error " + std::to_string(-result));
    }
    ~BusSlot() { sd_bus_slot_unref(slot_); }
    BusSlot(const BusSlot&) = delete;
    BusSlot& operator=(const BusSlot&) = delete;

private:
    sd_bus_slot* slot_ = nullptr;
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
