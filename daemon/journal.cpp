#include "journal.h"

#include "logging.h"
#include "base/clock.h"
#include "base/text.h"

#include <spdlog/spdlog.h>
#include <systemd/sd-journal.h>

namespace certd {

void logCertificateEvent(const CertificateEvent& event)
{
    if (loggingToJournal()) {
        sd_journal_send("MESSAGE=%s", event.message.c_str(), "MESSAGE_ID=%s", event.messageId, "PRIORITY=%i",
                        event.priority, "SYSLOG_IDENTIFIER=certd", "CERTD_OBJECT=%s", event.object.c_str(),
                        "CERTD_COMMON_NAME=%s", event.commonName.c_str(), "CERTD_FINGERPRINT=%s",
                        event.fingerprint.c_str(), "CERTD_NOT_AFTER=%lld", static_cast<long long>(event.notAfter),
                        "CERTD_NOT_AFTER_UTC=%s", formatUtcTime(event.notAfter).c_str(), "CERTD_DAYS_LEFT=%i",
                        event.daysLeft, nullptr);
        return;
    }
    const auto level = event.priority <= 3 ? spdlog::level::err : spdlog::level::warn;
    spdlog::log(level, "{} [MESSAGE_ID={} CERTD_OBJECT={} CERTD_FINGERPRINT={} CERTD_NOT_AFTER={} CERTD_DAYS_LEFT={}]",
                event.message, event.messageId, event.object, event.fingerprint, event.notAfter, event.daysLeft);
}

void logDegradation(const std::string& subject, const std::string& message)
{
    const std::string text = "Degraded: " + subject + ": " + message + "; serving what certd has, retrying";
    if (loggingToJournal()) {
        sd_journal_send("MESSAGE=%s", text.c_str(), "MESSAGE_ID=%s", messageIds::degraded, "PRIORITY=%i", 3,
                        "SYSLOG_IDENTIFIER=certd", "CERTD_PROBLEM=%s", subject.c_str(), nullptr);
        return;
    }
    spdlog::error("{} [MESSAGE_ID={} CERTD_PROBLEM={}]", text, messageIds::degraded, subject);
}

void logRecovery(const std::string& subject)
{
    const std::string text = "Recovered: " + subject + " is written again";
    if (loggingToJournal()) {
        sd_journal_send("MESSAGE=%s", text.c_str(), "MESSAGE_ID=%s", messageIds::recovered, "PRIORITY=%i", 5,
                        "SYSLOG_IDENTIFIER=certd", "CERTD_PROBLEM=%s", subject.c_str(), nullptr);
        return;
    }
    spdlog::info("{} [MESSAGE_ID={} CERTD_PROBLEM={}]", text, messageIds::recovered, subject);
}

} // namespace certd
