// certd's events as structured journal entries: each event type has its own
// MESSAGE_ID, explained in systemd/certd.catalog, and fields a monitoring
// tool can match on. Without a journal (run by hand, in tests) the same
// facts go to the log as one line.
#pragma once

#include <cstdint>
#include <string>

namespace certd {

namespace messageIds {
// Also in systemd/certd.catalog; never change a published ID.
inline constexpr const char* certificateExpiring = "5ff58168d63a42298ee7e3a5c2559f5d";
inline constexpr const char* certificateExpired = "a37aaf2f11784510964e7b948c7d44f0";
inline constexpr const char* certificateRenewed = "d4d0594c385f4434a5cb03fc7686b856";
inline constexpr const char* renewalFailed = "b53a97c9075e4193b7422cb8f2f7b633";
inline constexpr const char* applianceCaRotated = "275717201e07453695198ca4c7eda464";
inline constexpr const char* degraded = "9bb5adc068bb4564a9a920148ce3dec3";
inline constexpr const char* recovered = "d7041ad8be0a46dc870bd4b4242a9ed3";
} // namespace messageIds

// A certificate expiring, expired, renewed, or whose renewal failed.
struct CertificateEvent {
    const char* messageId;
    int priority; // syslog: 3 error, 4 warning, 5 notice
    std::string message;
    std::string object; // D-Bus object path
    std::string commonName;
    std::string fingerprint;
    std::int64_t notAfter = 0;
    int daysLeft = 0;
};

void logCertificateEvent(const CertificateEvent& event);

// Something certd must write could not be (subject: "trust bundle",
// "https", ...): certd serves what it has and retries.
void logDegradation(const std::string& subject, const std::string& message);
// It could be written again.
void logRecovery(const std::string& subject);

} // namespace certd
