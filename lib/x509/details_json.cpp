#include "x509/details_json.h"

#include "base/json_reading.h"

namespace certd {

nlohmann::json detailsToJson(const CertificateDetails& d)
{
    return nlohmann::json::array({d.commonName, d.subject, d.issuer, d.issuerCommonName, d.serialNumber,
                                  d.notBefore, d.notAfter, d.fingerprint, d.selfSigned, d.keyType,
                                  d.signatureAlgorithm, d.pathLength, d.subjectAlternativeNames});
}

CertificateDetails detailsFromJson(const nlohmann::json& array)
{
    using namespace certd::json;
    CertificateDetails d;
    std::size_t i = 0;
    d.commonName = text(element(array, i++));
    d.subject = text(element(array, i++));
    d.issuer = text(element(array, i++));
    d.issuerCommonName = text(element(array, i++));
    d.serialNumber = text(element(array, i++));
    d.notBefore = integer<std::int64_t>(element(array, i++));
    d.notAfter = integer<std::int64_t>(element(array, i++));
    d.fingerprint = text(element(array, i++));
    d.selfSigned = boolean(element(array, i++));
    d.keyType = text(element(array, i++));
    d.signatureAlgorithm = text(element(array, i++));
    d.pathLength = integer<int>(element(array, i++));
    d.subjectAlternativeNames = texts(element(array, i++));
    return d;
}

} // namespace certd
