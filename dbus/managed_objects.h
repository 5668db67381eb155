// org.freedesktop.DBus.ObjectManager.GetManagedObjects answered by certd
// instead of sd-bus. sd-bus builds the reply by walking its object tree and
// calling every property getter through sdbus-c++: at 1,000 CAs that is
// 13,000 callbacks, each wrapping the reply in a C++ message and copying a
// string, about 17 ms of the bus thread per call. Here the owner writes
// each object's properties straight into the reply.
//
// Invariants: the reply has sd-bus's form, a{oa{sa{sv}}} with every child
// object of the manager path, each with the three standard interfaces
// (Peer, Introspectable, Properties) and its own with every property; the
// owner's fill must list exactly the objects and properties published (the
// integration test compares the reply with GetAll of every object). sd-bus
// tries an object's own callbacks before its built-in interfaces, so the
// handler sees the call first; every other call goes on to sd-bus. Install
// and destroy on the connection's thread, or before its loop runs.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

typedef struct sd_bus_message sd_bus_message;

namespace sdbus {
class IConnection;
}

namespace certd {

class BusSlot;

// Writes one reply. Every call may throw std::system_error (out of memory,
// or a message grown past what D-Bus allows): the reply is then an error.
class ManagedObjectsWriter {
public:
    explicit ManagedObjectsWriter(sd_bus_message* reply) : reply_(reply) {}

    // An object and its interface; the standard interfaces come with it.
    void beginObject(const std::string& path, const char* interface);
    void property(const char* name, const std::string& value);
    void property(const char* name, std::int64_t value);
    void property(const char* name, std::int32_t value);
    void property(const char* name, bool value);
    void property(const char* name, const std::vector<std::string>& value);
    void endObject();

private:
    template <typename Append>
    void variant(const char* name, const char* signature, Append append);

    sd_bus_message* reply_;
};

class ManagedObjects {
public:
    using Fill = std::function<void(ManagedObjectsWriter&)>;

    ManagedObjects(sdbus::IConnection& connection, const std::string& managerPath, Fill fill);
    ~ManagedObjects();
    ManagedObjects(const ManagedObjects&) = delete;
    ManagedObjects& operator=(const ManagedObjects&) = delete;

private:
    Fill fill_;
    std::unique_ptr<BusSlot> slot_;
};

} // namespace certd
