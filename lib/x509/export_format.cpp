#include "x509/export_format.h"

#include "base/error.h"

#include <string>

namespace certd {

ExportFormat parseExportFormat(std::string_view format)
{
    if (format == "pem")
        return ExportFormat::Pem;
    if (format == "der")
        return ExportFormat::Der;
    throw Error(ErrorCode::InvalidArgument,
                "Unknown export format \"" + std::string(format) + "\"; use \"pem\" or \"der\"");
}

} // namespace certd
