#include "certificate_properties.h"

namespace certd {
namespace {

std::string asText(const std::string& value) { return value; }
std::string asText(std::int64_t value) { return std::to_string(value); }
std::string asText(int value) { return std::to_string(value); }
std::string asText(bool value) { return value ? "true" : "false"; }
std::string asText(const std::vector<std::string>& values)
{
    std::string text;
    for (const auto& value : values)
        text += value + '\n';
    return text;
}

} // namespace

std::map<std::string, sdbus::Variant> propertyVariants(const CertificateDetails& details)
{
    std::map<std::string, sdbus::Variant> variants;
    forEachProperty(details, [&](const char* name, const auto& value) { variants.emplace(name, sdbus::Variant(value)); });
    return variants;
}

void writeProperties(ManagedObjectsWriter& writer, const CertificateDetails& details)
{
    forEachProperty(details, [&](const char* name, const auto& value) { writer.property(name, value); });
}

std::map<std::string, std::string> propertyTexts(const CertificateDetails& details)
{
    std::map<std::string, std::string> texts;
    forEachProperty(details, [&](const char* name, const auto& value) { texts.emplace(name, asText(value)); });
    return texts;
}

} // namespace certd
