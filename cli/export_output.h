// Where an exported certificate goes: standard output, or the file of -o,
// confirmed in one line. DER is binary and is not written to a terminal.
#pragma once

#include "commands.h"

#include <cstdint>
#include <string>
#include <vector>

namespace certd::cli {

// "pem" or "der", as certd's Export methods take it.
const char* exportFormat(const ExportOptions& options);

// Writes data; what names it in the confirmation ("CA certificate \"X\"").
void writeExport(Session& session, const std::vector<std::uint8_t>& data, const ExportOptions& options,
                 const std::string& what);

} // namespace certd::cli
