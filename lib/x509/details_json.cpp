#include "x509/details_json.h"

#include "base/json_reading.h"

namespace certd {
namespace {

void read(const nlohmann::json& value, std::string& member) { member = json::text(value); }
void read(const nlohmann::json& value, std::int64_t& member) { member = json::integer<std::int64_t>(value); }
void read(const nlohmann::json& value, int& member) { member = json::integer<int>(value); }
void read(const nlohmann::json& value, bool& member) { member = json::boolean(value); }
void read(const nlohmann::json& value, std::vector<std::string>& member) { member = json::texts(value); }

} // namespace

nlohmann::json detailsToJson(const CertificateDetails& details)
{
    auto array = nlohmann::json::array();
    forEachProperty(details, [&](const char*, const auto& member) { array.push_back(member); });
    return array;
}

CertificateDetails detailsFromJson(const nlohmann::json& array)
{
    CertificateDetails details;
    std::size_t index = 0;
    forEachProperty(details, [&](const char*, auto& member) { read(json::element(array, index++), member); });
    return details;
}

} // namespace certd
