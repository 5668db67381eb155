// What the host certificate verbs share: the services certd has, a
// service's properties and their one-line summary, and long calls.
#pragma once

#include "commands.h"
#include "properties.h"

#include <sdbus-c++/Message.h>

#include <string>
#include <vector>

namespace certd::cli {

std::vector<std::string> servicesOf(const ManagedObjects& objects);

// service, checked against the services certd has (a Failure naming them).
std::string knownService(Session& session, const std::string& service);

Properties hostProperties(Session& session, const std::string& service);

// "\"probe.example.com\" (EC P-256), expires ..."
std::string summary(Session& session, const Properties& properties);

// On standard error, when the certificate does not match the host name.
void noteHostnameMismatch(const Properties& properties);

// Waits for the call, turning a spinner on a terminal while it lasts (an
// RSA-4096 key can take many seconds); rethrows certd's error.
void callWithProgress(Session& session, sdbus::MethodCall& call, const std::string& doing);

} // namespace certd::cli
