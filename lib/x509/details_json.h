// CertificateDetails as JSON, for the files that remember them (the details
// cache, the host certificate records), so that reading those files never
// needs OpenSSL.
#pragma once

#include "x509/certificate_details.h"

#include <nlohmann/json_fwd.hpp>

namespace certd {

nlohmann::json detailsToJson(const CertificateDetails& details);
// Error(Internal) saying what is wrong when json is not what detailsToJson makes.
CertificateDetails detailsFromJson(const nlohmann::json& json);

} // namespace certd
