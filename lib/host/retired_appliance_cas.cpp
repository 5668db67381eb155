#include "host/retired_appliance_cas.h"

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/json_reading.h"

namespace certd {
namespace {

using Json = nlohmann::json;

constexpr int recordVersion = 1;

} // namespace

std::string retiredRecord(const RetiredApplianceCas& retired)
{
    Json cas = Json::array();
    for (const auto& ca : retired.cas)
        cas.push_back({{"certificate", ca.certificatePem}, {"fingerprint", ca.fingerprint}, {"retired", ca.retired}});
    return Json{{"version", recordVersion}, {"retired", cas}, {"reissued", retired.reissued}}.dump(2) + "\n";
}

RetiredApplianceCas parseRetiredRecord(std::string_view text)
{
    const Json record = json::parseText(text);
    if (json::integer<int>(json::member(record, "version")) != recordVersion)
        throw Error(ErrorCode::Internal, "unknown record version");
    RetiredApplianceCas retired;
    retired.reissued = json::boolean(json::member(record, "reissued"));
    const Json& cas = json::member(record, "retired");
    if (!cas.is_array())
        throw Error(ErrorCode::Internal, "retired is no list");
    for (std::size_t i = 0; i < cas.size(); ++i) {
        const Json& entry = json::element(cas, i);
        RetiredApplianceCa ca{json::text(json::member(entry, "certificate")),
                              json::text(json::member(entry, "fingerprint")),
                              json::integer<std::int64_t>(json::member(entry, "retired"))};
        if (!ca.certificatePem.starts_with("-----BEGIN CERTIFICATE-----"))
            throw Error(ErrorCode::Internal, "no certificate in it");
        retired.cas.push_back(std::move(ca));
    }
    return retired;
}

RetiredApplianceCas loadRetired(const std::filesystem::path& file, std::vector<std::string>& notes)
{
    std::error_code error;
    if (!std::filesystem::exists(file, error))
        return {};
    std::string problem;
    try {
        return parseRetiredRecord(readFile(file, 4 * 1024 * 1024));
    } catch (const std::exception& failure) {
        problem = "The record of retired appliance CAs " + file.string() + " is damaged (" + failure.what() + ")";
    }
    try {
        renameDurably(file, file.string() + ".damaged");
        problem += "; it was moved to " + file.string() + ".damaged";
    } catch (const std::exception& failure) {
        problem += std::string("; it could not be moved aside: ") + failure.what();
    }
    notes.push_back(problem);
    return {};
}

void saveRetired(const std::filesystem::path& file, const RetiredApplianceCas& retired)
{
    writeFileAtomically(file, retiredRecord(retired), FileOptions::durableFile(0600));
}

std::string applianceCaBundle(const std::string& currentPem, const std::string& currentFingerprint,
                              const RetiredApplianceCas& retired, std::int64_t now, unsigned overlapDays)
{
    std::string bundle = currentPem;
    for (auto ca = retired.cas.rbegin(); ca != retired.cas.rend(); ++ca) // newest retired first
        if (ca->fingerprint != currentFingerprint && ca->retired + static_cast<std::int64_t>(overlapDays) * 86400 > now)
            bundle += ca->certificatePem;
    return bundle;
}

} // namespace certd
