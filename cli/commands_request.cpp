// Certificate requests: create-request, export-request, cancel-request,
// install-certificate. The key is made by certd and never leaves it; what
// certctl handles is the request (public) and the CA's certificate.
#include "commands.h"
#include "export_output.h"
#include "failure.h"
#include "host_calls.h"
#include "input.h"

#include <iostream>

namespace certd::cli {
namespace {

std::map<std::string, sdbus::Variant> requestOptions(const RequestOptions& options)
{
    std::map<std::string, sdbus::Variant> map;
    const auto put = [&](const char* name, const std::string& value) {
        if (!value.empty())
            map[name] = value;
    };
    put("Hostname", options.hostname);
    put("KeyType", options.keyType);
    if (!options.names.empty())
        map["AdditionalNames"] = options.names;
    put("Organization", options.organization);
    put("OrganizationalUnit", options.organizationalUnit);
    put("Country", options.country);
    put("State", options.state);
    put("Locality", options.locality);
    put("Email", options.email);
    return map;
}

void writeRequest(Session& session, const std::vector<std::uint8_t>& request, const std::string& outputFile,
                  const std::string& service)
{
    writeExport(session, request, ExportOptions{false, outputFile}, "the " + service + " certificate request");
}

} // namespace

int createRequest(Session& session, const std::string& service, const RequestOptions& options)
{
    knownService(session, service);
    auto call = session.bus.changeCall(bus::hostObjectPath(service), bus::hostInterface, "CreateRequest");
    call << requestOptions(options);
    auto reply = session.bus.call(call);
    std::vector<std::uint8_t> request;
    reply >> request;
    writeRequest(session, request, options.outputFile, service);
    std::cerr << "The key stays on the appliance. Have your CA sign the request, then install its certificate "
                 "with: certctl install-certificate "
              << service << " FILE\n";
    return exitSuccess;
}

int exportRequest(Session& session, const std::string& service, const std::string& outputFile)
{
    knownService(session, service);
    client::HostProxy host(session.bus.connection(), service);
    writeRequest(session, host.ExportRequest(), outputFile, service);
    return exitSuccess;
}

int cancelRequest(Session& session, const std::string& service)
{
    knownService(session, service);
    auto call = session.bus.changeCall(bus::hostObjectPath(service), bus::hostInterface, "CancelRequest");
    session.bus.call(call);
    session.out << "Cancelled the pending " << service << " request; its key is gone.\n";
    return exitSuccess;
}

int installCertificate(Session& session, const std::string& service, const std::string& file)
{
    knownService(session, service);
    const Bytes certificate = readInput(file);
    auto call = session.bus.changeCall(bus::hostObjectPath(service), bus::hostInterface, "InstallCertificate");
    call << certificate;
    session.bus.call(call);
    const auto properties = hostProperties(session, service);
    session.out << "Installed the " << service << " certificate for the pending request: "
                << summary(session, properties) << ", issued by \"" << textOf(properties, "IssuerCommonName")
                << "\".\n";
    noteHostnameMismatch(properties);
    return exitSuccess;
}

} // namespace certd::cli
