// What certctl reads for certd: files (or standard input for "-") read as
// the invoking user, whatever their size up to certd's limit, and bundles
// split into their certificates for `import-ca --all`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace certd::cli {

using Bytes = std::vector<std::uint8_t>;

// The whole file, or standard input for "-"; std::runtime_error naming the
// file when it cannot be read. More than limit bytes are refused here, so
// a mistaken file is not sent whole.
Bytes readInput(const std::string& file, std::size_t limit = 64 * 1024 * 1024);

// Every certificate of a PEM sequence (which may hold PKCS#7 blocks), a
// PKCS#7 bundle (DER) or DER certificates, each as DER, in order; empty when
// there is none. unreadable, when given, counts the blocks that are not
// certificates or do not decode (PEM), or 1 for undecodable DER after them.
std::vector<Bytes> splitBundle(const Bytes& data, std::size_t* unreadable = nullptr);

// The subject's common name of a DER certificate, for naming certificates
// certd refused; empty when there is none or der is not a certificate.
std::string commonNameOf(const Bytes& der);

} // namespace certd::cli
