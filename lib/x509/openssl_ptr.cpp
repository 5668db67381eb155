#include "x509/openssl_ptr.h"

#include <openssl/err.h>

namespace certd {

std::string takeOpenSslErrors()
{
    std::string text;
    while (const unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        const char* reason = ERR_reason_error_string(code);
        if (!text.empty())
            text += "; ";
        text += reason ? reason : buffer;
    }
    return text.empty() ? "unknown OpenSSL error" : text;
}

std::string bioToString(BIO& bio)
{
    char* data = nullptr;
    const long length = BIO_get_mem_data(&bio, &data);
    return std::string(data, static_cast<std::size_t>(length > 0 ? length : 0));
}

X509Ptr shareCertificate(X509& cert)
{
    X509_up_ref(&cert);
    return X509Ptr(&cert);
}

} // namespace certd
