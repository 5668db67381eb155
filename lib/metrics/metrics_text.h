// certd's state in the Prometheus text exposition format (version 0.0.4),
// for node_exporter's textfile collector: per certificate its validity and
// whether it expired (the appliance CA too), the trust store's size, failed renewals, and when
// the last expiry check ran.
//
// Invariants: every label value is escaped as the format requires
// (backslash, double quote, line feed), so no certificate's Common Name can
// break a line or forge a series; each metric family has one HELP and one
// TYPE line and its samples together; names follow Prometheus' conventions
// (units in the name, _total for counters).
#pragma once

#include "expiry/expiry_checker.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace certd {

struct MetricsSnapshot {
    std::int64_t now = 0; // for certd_certificate_expired
    // Every certificate certd owns, as the expiry check sees them; called
    // once per rendering, on the thread that renders.
    std::function<void(const ExpiryChecker::Sources::Visit&)> forEachCertificate;
    std::size_t trustStoreCertificates = 0;
    std::map<std::string, std::uint64_t> renewalFailures; // by service, since certd started
    std::int64_t lastCheck = 0;                           // 0: no check since certd started
};

std::string renderMetrics(const MetricsSnapshot& snapshot);

// A label value as the text format writes it between double quotes.
std::string escapeLabelValue(std::string_view value);

} // namespace certd
