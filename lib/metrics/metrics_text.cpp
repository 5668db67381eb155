#include "metrics/metrics_text.h"

#include <vector>

namespace certd {
namespace {

void family(std::string& out, const char* name, const char* type, const char* help)
{
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

// {kind="ca",service="",fingerprint="...",common_name="..."}
void appendCertificateLabels(std::string& out, const WatchedCertificate& certificate)
{
    out.append("{kind=\"").append(kindName(certificate));
    out.append("\",service=\"").append(escapeLabelValue(certificate.service));
    out.append("\",fingerprint=\"").append(certificate.fingerprint);
    out.append("\",common_name=\"").append(escapeLabelValue(certificate.commonName)).append("\"}");
}

// The three per-certificate families, each written whole in one pass over the certificates.
void appendCertificates(std::string& out, const MetricsSnapshot& snapshot)
{
    std::string notBefore, expired;
    family(out, "certd_certificate_not_after_seconds", "gauge",
           "End of a certificate's validity, seconds since the Unix epoch.");
    family(notBefore, "certd_certificate_not_before_seconds", "gauge",
           "Start of a certificate's validity, seconds since the Unix epoch.");
    family(expired, "certd_certificate_expired", "gauge", "1 when the certificate has expired, else 0.");
    std::string labels;
    snapshot.forEachCertificate([&](const WatchedCertificate& certificate) {
        labels.clear();
        appendCertificateLabels(labels, certificate);
        out.append("certd_certificate_not_after_seconds").append(labels).append(" ")
            .append(std::to_string(certificate.notAfter)).append("\n");
        notBefore.append("certd_certificate_not_before_seconds").append(labels).append(" ")
            .append(std::to_string(certificate.notBefore)).append("\n");
        expired.append("certd_certificate_expired").append(labels)
            .append(certificate.notAfter <= snapshot.now ? " 1\n" : " 0\n");
    });
    out.append(notBefore).append(expired);
}

} // namespace

std::string escapeLabelValue(std::string_view value)
{
    std::string escaped;
    escaped.reserve(value.size());
    for (const char c : value) {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '"')
            escaped += "\\\"";
        else if (c == '\n')
            escaped += "\\n";
        else
            escaped += c;
    }
    return escaped;
}

std::string renderMetrics(const MetricsSnapshot& snapshot)
{
    std::string out;
    appendCertificates(out, snapshot);
    family(out, "certd_trust_store_certificates", "gauge", "CA certificates in certd's trust store.");
    out.append("certd_trust_store_certificates ").append(std::to_string(snapshot.trustStoreCertificates)).append("\n");
    family(out, "certd_renewal_failures_total", "counter",
           "Failed renewals of generated host certificates since certd started.");
    for (const auto& [service, failures] : snapshot.renewalFailures)
        out.append("certd_renewal_failures_total{service=\"").append(escapeLabelValue(service)).append("\"} ")
            .append(std::to_string(failures)).append("\n");
    if (snapshot.lastCheck > 0) {
        family(out, "certd_last_check_timestamp_seconds", "gauge",
               "When certd last checked for expiry, seconds since the Unix epoch.");
        out.append("certd_last_check_timestamp_seconds ").append(std::to_string(snapshot.lastCheck)).append("\n");
    }
    return out;
}

} // namespace certd
