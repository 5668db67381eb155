// certctl monitor: certd's signals as they come, one line each (JSON lines
// with --json). A plain match rule, so any user may follow them.
#include "commands.h"
#include "failure.h"

#include <ctime>
#include <iostream>
#include <utility>

namespace certd::cli {
namespace {

using Field = std::pair<std::string, nlohmann::json>;

nlohmann::json variantJson(const sdbus::Variant& value)
{
    const std::string type = value.peekValueType();
    if (type == "s")
        return value.get<std::string>();
    if (type == "o")
        return std::string(value.get<sdbus::ObjectPath>());
    if (type == "b")
        return value.get<bool>();
    if (type == "x")
        return value.get<std::int64_t>();
    if (type == "u")
        return value.get<std::uint32_t>();
    if (type == "i")
        return value.get<std::int32_t>();
    if (type == "as")
        return value.get<std::vector<std::string>>();
    return "(" + type + ")";
}

std::vector<Field> fieldsOf(sdbus::Message& message)
{
    const std::string member = message.getMemberName();
    std::vector<Field> fields;
    if (member == "TrustStoreChanged") {
        std::uint32_t count = 0;
        message >> count;
        fields.emplace_back("Count", count);
    } else if (member == "ApplianceCAChanged") {
        std::string fingerprint;
        message >> fingerprint;
        fields.emplace_back("Fingerprint", fingerprint);
    } else if (member == "RenewalFailed") {
        sdbus::ObjectPath path;
        std::string service;
        std::string reason;
        message >> path >> service >> reason;
        fields.emplace_back("Service", service);
        fields.emplace_back("Reason", reason);
    } else if (member == "HostCertificateChanged") {
        std::string service;
        sdbus::ObjectPath path;
        message >> service >> path;
        fields.emplace_back("Service", service);
    } else if (member == "CertificateExpiring" || member == "CertificateExpired") {
        sdbus::ObjectPath path;
        std::string commonName;
        std::int64_t notAfter = 0;
        message >> path >> commonName >> notAfter;
        fields.emplace_back("Certificate", std::string(path));
        fields.emplace_back("CommonName", commonName);
        fields.emplace_back("NotAfter", notAfter);
        fields.emplace_back("NotAfterUTC", isoDate(notAfter));
        if (member == "CertificateExpiring") {
            std::uint32_t days = 0;
            message >> days;
            fields.emplace_back("DaysLeft", days);
        }
    } else if (member == "InterfacesAdded") {
        sdbus::ObjectPath path;
        std::map<std::string, std::map<std::string, sdbus::Variant>> interfaces;
        message >> path >> interfaces;
        fields.emplace_back("Object", std::string(path));
        for (const auto& [name, properties] : interfaces)
            if (const auto found = properties.find("CommonName"); found != properties.end())
                fields.emplace_back("CommonName", variantJson(found->second));
    } else if (member == "InterfacesRemoved") {
        sdbus::ObjectPath path;
        message >> path;
        fields.emplace_back("Object", std::string(path));
    } else if (member == "PropertiesChanged") {
        std::string interface;
        std::map<std::string, sdbus::Variant> changed;
        message >> interface >> changed;
        fields.emplace_back("Object", message.getPath());
        for (const auto& [name, value] : changed) {
            fields.emplace_back(name, variantJson(value));
            if ((name == "NotBefore" || name == "NotAfter") && value.peekValueType() == "x")
                fields.emplace_back(name + "UTC", isoDate(value.get<std::int64_t>()));
        }
    }
    return fields;
}

void printEvent(Session& session, const std::string& event, const std::vector<Field>& fields)
{
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    if (session.json()) {
        nlohmann::json json{{"Event", event}};
        putDate(json, "Time", now);
        for (const auto& [key, value] : fields)
            json[key] = value;
        session.out << json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
        return;
    }
    std::string line = isoDate(now) + " " + event;
    for (const auto& [key, value] : fields)
        line += " " + key + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
    session.out << printable(line) << std::endl;
}

// sdbus-c++ 1.2 calls match handlers from sd-bus's C code without a catch:
// a signal that does not have the expected arguments is reported and skipped.
template <typename Handler>
auto guarded(Handler handler)
{
    return [handler](sdbus::Message& message) {
        try {
            handler(message);
        } catch (const std::exception& error) {
            std::cerr << "certctl: skipped a " << printable(message.getMemberName())
                      << " signal that could not be read: " << printable(error.what()) << std::endl;
        }
    };
}

} // namespace

int monitor(Session& session)
{
    auto& connection = session.bus.connection();
    const std::string certd = bus::serviceName;
    auto signals = connection.addMatch("type='signal',sender='" + certd + "'", guarded([&](sdbus::Message& message) {
        printEvent(session, message.getMemberName(), fieldsOf(message));
    }));
    auto owner = connection.addMatch(
        "type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',arg0='" + certd + "'",
        guarded([&](sdbus::Message& message) {
            std::string name, before, after;
            message >> name >> before >> after;
            printEvent(session, after.empty() ? "CertdStopped" : "CertdStarted", {});
        }));
    // After the matches are in place: a script may wait for this line.
    std::cerr << "Monitoring certd's signals; Ctrl-C stops." << std::endl;
    connection.enterEventLoop();
    return exitSuccess;
}

} // namespace certd::cli
