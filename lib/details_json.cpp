#include "details_json.h"

#include <nlohmann/json.hpp>

namespace certd {

nlohmann::json detailsToJson(const CertificateDetails& d)
{
    return nlohmann::json::array({d.commonName, d.subject, d.issuer, d.issuerCommonName, d.serialNumber,
                                  d.notBefore, d.notAfter, d.fingerprint, d.selfSigned, d.keyType,
                                  d.signatureAlgorithm, d.pathLength, d.subjectAlternativeNames});
}

CertificateDetails detailsFromJson(const nlohmann::json& json)
{
    CertificateDetails d;
    std::size_t i = 0;
    json.at(i++).get_to(d.commonName);
    json.at(i++).get_to(d.subject);
    json.at(i++).get_to(d.issuer);
    json.at(i++).get_to(d.issuerCommonName);
    json.at(i++).get_to(d.serialNumber);
    json.at(i++).get_to(d.notBefore);
    json.at(i++).get_to(d.notAfter);
    json.at(i++).get_to(d.fingerprint);
    json.at(i++).get_to(d.selfSigned);
    json.at(i++).get_to(d.keyType);
    json.at(i++).get_to(d.signatureAlgorithm);
    json.at(i++).get_to(d.pathLength);
    json.at(i++).get_to(d.subjectAlternativeNames);
    return d;
}

} // namespace certd
