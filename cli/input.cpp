#include "input.h"

#include "x509/openssl_ptr.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <stdexcept>

namespace certd::cli {
namespace {

Bytes derOf(X509& cert)
{
    unsigned char* der = nullptr;
    const int length = i2d_X509(&cert, &der);
    if (length <= 0)
        return {};
    Bytes bytes(der, der + length);
    OPENSSL_free(der);
    return bytes;
}

std::vector<Bytes> fromPkcs7(PKCS7& p7)
{
    std::vector<Bytes> certificates;
    if (!PKCS7_type_is_signed(&p7) || !p7.d.sign || !p7.d.sign->cert)
        return certificates;
    for (int i = 0; i < sk_X509_num(p7.d.sign->cert); ++i)
        certificates.push_back(derOf(*sk_X509_value(p7.d.sign->cert, i)));
    return certificates;
}

using Pkcs7Ptr = std::unique_ptr<PKCS7, OpenSslDeleter<PKCS7_free>>;

BioPtr memory(const Bytes& data)
{
    return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

} // namespace

Bytes readInput(const std::string& file, std::size_t limit)
{
    std::istream* in = &std::cin;
    std::ifstream opened;
    static bool standardInputRead = false;
    if (file == "-") {
        // A second "-" would silently be empty (upload https - -).
        if (standardInputRead)
            throw std::runtime_error("standard input (\"-\") can be given only once");
        standardInputRead = true;
    } else {
        opened.open(file, std::ios::binary);
        if (!opened)
            throw std::runtime_error("cannot read " + file + ": " + std::strerror(errno));
        in = &opened;
    }
    Bytes data;
    char buffer[65536];
    while (*in) {
        in->read(buffer, sizeof buffer);
        data.insert(data.end(), buffer, buffer + in->gcount());
        if (data.size() > limit)
            throw std::runtime_error((file == "-" ? std::string("standard input") : file) + " is larger than " +
                                     std::to_string(limit) + " bytes");
    }
    if (in->bad())
        throw std::runtime_error("cannot read " + file);
    return data;
}

std::vector<Bytes> splitBundle(const Bytes& data, std::size_t* unreadable)
{
    std::vector<Bytes> certificates;
    std::size_t skipped = 0;
    const std::string text(data.begin(), data.end());
    if (text.find("-----BEGIN ") != std::string::npos) {
        // Block by block, without decryption (no passphrase prompt for a
        // crafted "Proc-Type: 4,ENCRYPTED"): a block that does not decode is
        // counted, not the end of the file.
        auto bio = memory(data);
        char* name = nullptr;
        char* header = nullptr;
        unsigned char* body = nullptr;
        long length = 0;
        while (PEM_read_bio(bio.get(), &name, &header, &body, &length) == 1) {
            const std::string label = name;
            const unsigned char* cursor = body;
            if (label == "CERTIFICATE" || label == "X509 CERTIFICATE" || label == "TRUSTED CERTIFICATE") {
                X509Ptr cert{label == "TRUSTED CERTIFICATE" ? d2i_X509_AUX(nullptr, &cursor, length)
                                                            : d2i_X509(nullptr, &cursor, length)};
                if (cert)
                    certificates.push_back(derOf(*cert));
                else
                    ++skipped;
            } else if (label == "PKCS7" || label == "PKCS #7 SIGNED DATA") {
                Pkcs7Ptr p7{d2i_PKCS7(nullptr, &cursor, length)};
                const auto inside = p7 ? fromPkcs7(*p7) : std::vector<Bytes>{};
                if (inside.empty())
                    ++skipped;
                certificates.insert(certificates.end(), inside.begin(), inside.end());
            } else {
                ++skipped;
            }
            OPENSSL_free(name);
            OPENSSL_free(header);
            OPENSSL_free(body);
        }
    } else {
        const unsigned char* cursor = data.data();
        if (Pkcs7Ptr p7{d2i_PKCS7(nullptr, &cursor, static_cast<long>(data.size()))}) {
            certificates = fromPkcs7(*p7);
        } else {
            cursor = data.data();
            const unsigned char* end = data.data() + data.size();
            while (cursor < end) {
                X509Ptr cert{d2i_X509(nullptr, &cursor, static_cast<long>(end - cursor))};
                if (!cert) {
                    ++skipped; // the rest of the file is not a certificate
                    break;
                }
                certificates.push_back(derOf(*cert));
            }
        }
    }
    ERR_clear_error();
    if (unreadable)
        *unreadable = skipped;
    return certificates;
}

std::string commonNameOf(const Bytes& der)
{
    const unsigned char* cursor = der.data();
    X509Ptr cert{d2i_X509(nullptr, &cursor, static_cast<long>(der.size()))};
    ERR_clear_error();
    if (!cert)
        return {};
    char name[256] = {};
    if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, name, sizeof name) < 0)
        return {};
    return name;
}

} // namespace certd::cli
