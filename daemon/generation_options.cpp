#include "generation_options.h"

#include "base/error.h"

namespace certd {
namespace {

[[noreturn]] void invalid(const std::string& message)
{
    throw Error(ErrorCode::InvalidArgument, message);
}

template <typename T>
T valueOf(const std::string& name, const sdbus::Variant& value, const char* signature)
{
    if (!value.containsValueOfType<T>())
        invalid("Option " + name + " must be of D-Bus type " + signature + ", not " + value.peekValueType());
    return value.get<T>();
}

// Generate's option name=value into request; false for another name.
bool takeNameOption(GenerationRequest& request, const std::string& name, const sdbus::Variant& value)
{
    if (name == "Hostname")
        request.hostname = valueOf<std::string>(name, value, "s");
    else if (name == "KeyType")
        request.keyType = valueOf<std::string>(name, value, "s");
    else if (name == "AdditionalNames")
        request.additionalNames = valueOf<std::vector<std::string>>(name, value, "as");
    else
        return false;
    return true;
}

std::optional<std::string>* subjectField(RequestSubject& subject, const std::string& name)
{
    if (name == "Organization")
        return &subject.organization;
    if (name == "OrganizationalUnit")
        return &subject.organizationalUnit;
    if (name == "Country")
        return &subject.country;
    if (name == "State")
        return &subject.state;
    if (name == "Locality")
        return &subject.locality;
    if (name == "Email")
        return &subject.email;
    return nullptr;
}

} // namespace

ApplianceCaSettings rotationSettingsFrom(const std::map<std::string, sdbus::Variant>& options,
                                         ApplianceCaSettings configured)
{
    for (const auto& [name, value] : options) {
        if (name == "CommonName") {
            configured.commonName = valueOf<std::string>(name, value, "s");
            if (configured.commonName.empty())
                invalid("CommonName is empty; leave the option out for the default");
        } else if (name == "KeyType") {
            const auto text = valueOf<std::string>(name, value, "s");
            const auto type = parseKeyType(text);
            if (!type)
                invalid("KeyType \"" + text + "\" is not one of " + keyTypeNames());
            configured.keyType = *type;
        } else if (name == "ValidityDays") {
            configured.validityDays = valueOf<uint32_t>(name, value, "u");
        } else {
            invalid("Unknown option \"" + name + "\"; the options are CommonName, KeyType and ValidityDays");
        }
    }
    return configured;
}

RequestOptions requestOptionsFrom(const std::map<std::string, sdbus::Variant>& options)
{
    RequestOptions request;
    for (const auto& [name, value] : options) {
        if (takeNameOption(request.names, name, value))
            continue;
        if (name == "ValidityDays")
            invalid("CreateRequest has no ValidityDays option: the CA that signs the request decides");
        if (auto* field = subjectField(request.subject, name))
            *field = valueOf<std::string>(name, value, "s");
        else
            invalid("Unknown option \"" + name + "\"; the options are Hostname, KeyType, AdditionalNames, "
                    "Organization, OrganizationalUnit, Country, State, Locality and Email");
    }
    return request;
}

GenerationRequest generationRequestFrom(const std::map<std::string, sdbus::Variant>& options)
{
    GenerationRequest request;
    for (const auto& [name, value] : options) {
        if (takeNameOption(request, name, value))
            continue;
        if (name == "ValidityDays")
            request.validityDays = valueOf<uint32_t>(name, value, "u");
        else
            invalid("Unknown option \"" + name + "\"; the options are Hostname, KeyType, ValidityDays and "
                    "AdditionalNames");
    }
    return request;
}

} // namespace certd
