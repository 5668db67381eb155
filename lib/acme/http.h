// What the ACME client needs of HTTPS, as an interface: certd's is libcurl
// (acme/curl_http.h), the unit tests' a scripted server. A response is
// whatever the server sent, error statuses included; only a failure to get
// any answer (no connection, TLS refused, timeout) throws, as ACMEFailed
// naming the URL and why.
#pragma once

#include <map>
#include <string>

namespace certd::acme {

struct HttpResponse {
    long status = 0;
    std::map<std::string, std::string> headers; // names in lower case; a repeated header's last value
    std::string body;

    // "" when absent.
    std::string header(const std::string& lowerCaseName) const;
};

class HttpClient {
public:
    virtual ~HttpClient() = default;
    virtual HttpResponse get(const std::string& url) = 0;
    virtual HttpResponse head(const std::string& url) = 0;
    // body as application/jose+json.
    virtual HttpResponse postJose(const std::string& url, const std::string& body) = 0;
};

} // namespace certd::acme
