// The CA store's verbs: list-cas, show-ca, inspect-ca, import-ca, export-ca,
// delete-ca, reload.
#include "commands.h"
#include "export_output.h"
#include "failure.h"
#include "ids.h"
#include "input.h"
#include "properties.h"

#include <sdbus-c++/Error.h>

#include <algorithm>
#include <iostream>

namespace certd::cli {
namespace {

// Points into the ManagedObjects it was made from: keep those alive.
struct StoredCa {
    std::string path;
    std::string fingerprint;
    const Properties* properties;
};

std::vector<StoredCa> storedCas(const ManagedObjects& objects)
{
    std::vector<StoredCa> cas;
    for (const auto& [path, interfaces] : objects)
        if (path.starts_with(bus::caPathPrefix))
            if (const auto found = interfaces.find(bus::caInterface); found != interfaces.end())
                cas.push_back({path, path.substr(bus::caPathPrefix.size()), &found->second});
    std::sort(cas.begin(), cas.end(), [](const StoredCa& a, const StoredCa& b) {
        const auto nameA = textOf(*a.properties, "CommonName");
        const auto nameB = textOf(*b.properties, "CommonName");
        return nameA != nameB ? nameA < nameB : a.fingerprint < b.fingerprint;
    });
    return cas;
}

// The stored CA id means; Failure(InvalidArgument's code) listing candidates.
StoredCa resolve(const std::vector<StoredCa>& cas, const std::string& id)
{
    std::vector<CaSummary> summaries;
    for (const auto& ca : cas)
        summaries.push_back({ca.fingerprint, textOf(*ca.properties, "CommonName")});
    try {
        const std::string fingerprint = resolveCaId(id, summaries);
        return *std::find_if(cas.begin(), cas.end(), [&](const StoredCa& ca) { return ca.fingerprint == fingerprint; });
    } catch (const std::invalid_argument& error) {
        throw Failure(exitCodeForCertdError("NotFound"), error.what());
    }
}

// "\"Example Root CA\" (3f1d0c9a2b4e)"
std::string named(const std::string& commonName, const std::string& fingerprint)
{
    return "\"" + (commonName.empty() ? std::string("Empty Common Name") : printable(commonName)) + "\" (" +
           shortFingerprint(fingerprint) + ")";
}

std::string expiryCell(std::int64_t notAfter, std::int64_t now)
{
    return isoDate(notAfter).substr(0, 10) + " (" + relativeTime(notAfter, now) + ")";
}

void printCa(Session& session, const Properties& properties, nlohmann::json json)
{
    Fields fields;
    describe(properties, caPropertyViews(), session.now, fields, json);
    if (session.json())
        printJson(session.out, json, session.output.json);
    else
        fields.print(session.out);
}

struct ImportOutcome {
    int exitCode = exitSuccess;
    std::string line;
};

ImportOutcome importOne(Session& session, const Bytes& data, const std::string& what)
{
    auto call = session.bus.changeCall(bus::managerPath, bus::managerInterface, "ImportCACertificate");
    call << data;
    sdbus::ObjectPath path;
    try {
        auto reply = session.bus.call(call);
        reply >> path;
    } catch (const sdbus::Error& error) {
        const int code = exitCodeFor(error);
        // Already there is what the administrator wanted: not a failure.
        if (code == exitCodeForCertdError("AlreadyExists"))
            return {exitSuccess, "Already stored: " + what + ": " + error.getMessage()};
        return {code, "Refused: " + what + ": " + messageFor(error)};
    }
    try {
        client::CaProxy ca(session.bus.connection(), path);
        const Properties properties = ca.GetAll(bus::caInterface);
        return {exitSuccess, "Imported " + named(textOf(properties, "CommonName"), textOf(properties, "Fingerprint")) +
                                 ", expires " + humanDate(numberOf(properties, "NotAfter"), session.now) + "."};
    } catch (const sdbus::Error&) {
        // Imported all the same (deleted again meanwhile, say): say what is known.
        return {exitSuccess, "Imported " + what + " as " + std::string(path) + "."};
    }
}

std::string whatOf(const Bytes& der, const std::string& file, std::size_t index, std::size_t count)
{
    std::string what = count > 1 ? "certificate " + std::to_string(index + 1) + " of " + file : file;
    if (const auto name = commonNameOf(der); !name.empty())
        what += " (\"" + name + "\")";
    return what;
}

} // namespace

int listCas(Session& session)
{
    const auto objects = session.bus.objects();
    const auto cas = storedCas(objects);
    if (session.json()) {
        auto list = nlohmann::json::array();
        for (const auto& ca : cas) {
            Fields unused;
            nlohmann::json json{{"Object", ca.path}};
            describe(*ca.properties, caPropertyViews(), session.now, unused, json);
            list.push_back(json);
        }
        printJson(session.out, list, session.output.json);
        return exitSuccess;
    }
    Table table({"FINGERPRINT", "COMMON NAME", "EXPIRES", "SELF-SIGNED"});
    for (const auto& ca : cas) {
        const auto name = textOf(*ca.properties, "CommonName");
        table.add({shortFingerprint(ca.fingerprint), name.empty() ? "Empty Common Name" : name,
                   expiryCell(numberOf(*ca.properties, "NotAfter"), session.now),
                   flagOf(*ca.properties, "SelfSigned") ? "yes" : "no"});
    }
    table.print(session.out, session.output.legend);
    if (session.output.legend)
        session.out << "\n" << cas.size() << " CA certificate" << (cas.size() == 1 ? "" : "s") << " listed.\n";
    return exitSuccess;
}

int showCa(Session& session, const std::string& id)
{
    const auto objects = session.bus.objects();
    const auto ca = resolve(storedCas(objects), id);
    printCa(session, *ca.properties, {{"Object", ca.path}});
    return exitSuccess;
}

int inspectCa(Session& session, const std::string& file)
{
    const Properties details = session.bus.manager().InspectCACertificate(readInput(file));
    nlohmann::json json;
    Fields fields;
    describe(details, caPropertyViews(), session.now, fields, json);
    const bool stored = flagOf(details, "AlreadyImported");
    const auto ignored = details.count("AdditionalCertificatesIgnored")
                             ? details.at("AdditionalCertificatesIgnored").get<std::uint32_t>()
                             : 0u;
    fields.add("Stored", stored ? "yes, already imported" : "no");
    if (ignored > 0)
        fields.add("Ignored", std::to_string(ignored) + " further certificate" + (ignored == 1 ? "" : "s") +
                                  " in the file (import-ca --all takes every one)");
    json["AlreadyImported"] = stored;
    json["AdditionalCertificatesIgnored"] = ignored;
    if (session.json())
        printJson(session.out, json, session.output.json);
    else
        fields.print(session.out);
    return exitSuccess;
}

int importCa(Session& session, const std::vector<std::string>& files, bool all)
{
    int exitCode = exitSuccess;
    // Each file and certificate is reported and the first failure's status
    // kept; one bad file does not stop the others.
    const auto report = [&](const ImportOutcome& outcome) {
        (outcome.exitCode == exitSuccess ? session.out : std::cerr) << printable(outcome.line) << "\n";
        if (exitCode == exitSuccess)
            exitCode = outcome.exitCode;
    };
    for (const auto& file : files) {
        std::vector<Bytes> certificates;
        std::size_t unreadable = 0;
        try {
            const Bytes data = readInput(file);
            certificates = all ? splitBundle(data, &unreadable) : std::vector<Bytes>{data};
        } catch (const std::exception& error) {
            report({exitFailure, "Refused: " + std::string(error.what())});
            continue;
        }
        if (unreadable > 0)
            report({exitCodeForCertdError("InvalidCertificate"),
                    "Skipped: " + std::to_string(unreadable) + " block" + (unreadable == 1 ? "" : "s") + " of " + file +
                        " that " + (unreadable == 1 ? "is" : "are") + " no readable certificate"});
        if (certificates.empty() && unreadable == 0)
            report({exitCodeForCertdError("InvalidCertificate"),
                    "Refused: " + file + " holds no certificate (PEM, DER or PKCS#7 expected)"});
        for (std::size_t i = 0; i < certificates.size(); ++i)
            report(importOne(session, certificates[i],
                             all ? whatOf(certificates[i], file, i, certificates.size()) : file));
    }
    return exitCode;
}

int exportCa(Session& session, const std::string& id, const ExportOptions& options)
{
    const auto objects = session.bus.objects(); // ca points into it
    const auto ca = resolve(storedCas(objects), id);
    client::CaProxy proxy(session.bus.connection(), ca.path);
    const auto data = proxy.Export(exportFormat(options));
    writeExport(session, data, options, "CA certificate " + named(textOf(*ca.properties, "CommonName"), ca.fingerprint));
    return exitSuccess;
}

int deleteCa(Session& session, const std::vector<std::string>& ids)
{
    const auto objects = session.bus.objects();
    const auto cas = storedCas(objects);
    std::vector<StoredCa> chosen;
    for (const auto& id : ids) { // every id is checked before anything is deleted
        auto ca = resolve(cas, id);
        // Two IDs of one CA (a prefix and its name) delete it once.
        if (std::none_of(chosen.begin(), chosen.end(), [&](const StoredCa& c) { return c.fingerprint == ca.fingerprint; }))
            chosen.push_back(std::move(ca));
    }
    for (const auto& ca : chosen) {
        auto call = session.bus.changeCall(ca.path, bus::caInterface, "Delete");
        session.bus.call(call);
        session.out << "Deleted CA certificate " << named(textOf(*ca.properties, "CommonName"), ca.fingerprint) << ".\n";
    }
    return exitSuccess;
}

int reloadCas(Session& session)
{
    auto call = session.bus.changeCall(bus::managerPath, bus::managerInterface, "Reload");
    auto reply = session.bus.call(call);
    std::uint32_t count = 0;
    reply >> count;
    session.out << "Reloaded the CA store: " << count << " CA certificate" << (count == 1 ? "" : "s") << ".\n";
    return exitSuccess;
}

} // namespace certd::cli
