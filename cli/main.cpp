// certctl: the administrator's front end to certd, over certd's public D-Bus
// API only (the same calls Cockpit and the appliance's services make).
#include "certd_build_config.h"
#include "commands.h"
#include "failure.h"
#include "output.h"

#include <CLI/CLI.hpp>
#include <sdbus-c++/Error.h>

#include <ctime>
#include <functional>
#include <iostream>

using namespace certd::cli;

namespace {

struct Arguments {
    BusOptions bus;
    std::string json = "off";
    bool noLegend = false;
    std::string id;
    std::vector<std::string> ids;
    std::string file;
    std::vector<std::string> files;
    bool all = false;
    bool yes = false;
    ExportOptions exportOptions;
    std::string service;
    std::string keyFile;
    std::string passphraseFile;
    GenerateOptions generate;
    RequestOptions request;
    RotateOptions rotate;
    std::uint32_t days = 0;
};

using Command = std::function<int(Session&)>;

void addExportOptions(CLI::App& command, ExportOptions& options)
{
    command.add_flag("--der", options.der, "DER instead of PEM");
    command.add_option("-o,--output", options.outputFile, "Write to FILE instead of standard output");
}

// The names of a new key's certificate: generate's, acme-request's, create-request's.
void addNameOptions(CLI::App& command, std::string& hostname, std::string& keyType, std::vector<std::string>& names)
{
    command.add_option("--hostname", hostname, "Common name (default: the system's host name)");
    command.add_option("--key-type", keyType, "Key type (default: ec-p256)")
        ->check(CLI::IsMember({"ec-p256", "ec-p384", "rsa-2048", "rsa-3072", "rsa-4096"}));
    command.add_option("--name", names, "A further DNS name, *.wildcard or IP address (repeatable)");
}

// Declares every verb; the chosen one's action is left in command.
void declare(CLI::App& app, Arguments& a, Command& command)
{
    const auto verb = [&](const char* name, const char* help, Command action) {
        auto* sub = app.add_subcommand(name, help);
        sub->callback([&command, action] { command = action; });
        return sub;
    };
    const auto services = CLI::IsMember({"https", "postgresql"});

    verb("status", "Show the trust store, the host certificates and what expires next (default)", showStatus);
    verb("list-cas", "List the stored CA certificates", listCas);
    verb("show-ca", "Show a stored CA certificate", [&](Session& s) { return showCa(s, a.id); })
        ->add_option("ID", a.id, "Fingerprint, unique fingerprint prefix (8+ hex digits) or common name")->required();
    verb("inspect-ca", "Show what certd would store for FILE, storing nothing",
         [&](Session& s) { return inspectCa(s, a.file); })
        ->add_option("FILE", a.file, "PEM or DER certificate; - for standard input")->required();
    auto* import = verb("import-ca", "Import CA certificates", [&](Session& s) { return importCa(s, a.files, a.all); });
    import->add_option("FILE", a.files, "PEM, DER or PKCS#7 files; - for standard input")->required();
    import->add_flag("--all", a.all, "Every certificate of each file, not only the first");
    auto* exportCaCommand = verb("export-ca", "Write a stored CA certificate",
                                 [&](Session& s) { return exportCa(s, a.id, a.exportOptions); });
    exportCaCommand->add_option("ID", a.id, "Fingerprint, prefix or common name")->required();
    addExportOptions(*exportCaCommand, a.exportOptions);
    verb("delete-ca", "Delete stored CA certificates", [&](Session& s) { return deleteCa(s, a.ids); })
        ->add_option("ID", a.ids, "Fingerprints, prefixes or common names")->required();
    verb("reload", "Re-read the CA store from disk", reloadCas);

    verb("show-host", "Show the host certificates", [&](Session& s) {
        return showHost(s, a.service.empty() ? std::nullopt : std::optional<std::string>(a.service));
    })->add_option("SERVICE", a.service, "https or postgresql")->check(services);
    auto* generate = verb("generate", "Generate a new key and certificate signed by the appliance CA",
                          [&](Session& s) { return generateHost(s, a.service, a.generate); });
    generate->add_option("SERVICE", a.service, "https or postgresql")->required()->check(services);
    addNameOptions(*generate, a.generate.hostname, a.generate.keyType, a.generate.names);
    generate->add_option("--days", a.generate.days, "Validity in days (1 to 825, default 397)");
    auto* acme = verb("acme-request", "Obtain the service's certificate from the ACME CA of certd.conf",
                      [&](Session& s) { return acmeRequest(s, a.service, a.generate); });
    acme->add_option("SERVICE", a.service, "https or postgresql")->required()->check(services);
    addNameOptions(*acme, a.generate.hostname, a.generate.keyType, a.generate.names);
    auto* upload = verb("upload", "Make your own certificate and key the service's",
                        [&](Session& s) { return uploadHost(s, a.service, a.file, a.keyFile, a.yes); });
    upload->add_option("SERVICE", a.service, "https or postgresql")->required()->check(services);
    upload->add_option("CERT", a.file, "Certificate and its chain, in any order (PEM or DER)")->required();
    upload->add_option("KEY", a.keyFile, "Private key without passphrase (PEM or DER)")->required();
    upload->add_flag("-y,--yes", a.yes, "Install despite warnings without asking");
    auto* inspect = verb("inspect-upload", "Show what upload would install and its warnings, changing nothing",
                         [&](Session& s) { return inspectUploadHost(s, a.service, a.file, a.keyFile); });
    inspect->add_option("SERVICE", a.service, "https or postgresql")->required()->check(services);
    inspect->add_option("CERT", a.file, "Certificate and its chain, in any order (PEM or DER)")->required();
    inspect->add_option("KEY", a.keyFile, "Private key without passphrase (PEM or DER)")->required();
    auto* uploadPkcs12 = verb("upload-pkcs12", "Make the certificate and key of a PKCS#12 file (.pfx, .p12) the service's",
                              [&](Session& s) { return uploadPkcs12Host(s, a.service, a.file, a.passphraseFile); });
    uploadPkcs12->add_option("SERVICE", a.service, "https or postgresql")->required()->check(services);
    uploadPkcs12->add_option("FILE", a.file, "The PKCS#12 file; - for standard input")->required();
    uploadPkcs12->add_option("--passphrase-file", a.passphraseFile,
                             "Read the passphrase from this file's first line (default: ask on the terminal)");
    auto* request = verb("create-request", "Make a key on the appliance and a certificate request for your CA",
                         [&](Session& s) { return createRequest(s, a.service, a.request); });
    request->add_option("SERVICE", a.service, "https or postgresql")->required()->check(services);
    addNameOptions(*request, a.request.hostname, a.request.keyType, a.request.names);
    request->add_option("--organization", a.request.organization, "Subject O=");
    request->add_option("--organizational-unit", a.request.organizationalUnit, "Subject OU=");
    request->add_option("--country", a.request.country, "Subject C=, two capital letters");
    request->add_option("--state", a.request.state, "Subject ST=");
    request->add_option("--locality", a.request.locality, "Subject L=");
    request->add_option("--email", a.request.email, "Subject emailAddress=");
    request->add_option("-o,--output", a.request.outputFile, "Write the request to FILE instead of standard output");
    auto* exportRequestCommand = verb("export-request", "Write the pending certificate request again",
                                      [&](Session& s) { return exportRequest(s, a.service, a.exportOptions.outputFile); });
    exportRequestCommand->add_option("SERVICE", a.service, "https or postgresql")->required()->check(services);
    exportRequestCommand->add_option("-o,--output", a.exportOptions.outputFile,
                                     "Write to FILE instead of standard output");
    verb("cancel-request", "Forget the pending certificate request and its key",
         [&](Session& s) { return cancelRequest(s, a.service); })
        ->add_option("SERVICE", a.service, "https or postgresql")->required()->check(services);
    auto* install = verb("install-certificate", "Install the certificate your CA issued for the pending request",
                         [&](Session& s) { return installCertificate(s, a.service, a.file); });
    install->add_option("SERVICE", a.service, "https or postgresql")->required()->check(services);
    install->add_option("FILE", a.file, "Certificate, optionally followed by its chain (PEM or DER); - for standard input")
        ->required();
    auto* exportHostCommand = verb("export-host", "Write a service's certificate (never its key)",
                                   [&](Session& s) { return exportHost(s, a.service, a.exportOptions); });
    exportHostCommand->add_option("SERVICE", a.service, "https or postgresql")->required()->check(services);
    addExportOptions(*exportHostCommand, a.exportOptions);
    auto* applianceCa = verb("export-appliance-ca", "Write the appliance CA's certificate, for browsers",
                             [&](Session& s) { return exportApplianceCa(s, a.exportOptions); });
    addExportOptions(*applianceCa, a.exportOptions);
    auto* rotate = verb("rotate-appliance-ca",
                        "Replace the appliance CA and issue the generated host certificates again under it",
                        [&](Session& s) { return rotateApplianceCa(s, a.rotate); });
    rotate->add_option("--common-name", a.rotate.commonName, "Common name of the new CA (default: as configured)");
    rotate->add_option("--key-type", a.rotate.keyType, "Key type (default: [ApplianceCA] KeyType=)")
        ->check(CLI::IsMember({"ec-p256", "ec-p384", "rsa-2048", "rsa-3072", "rsa-4096"}));
    rotate->add_option("--days", a.rotate.days, "Validity in days (365 to 7305, default 3652)");

    verb("list-expiring", "List certificates that expired or expire soon (changes nothing)",
         [&](Session& s) { return listExpiring(s, a.days); })
        ->add_option("--days", a.days, "Within this many days (default: the widest [Expiry] WarnDays)");
    verb("check-expiry", "Run certd's expiry check: announcements and renewals", checkExpiry);
    verb("monitor", "Follow certd's signals, one line each", monitor);
}

JsonMode jsonMode(const std::string& value)
{
    return value == "short" ? JsonMode::Short : value == "pretty" ? JsonMode::Pretty : JsonMode::Off;
}

int run(const Arguments& arguments, const Command& command)
{
    CertdBus bus(arguments.bus);
    Session session{bus, {jsonMode(arguments.json), !arguments.noLegend}, std::cout,
                    static_cast<std::int64_t>(std::time(nullptr))};
    return command(session);
}

} // namespace

int main(int argc, char** argv)
{
    Arguments arguments;
    Command command = showStatus;
    CLI::App app{"certctl: manage the appliance's certificates through certd"};
    app.set_version_flag("--version", std::string("certctl ") + CERTD_VERSION);
    app.add_option("-H,--host", arguments.bus.host, "Operate on certd of [USER@]HOST, over SSH");
    app.add_option("--json", arguments.json, "JSON output: short, pretty or off")
        ->check(CLI::IsMember({"short", "pretty", "off"}));
    app.add_flag("--no-legend", arguments.noLegend, "No table headers and counts");
    app.add_flag("--no-ask-password", [&](std::int64_t) { arguments.bus.askPassword = false; },
                 "Do not let polkit ask for a password");
    app.require_subcommand(0, 1);
    app.fallthrough();
    declare(app, arguments, command);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error);
        return code == 0 ? exitSuccess : exitUsage;
    }
    try {
        const int code = run(arguments, command);
        // A full disk or a closed pipe behind standard output is a failure,
        // not a silently shortened listing.
        if (!(std::cout << std::flush))
            throw std::runtime_error("could not write to standard output");
        return code;
    } catch (const sdbus::Error& error) {
        std::cerr << "certctl: " << printable(messageFor(error), true) << "\n";
        return exitCodeFor(error);
    } catch (const Failure& failure) {
        std::cerr << "certctl: " << printable(failure.what(), true) << "\n";
        return failure.exitCode();
    } catch (const std::exception& error) {
        std::cerr << "certctl: " << printable(error.what(), true) << "\n";
        return exitFailure;
    }
}
