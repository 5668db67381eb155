#include "x509/pem.h"

#include "x509/openssl_ptr.h"

#include <algorithm>
#include <openssl/err.h>
#include <openssl/pem.h>

namespace certd {
namespace {

bool isEndOfPem(unsigned long error)
{
    return ERR_GET_LIB(error) == ERR_LIB_PEM && ERR_GET_REASON(error) == PEM_R_NO_START_LINE;
}

} // namespace

bool containsPem(ByteView data)
{
    constexpr std::string_view marker = "-----BEGIN ";
    return std::search(data.begin(), data.end(), marker.begin(), marker.end()) != data.end();
}

PemScan scanPem(ByteView data)
{
    PemScan scan;
    BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
    if (!bio) {
        scan.damage = takeOpenSslErrors();
        return scan;
    }
    ERR_clear_error();
    for (;;) {
        char* name = nullptr;
        char* header = nullptr;
        unsigned char* body = nullptr;
        long length = 0;
        if (PEM_read_bio(bio.get(), &name, &header, &body, &length) != 1) {
            if (!isEndOfPem(ERR_peek_last_error()))
                scan.damage = takeOpenSslErrors();
            ERR_clear_error();
            return scan;
        }
        const OpenSslString nameOwner(name), headerOwner(header);
        const OpenSslBytes bodyOwner(body);
        scan.blocks.push_back({name, header, Bytes(body, body + length)});
    }
}

std::string derToPem(ByteView der, std::string_view label)
{
    std::string pem = "-----BEGIN " + std::string(label) + "-----\n";
    constexpr std::size_t bytesPerLine = 48; // 64 base64 characters
    unsigned char line[65];
    for (std::size_t offset = 0; offset < der.size(); offset += bytesPerLine) {
        const auto chunk = std::min(bytesPerLine, der.size() - offset);
        const int written = EVP_EncodeBlock(line, der.data() + offset, static_cast<int>(chunk));
        pem.append(reinterpret_cast<const char*>(line), static_cast<std::size_t>(written));
        pem.push_back('\n');
    }
    pem += "-----END " + std::string(label) + "-----\n";
    return pem;
}

} // namespace certd
