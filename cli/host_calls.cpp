#include "host_calls.h"

#include "failure.h"

#include <unistd.h>

#include <algorithm>
#include <future>
#include <iostream>

namespace certd::cli {

std::vector<std::string> servicesOf(const ManagedObjects& objects)
{
    std::vector<std::string> services;
    for (const auto& [path, interfaces] : objects)
        if (path.starts_with(bus::hostPathPrefix) && interfaces.count(bus::hostInterface))
            services.push_back(path.substr(bus::hostPathPrefix.size()));
    return services;
}

std::string knownService(Session& session, const std::string& service)
{
    const auto services = servicesOf(session.bus.objects());
    if (std::find(services.begin(), services.end(), service) != services.end())
        return service;
    std::string known;
    for (const auto& name : services)
        known += (known.empty() ? "" : ", ") + name;
    throw Failure(exitCodeForCertdError("InvalidArgument"),
                  "certd has no service \"" + service + "\"; its services are: " + known);
}

Properties hostProperties(Session& session, const std::string& service)
{
    client::HostProxy host(session.bus.connection(), service);
    return host.GetAll(bus::hostInterface);
}

std::string summary(Session& session, const Properties& properties)
{
    return "\"" + textOf(properties, "CommonName") + "\" (" + textOf(properties, "KeyType") + "), expires " +
           humanDate(numberOf(properties, "NotAfter"), session.now);
}

void noteHostnameMismatch(const Properties& properties)
{
    if (!flagOf(properties, "HostnameMatches"))
        std::cerr << "Note: the certificate does not match this appliance's host name; clients will warn.\n";
}

void callWithProgress(Session& session, sdbus::MethodCall& call, const std::string& doing)
{
    auto reply = std::async(std::launch::async, [&] { return session.bus.call(call); });
    const bool show = ::isatty(STDERR_FILENO) && !session.json();
    static const char spinner[] = "|/-\\";
    for (unsigned turn = 0; reply.wait_for(std::chrono::milliseconds(150)) != std::future_status::ready; ++turn)
        if (show)
            std::cerr << "\r" << doing << " " << spinner[turn % 4] << std::flush;
    if (show)
        std::cerr << "\r" << std::string(doing.size() + 2, ' ') << "\r" << std::flush;
    reply.get(); // rethrows certd's error
}

} // namespace certd::cli
