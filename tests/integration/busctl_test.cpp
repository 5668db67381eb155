// What an administrator does with busctl, on a bus that enforces the
// shipped D-Bus policy, as root and as an unprivileged user.
#include "certd_fixture.h"
#include "process.h"
#include "temp_dir.h"
#include "test_paths.h"

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <set>
#include <sstream>

namespace certd::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using bus::managerInterface;
using bus::caInterface;

// busctl's byte-array form: ay <count> <byte> <byte> ..., or for several
// arrays ayay <count> <byte>... <count> <byte>...
std::vector<std::string> byteArrays(const std::vector<std::string>& arrays)
{
    std::string signature;
    std::vector<std::string> values;
    for (const auto& data : arrays) {
        signature += "ay";
        values.push_back(std::to_string(data.size()));
        for (unsigned char byte : data)
            values.push_back(std::to_string(byte));
    }
    values.insert(values.begin(), signature);
    return values;
}

std::vector<std::string> byteArguments(const std::string& data)
{
    return byteArrays({data});
}

// dbus-send's form: array:byte:48,130,...
std::string dbusSendBytes(const std::string& data)
{
    std::string bytes;
    for (unsigned char byte : data)
        bytes += (bytes.empty() ? "" : ",") + std::to_string(byte);
    return "array:byte:" + bytes;
}

const std::vector<std::string> asNobody = {"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"};

class BusctlTest : public CertdFixture {
protected:
    BusctlTest() : CertdFixture(TestBus::Policy::System) {}

    CommandResult busctl(std::vector<std::string> arguments, bool unprivileged = false)
    {
        std::vector<std::string> argv = unprivileged ? asNobody : std::vector<std::string>{};
        argv.insert(argv.end(), {"busctl", "--address=" + bus_.address()});
        argv.insert(argv.end(), arguments.begin(), arguments.end());
        return runCommand(argv);
    }

    CommandResult call(const std::string& path, const std::string& interface, const std::string& method,
                       const std::vector<std::string>& arguments = {}, bool unprivileged = false)
    {
        std::vector<std::string> argv{"--json=short", "call", certdName, path, interface, method};
        argv.insert(argv.end(), arguments.begin(), arguments.end());
        return busctl(argv, unprivileged);
    }

    // The error name, as dbus-send prints it ("Error org.certd...: message").
    std::string errorNameViaDbusSend(const std::string& path, const std::string& member,
                                     const std::vector<std::string>& arguments, bool unprivileged)
    {
        std::vector<std::string> argv = unprivileged ? asNobody : std::vector<std::string>{};
        argv.insert(argv.end(), {"dbus-send", "--bus=" + bus_.address(), "--print-reply",
                                 "--dest=" + std::string(certdName), path, member});
        argv.insert(argv.end(), arguments.begin(), arguments.end());
        const auto result = runCommand(argv);
        const auto start = result.err.find("Error ");
        if (start == std::string::npos)
            return "";
        const auto name = result.err.substr(start + 6);
        return name.substr(0, name.find(':'));
    }

    static nlohmann::json json(const CommandResult& result)
    {
        EXPECT_EQ(result.exitCode, 0) << result.err;
        return nlohmann::json::parse(result.out);
    }
};

TEST_F(BusctlTest, AdministratorWorkflow)
{
    const auto ca = makeCa("Corporate Proxy CA");

    const auto inspected = json(call(managerPath, managerInterface, "InspectCACertificate", byteArguments(ca.pem())));
    EXPECT_EQ(inspected["data"][0]["CommonName"]["data"], "Corporate Proxy CA");
    EXPECT_EQ(inspected["data"][0]["AlreadyImported"]["data"], false);

    const auto der = ca.der();
    const auto imported = json(call(managerPath, managerInterface, "ImportCACertificate",
                                    byteArguments(std::string(der.begin(), der.end()))));
    const std::string path = imported["data"][0];
    EXPECT_EQ(path, caPath(ca));

    EXPECT_THAT(busctl({"tree", certdName}).out, HasSubstr(path));
    EXPECT_THAT(busctl({"introspect", certdName, path}).out, HasSubstr(".Delete"));
    EXPECT_EQ(busctl({"get-property", certdName, path, caInterface, "CommonName"}).out, "s \"Corporate Proxy CA\"\n");
    EXPECT_THAT(busctl({"get-property", certdName, managerPath, managerInterface, "TrustDirectory"}).out,
                HasSubstr("trust/certs"));

    const auto exported = json(call(path, caInterface, "Export", {"s", "pem"}));
    std::string pem;
    for (const auto& byte : exported["data"][0])
        pem.push_back(static_cast<char>(byte.get<int>()));
    EXPECT_EQ(pem, ca.pem());

    EXPECT_EQ(json(call(managerPath, managerInterface, "Reload"))["data"][0], 1);
    EXPECT_EQ(call(path, caInterface, "Delete").exitCode, 0);
    EXPECT_THAT(busctl({"tree", certdName}).out, Not(HasSubstr(path)));
}

TEST_F(BusctlTest, ManagedObjectsAreListed)
{
    const auto ca = makeCa("Listed");
    import(ca);
    const auto objects = json(busctl({"--json=short", "call", certdName, managerPath,
                                      "org.freedesktop.DBus.ObjectManager", "GetManagedObjects"}));
    EXPECT_EQ(objects["data"][0][caPath(ca)][caInterface]["CommonName"]["data"], "Listed");
}

// certd writes GetManagedObjects itself (dbus/managed_objects.h): it must
// list exactly the published objects, each with the interfaces
// introspection shows and, for its own interface, what GetAll returns.
TEST_F(BusctlTest, ManagedObjectsAreWhatIntrospectionAndGetAllSay)
{
    const auto kept = makeCa("Kept");
    import(kept);
    EXPECT_EQ(call(import(makeCa("Deleted")), caInterface, "Delete").exitCode, 0);
    const auto objects = json(call(managerPath, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects"))["data"][0];

    std::set<std::string> listed;
    for (const auto& [path, interfaces] : objects.items())
        listed.insert(path);
    EXPECT_EQ(listed, (std::set<std::string>{bus::hostObjectPath("https"), bus::hostObjectPath("postgresql"),
                                             caPath(kept)}));
    for (const auto& [path, interfaces] : objects.items()) {
        SCOPED_TRACE(path);
        std::set<std::string> introspected;
        std::istringstream lines(busctl({"introspect", certdName, path}).out);
        for (std::string name, type; lines >> name >> type; lines.ignore(1 << 16, '\n'))
            if (type == "interface")
                introspected.insert(name);
        std::set<std::string> interfaceNames;
        for (const auto& [interface, properties] : interfaces.items()) {
            interfaceNames.insert(interface);
            const auto all = json(call(path, "org.freedesktop.DBus.Properties", "GetAll", {"s", interface}));
            EXPECT_EQ(properties, all["data"][0]) << interface;
        }
        EXPECT_EQ(interfaceNames, introspected);
    }
}

TEST_F(BusctlTest, RefusalsCarryTheReason)
{
    CertificateSpec spec;
    spec.notBefore = now() - 10 * day;
    spec.notAfter = now() - day;
    const auto pem = makeCertificate(spec).pem();
    const auto result = call(managerPath, managerInterface, "ImportCACertificate", byteArguments(pem));
    EXPECT_NE(result.exitCode, 0);
    EXPECT_THAT(result.err, HasSubstr("expired on"));

    EXPECT_EQ(errorNameViaDbusSend(managerPath, std::string(bus::managerInterface) + ".ImportCACertificate",
                                   {dbusSendBytes(pem)}, false),
              "org.certd.Certd1.Error.Expired");
}

TEST_F(BusctlTest, UnprivilegedUsersMayReadButNotChange)
{
    const auto ca = makeCa("Guarded");
    const auto path = import(ca);

    EXPECT_EQ(call(managerPath, managerInterface, "InspectCACertificate", byteArguments(ca.pem()), true).exitCode, 0);
    EXPECT_EQ(busctl({"get-property", certdName, path, caInterface, "CommonName"}, true).exitCode, 0);
    EXPECT_EQ(call(path, caInterface, "Export", {"s", "der"}, true).exitCode, 0);

    const auto refusedImport = call(managerPath, managerInterface, "ImportCACertificate",
                                    byteArguments(makeCa("Sneaky").pem()), true);
    EXPECT_NE(refusedImport.exitCode, 0);
    EXPECT_THAT(refusedImport.err, HasSubstr("Only root may import CA certificates; the caller runs as uid 65534"));
    EXPECT_NE(call(path, caInterface, "Delete", {}, true).exitCode, 0);
    EXPECT_NE(call(managerPath, managerInterface, "Reload", {}, true).exitCode, 0);
    EXPECT_EQ(errorNameViaDbusSend(path, std::string(bus::caInterface) + ".Delete", {}, true),
              "org.certd.Certd1.Error.AccessDenied");
    EXPECT_EQ(errorNameViaDbusSend(managerPath, std::string(bus::managerInterface) + ".Reload", {}, true),
              "org.certd.Certd1.Error.AccessDenied");
    EXPECT_EQ(caPaths(), std::vector<std::string>{path});
}

TEST_F(BusctlTest, OnlyRootMayOwnTheName)
{
    const std::vector<std::string> requestName = {
        "dbus-send", "--bus=" + bus_.address(), "--print-reply", "--dest=org.freedesktop.DBus",
        "/org/freedesktop/DBus", "org.freedesktop.DBus.RequestName", "string:org.certd.Certd1", "uint32:4"};
    std::vector<std::string> unprivileged = asNobody;
    unprivileged.insert(unprivileged.end(), requestName.begin(), requestName.end());
    const auto nobody = runCommand(unprivileged);
    EXPECT_NE(nobody.exitCode, 0);
    EXPECT_THAT(nobody.err, HasSubstr("org.freedesktop.DBus.Error.AccessDenied"));

    // Root is allowed to queue for it (certd, running as root, already owns it).
    const auto root = runCommand(requestName);
    EXPECT_EQ(root.exitCode, 0) << root.err;
    EXPECT_THAT(root.out, HasSubstr("uint32 3")); // DBUS_REQUEST_NAME_REPLY_EXISTS
}

using bus::hostInterface;
const std::string httpsPath = bus::hostObjectPath("https");

TEST_F(BusctlTest, HostCertificateWorkflow)
{
    const auto generated = call(httpsPath, hostInterface, "Generate",
                                {"a{sv}", "3", "Hostname", "s", "probe.example.com", "KeyType", "s", "rsa-2048",
                                 "AdditionalNames", "as", "1", "192.0.2.7"});
    ASSERT_EQ(generated.exitCode, 0) << generated.err;
    EXPECT_EQ(busctl({"get-property", certdName, httpsPath, hostInterface, "SubjectAlternativeNames"}).out,
              "as 3 \"DNS:probe.example.com\" \"DNS:probe\" \"IP:192.0.2.7\"\n");
    EXPECT_EQ(busctl({"get-property", certdName, httpsPath, hostInterface, "KeyType"}).out, "s \"RSA 2048\"\n");

    const auto ca = json(call(managerPath, managerInterface, "ExportApplianceCA", {"s", "pem"}));
    EXPECT_GT(ca["data"][0].size(), 100u);

    const auto own = makeCa("Own CA");
    const auto leaf = makeCertificate(serverSpec("own.example.com", own));
    const auto uploadArguments = byteArrays({leaf.pem(), leaf.keyPem()});
    const auto uploaded = call(httpsPath, hostInterface, "Upload", uploadArguments);
    ASSERT_EQ(uploaded.exitCode, 0) << uploaded.err;
    EXPECT_EQ(busctl({"get-property", certdName, httpsPath, hostInterface, "Origin"}).out, "s \"uploaded\"\n");

    const auto exported = json(call(httpsPath, hostInterface, "Export", {"s", "pem"}));
    std::string pem;
    for (const auto& byte : exported["data"][0])
        pem.push_back(static_cast<char>(byte.get<int>()));
    EXPECT_EQ(pem, leaf.pem());

    // Unprivileged: may look, may not change.
    EXPECT_EQ(call(httpsPath, hostInterface, "Export", {"s", "der"}, true).exitCode, 0);
    const auto generate = call(httpsPath, hostInterface, "Generate", {"a{sv}", "0"}, true);
    EXPECT_THAT(generate.err, HasSubstr("Only root may generate host certificates"));
    const auto upload = call(httpsPath, hostInterface, "Upload", uploadArguments, true);
    EXPECT_THAT(upload.err, HasSubstr("Only root may upload host certificates"));
    EXPECT_EQ(errorNameViaDbusSend(httpsPath, std::string(bus::hostInterface) + ".Upload",
                                   {dbusSendBytes(leaf.pem()), dbusSendBytes(leaf.keyPem())}, true),
              "org.certd.Certd1.Error.AccessDenied");
    EXPECT_EQ(busctl({"get-property", certdName, httpsPath, hostInterface, "Origin"}).out, "s \"uploaded\"\n");
}

// Every signal argument named in dbus/*.xml is named at run time too, so
// busctl introspect, d-feet and generated clients see the names.
TEST_F(BusctlTest, RuntimeIntrospectionNamesSignalArguments)
{
    const auto runtime = json(call(managerPath, "org.freedesktop.DBus.Introspectable", "Introspect"))["data"][0]
                             .get<std::string>();
    const auto declared = readTextFile(sourceDirectory() / "dbus" / "org.certd.Certd1.Manager.xml");
    const std::regex signalElement(R"re(<signal name="(\w+)">([\s\S]*?)</signal>)re");
    const std::regex argName(R"re(<arg name="(\w+)")re");
    int checked = 0;
    for (std::sregex_iterator signal(declared.begin(), declared.end(), signalElement), end; signal != end; ++signal) {
        const std::string name = (*signal)[1];
        const auto start = runtime.find("<signal name=\"" + name + "\">");
        ASSERT_NE(start, std::string::npos) << name << " is not introspectable";
        const auto element = runtime.substr(start, runtime.find("</signal>", start) - start);
        const std::string args = (*signal)[2];
        for (std::sregex_iterator arg(args.begin(), args.end(), argName); arg != end; ++arg, ++checked)
            EXPECT_THAT(element, HasSubstr("name=\"" + (*arg)[1].str() + "\"")) << "in signal " << name;
    }
    EXPECT_GE(checked, 8) << "the XML's signals were not found";
}

class BusctlAdminGroupTest : public BusctlTest {
protected:
    BusctlAdminGroupTest() { config_ = "[Access]\nAdminGroup=nogroup\n"; }
};

TEST_F(BusctlAdminGroupTest, MembersOfTheAdminGroupMayChange)
{
    const auto ca = makeCa("Imported by an admin");
    const auto imported = call(managerPath, managerInterface, "ImportCACertificate", byteArguments(ca.pem()), true);
    ASSERT_EQ(imported.exitCode, 0) << imported.err;
    EXPECT_EQ(call(managerPath, managerInterface, "Reload", {}, true).exitCode, 0);
    EXPECT_EQ(call(caPath(ca), caInterface, "Delete", {}, true).exitCode, 0);
    EXPECT_TRUE(caPaths().empty());
}

} // namespace
} // namespace certd::test
