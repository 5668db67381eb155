// PEM framing: reading every block of a PEM text, and writing DER as PEM.
#pragma once

#include "base/bytes.h"

#include <string>
#include <vector>

namespace certd {

struct PemBlock {
    std::string label;   // "CERTIFICATE", "PRIVATE KEY", ...
    std::string headers; // RFC 1421 headers such as "Proc-Type: 4,ENCRYPTED"
    Bytes data;          // the decoded body
};

struct PemScan {
    std::vector<PemBlock> blocks;
    // Why reading stopped before the end of the text, e.g. a truncated block;
    // empty when every block was read.
    std::string damage;
};

// True when data contains a PEM "-----BEGIN " line.
bool containsPem(ByteView data);

PemScan scanPem(ByteView data);

std::string derToPem(ByteView der, std::string_view label);

} // namespace certd
