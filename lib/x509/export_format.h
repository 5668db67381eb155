// The formats certificates are exported in.
#pragma once

#include <string_view>

namespace certd {

enum class ExportFormat { Pem, Der };

// InvalidArgument for anything but "pem" and "der".
ExportFormat parseExportFormat(std::string_view format);

} // namespace certd
