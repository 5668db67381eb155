// The host certificates' verbs: show-host, generate, upload, upload-pkcs12,
// export-host, export-appliance-ca.
#include "commands.h"
#include "export_output.h"
#include "failure.h"
#include "input.h"
#include "base/secret.h"
#include "passphrase.h"
#include "host_calls.h"
#include "properties.h"

#include <unistd.h>

#include <iostream>

namespace certd::cli {
namespace {

std::map<std::string, sdbus::Variant> generationOptions(const GenerateOptions& options)
{
    std::map<std::string, sdbus::Variant> map;
    if (!options.hostname.empty())
        map["Hostname"] = options.hostname;
    if (!options.keyType.empty())
        map["KeyType"] = options.keyType;
    if (options.days)
        map["ValidityDays"] = *options.days;
    if (!options.names.empty())
        map["AdditionalNames"] = options.names;
    return map;
}

} // namespace

int showHost(Session& session, const std::optional<std::string>& service)
{
    const auto services = service ? std::vector<std::string>{knownService(session, *service)}
                                  : servicesOf(session.bus.objects());
    auto list = nlohmann::json::array();
    for (std::size_t i = 0; i < services.size(); ++i) {
        Fields fields;
        nlohmann::json json;
        describe(hostProperties(session, services[i]), hostPropertyViews(), session.now, fields, json);
        list.push_back(json);
        if (!session.json()) {
            if (i > 0)
                session.out << "\n";
            fields.print(session.out);
        }
    }
    if (session.json())
        printJson(session.out, service ? list.front() : list, session.output.json);
    return exitSuccess;
}

int generateHost(Session& session, const std::string& service, const GenerateOptions& options)
{
    knownService(session, service);
    auto call = session.bus.changeCall(bus::hostObjectPath(service), bus::hostInterface, "Generate");
    call << generationOptions(options);
    callWithProgress(session, call, "Generating a key and certificate for " + service + "...");
    const auto properties = hostProperties(session, service);
    session.out << "Generated a new " << service << " certificate: " << summary(session, properties) << ".\n";
    noteHostnameMismatch(properties);
    return exitSuccess;
}

int acmeRequest(Session& session, const std::string& service, const GenerateOptions& options)
{
    knownService(session, service);
    auto call = session.bus.changeCall(bus::hostObjectPath(service), bus::hostInterface, "RequestFromACME");
    call << generationOptions(options);
    callWithProgress(session, call,
                     "Ordering the " + service + " certificate from the ACME CA (challenges can take a minute)...");
    const auto properties = hostProperties(session, service);
    session.out << "Installed the " << service << " certificate from the ACME CA: " << summary(session, properties)
                << ".\n";
    noteHostnameMismatch(properties);
    return exitSuccess;
}

namespace {

// Fields and JSON of InspectUpload's answer; its warnings, as a list.
std::vector<std::string> describeInspection(Session& session, const Properties& properties, Fields& fields,
                                            nlohmann::json& json)
{
    describe(properties, hostPropertyViews(), session.now, fields, json);
    std::vector<std::string> warnings;
    if (const auto found = properties.find("Warnings"); found != properties.end())
        warnings = found->second.get<std::vector<std::string>>();
    json["Warnings"] = warnings;
    return warnings;
}

Properties inspectUpload(Session& session, const std::string& service, const Bytes& certificate, const Bytes& key)
{
    client::HostProxy host(session.bus.connection(), service);
    return host.InspectUpload(certificate, key);
}

// On a terminal: whether the administrator wants to go on despite warnings.
bool confirmed()
{
    std::cerr << "Install it anyway? [y/N] " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    return answer == "y" || answer == "Y" || answer == "yes";
}

} // namespace

int inspectUploadHost(Session& session, const std::string& service, const std::string& certificateFile,
                      const std::string& keyFile)
{
    knownService(session, service);
    const auto properties = inspectUpload(session, service, readInput(certificateFile), readInput(keyFile));
    Fields fields;
    nlohmann::json json;
    const auto warnings = describeInspection(session, properties, fields, json);
    if (session.json()) {
        printJson(session.out, json, session.output.json);
        return exitSuccess;
    }
    fields.print(session.out);
    for (const auto& warning : warnings)
        session.out << "Warning: " << warning << "\n";
    return exitSuccess;
}

int uploadHost(Session& session, const std::string& service, const std::string& certificateFile,
               const std::string& keyFile, bool yes)
{
    knownService(session, service);
    const Bytes certificate = readInput(certificateFile);
    const Bytes key = readInput(keyFile);
    Fields fields;
    nlohmann::json json;
    const auto warnings = describeInspection(session, inspectUpload(session, service, certificate, key), fields, json);
    for (const auto& warning : warnings)
        std::cerr << "Warning: " << warning << "\n";
    const bool ask = !warnings.empty() && !yes && certificateFile != "-" && keyFile != "-" && ::isatty(STDIN_FILENO);
    if (ask && !confirmed())
        throw Failure(exitFailure, "Not installed; nothing changed");
    auto call = session.bus.changeCall(bus::hostObjectPath(service), bus::hostInterface, "Upload");
    call << certificate << key;
    session.bus.call(call);
    const auto properties = hostProperties(session, service);
    session.out << "Uploaded the " << service << " certificate: " << summary(session, properties) << ", issued by \""
                << textOf(properties, "IssuerCommonName") << "\".\n";
    noteHostnameMismatch(properties);
    return exitSuccess;
}

int uploadPkcs12Host(Session& session, const std::string& service, const std::string& file,
                     const std::string& passphraseFile)
{
    knownService(session, service);
    if (file == "-" && passphraseFile == "-")
        throw Failure(exitUsage, "The file and the passphrase cannot both come from standard input");
    const Bytes data = readInput(file);
    std::string passphrase =
        passphraseFile.empty() ? askPassphrase("Passphrase for " + file + ": ") : passphraseFromFile(passphraseFile);
    auto call = session.bus.changeCall(bus::hostObjectPath(service), bus::hostInterface, "UploadPKCS12");
    call << data << passphrase;
    wipe(passphrase);
    session.bus.call(call);
    const auto properties = hostProperties(session, service);
    session.out << "Uploaded the " << service << " certificate from " << file << ": " << summary(session, properties)
                << ", issued by \"" << textOf(properties, "IssuerCommonName") << "\".\n";
    noteHostnameMismatch(properties);
    return exitSuccess;
}

int exportHost(Session& session, const std::string& service, const ExportOptions& options)
{
    knownService(session, service);
    client::HostProxy host(session.bus.connection(), service);
    writeExport(session, host.Export(exportFormat(options)), options, "the " + service + " certificate");
    return exitSuccess;
}

int rotateApplianceCa(Session& session, const RotateOptions& options)
{
    std::map<std::string, sdbus::Variant> map;
    if (!options.commonName.empty())
        map["CommonName"] = options.commonName;
    if (!options.keyType.empty())
        map["KeyType"] = options.keyType;
    if (options.days)
        map["ValidityDays"] = *options.days;
    auto call = session.bus.changeCall(bus::managerPath, bus::managerInterface, "RotateApplianceCA");
    call << map;
    callWithProgress(session, call, "Making a new appliance CA and issuing the host certificates again...");
    auto& manager = session.bus.manager();
    session.out << "The appliance CA is now \"" << manager.ApplianceCACommonName() << "\", valid until "
                << humanDate(manager.ApplianceCANotAfter(), session.now) << ".\n";
    session.out << "Fingerprint (SHA-256): " << manager.ApplianceCAFingerprint() << "\n";
    std::cerr << "Have browsers and clients trust it (certctl export-appliance-ca) before the overlap ends.\n";
    return exitSuccess;
}

int exportApplianceCa(Session& session, const ExportOptions& options)
{
    writeExport(session, session.bus.manager().ExportApplianceCA(exportFormat(options)), options, "the appliance CA");
    return exitSuccess;
}

} // namespace certd::cli
