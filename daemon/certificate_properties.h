// A certificate's properties on D-Bus, made from the one list in
// x509/certificate_details.h: the getters both object types implement,
// the a{sv} form of InspectCACertificate's reply, and a text form of each
// value for finding which properties changed.
#pragma once

#include "managed_objects.h"
#include "x509/certificate_details.h"

#include <sdbus-c++/Types.h>

#include <map>
#include <string>

namespace certd {

// Inside a class with `const CertificateDetails& details() const`: one
// getter override per property of the generated adaptor.
#define CERTD_PROPERTY_GETTER(Name, member) \
    decltype(CertificateDetails::member) Name() override { return details().member; }
#define CERTD_CERTIFICATE_PROPERTY_GETTERS CERTD_CERTIFICATE_PROPERTIES(CERTD_PROPERTY_GETTER)

std::map<std::string, sdbus::Variant> propertyVariants(const CertificateDetails& details);

// Into an object's GetManagedObjects entry.
void writeProperties(ManagedObjectsWriter& writer, const CertificateDetails& details);

// Each property's value as text (lists one item per line).
std::map<std::string, std::string> propertyTexts(const CertificateDetails& details);

} // namespace certd
