// HTTPS through libcurl for the ACME client. Only https:// is spoken, also
// after a redirect; the server's certificate is always verified, against
// certd's CA trust store (its bundle) and the system's roots; a proxy is
// used only when configured (the environment's *_proxy variables are not
// consulted: a daemon's behaviour comes from certd.conf). Every transfer
// has a timeout.
#pragma once

#include "acme/http.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>

namespace certd::acme {

struct CurlSettings {
    std::filesystem::path trustBundle;                 // certd's CAs; skipped while missing or empty
    std::filesystem::path systemRoots = "/etc/ssl/certs"; // a hashed directory
    std::string proxy;                                 // "" = none; e.g. "http://proxy.example:3128"
    std::chrono::seconds timeout{30};                  // per transfer
    const std::atomic<bool>* cancelled = nullptr;      // true: a transfer under way stops
};

class CurlHttpClient final : public HttpClient {
public:
    explicit CurlHttpClient(CurlSettings settings);
    HttpResponse get(const std::string& url) override;
    HttpResponse head(const std::string& url) override;
    HttpResponse postJose(const std::string& url, const std::string& body) override;

private:
    enum class Method { Get, Head, Post };
    HttpResponse transfer(Method method, const std::string& url, const std::string& body);

    CurlSettings settings_;
};

} // namespace certd::acme
