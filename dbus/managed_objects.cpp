#include "managed_objects.h"

#include "raw_message.h"

#include <stdexcept>
#include <system_error>

namespace certd {
namespace {

void check(int result)
{
    if (result < 0)
        throw std::system_error(-result, std::generic_category(), "Could not build the GetManagedObjects reply");
}

// What sd-bus lists for every object: these interfaces, without properties.
constexpr const char* standardInterfaces[] = {"org.freedesktop.DBus.Peer", "org.freedesktop.DBus.Introspectable",
                                              "org.freedesktop.DBus.Properties"};

} // namespace

void ManagedObjectsWriter::beginObject(const std::string& path, const char* interface)
{
    check(sd_bus_message_open_container(reply_, SD_BUS_TYPE_DICT_ENTRY, "oa{sa{sv}}"));
    check(sd_bus_message_append_basic(reply_, SD_BUS_TYPE_OBJECT_PATH, path.c_str()));
    check(sd_bus_message_open_container(reply_, SD_BUS_TYPE_ARRAY, "{sa{sv}}"));
    for (const char* standard : standardInterfaces)
        check(sd_bus_message_append(reply_, "{sa{sv}}", standard, 0));
    check(sd_bus_message_open_container(reply_, SD_BUS_TYPE_DICT_ENTRY, "sa{sv}"));
    check(sd_bus_message_append_basic(reply_, SD_BUS_TYPE_STRING, interface));
    check(sd_bus_message_open_container(reply_, SD_BUS_TYPE_ARRAY, "{sv}"));
}

template <typename Append>
void ManagedObjectsWriter::variant(const char* name, const char* signature, Append append)
{
    check(sd_bus_message_open_container(reply_, SD_BUS_TYPE_DICT_ENTRY, "sv"));
    check(sd_bus_message_append_basic(reply_, SD_BUS_TYPE_STRING, name));
    check(sd_bus_message_open_container(reply_, SD_BUS_TYPE_VARIANT, signature));
    append();
    check(sd_bus_message_close_container(reply_));
    check(sd_bus_message_close_container(reply_));
}

void ManagedObjectsWriter::property(const char* name, const std::string& value)
{
    variant(name, "s", [&] { check(sd_bus_message_append_basic(reply_, SD_BUS_TYPE_STRING, value.c_str())); });
}

void ManagedObjectsWriter::property(const char* name, std::int64_t value)
{
    variant(name, "x", [&] { check(sd_bus_message_append_basic(reply_, SD_BUS_TYPE_INT64, &value)); });
}

void ManagedObjectsWriter::property(const char* name, std::int32_t value)
{
    variant(name, "i", [&] { check(sd_bus_message_append_basic(reply_, SD_BUS_TYPE_INT32, &value)); });
}

void ManagedObjectsWriter::property(const char* name, bool value)
{
    const int asInt = value ? 1 : 0;
    variant(name, "b", [&] { check(sd_bus_message_append_basic(reply_, SD_BUS_TYPE_BOOLEAN, &asInt)); });
}

void ManagedObjectsWriter::property(const char* name, const std::vector<std::string>& value)
{
    variant(name, "as", [&] {
        check(sd_bus_message_open_container(reply_, SD_BUS_TYPE_ARRAY, "s"));
        for (const auto& item : value)
            check(sd_bus_message_append_basic(reply_, SD_BUS_TYPE_STRING, item.c_str()));
        check(sd_bus_message_close_container(reply_));
    });
}

void ManagedObjectsWriter::endObject()
{
    check(sd_bus_message_close_container(reply_)); // {sv} array
    check(sd_bus_message_close_container(reply_)); // the interface's entry
    check(sd_bus_message_close_container(reply_)); // {sa{sv}} array
    check(sd_bus_message_close_container(reply_)); // the object's entry
}

namespace {

int answer(sd_bus_message* call, void* userdata, sd_bus_error* error)
{
    if (!sd_bus_message_is_method_call(call, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects"))
        return 0;
    if (!sd_bus_message_get_expect_reply(call))
        return 1; // nobody waits for the answer
    const auto& fill = *static_cast<const ManagedObjects::Fill*>(userdata);
    sd_bus_message* reply = nullptr;
    int result = sd_bus_message_new_method_return(call, &reply);
    if (result < 0)
        return result;
    try {
        check(sd_bus_message_open_container(reply, SD_BUS_TYPE_ARRAY, "{oa{sa{sv}}}"));
        ManagedObjectsWriter writer(reply);
        fill(writer);
        check(sd_bus_message_close_container(reply));
        result = sd_bus_send(nullptr, reply, nullptr);
    } catch (const std::system_error& failure) {
        result = sd_bus_error_set_errno(error, failure.code().value());
    } catch (...) {
        result = sd_bus_error_set(error, SD_BUS_ERROR_FAILED, "Could not list the objects"); // never across C frames
    }
    sd_bus_message_unref(reply);
    return result < 0 ? result : 1;
}

} // namespace

ManagedObjects::ManagedObjects(sdbus::IConnection& connection, const std::string& managerPath, Fill fill)
    : fill_(std::move(fill))
{
    slot_ = std::make_unique<BusSlot>(
        [&](sd_bus_slot** slot) {
            return sd_bus_add_object(busOf(connection, managerPath), slot, managerPath.c_str(), answer, &fill_);
        },
        "take over GetManagedObjects on " + managerPath);
}

ManagedObjects::~ManagedObjects() = default;

} // namespace certd
