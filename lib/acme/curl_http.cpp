#include "acme/curl_http.h"

#include "base/error.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <system_error>

namespace certd::acme {
namespace {

constexpr std::size_t maxBodySize = 4 * 1024 * 1024; // a certificate chain is a few kB

struct CurlDeleter {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct ListDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

void initializeOnce()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t appendBody(char* data, std::size_t size, std::size_t count, void* user)
{
    auto& body = *static_cast<std::string*>(user);
    if (body.size() + size * count > maxBodySize)
        return 0; // curl fails the transfer: CURLE_WRITE_ERROR
    body.append(data, size * count);
    return size * count;
}

std::size_t appendHeader(char* data, std::size_t size, std::size_t count, void* user)
{
    auto& headers = *static_cast<std::map<std::string, std::string>*>(user);
    const std::string_view line(data, size * count);
    if (line.starts_with("HTTP/"))
        headers.clear(); // a new response (after a redirect or a proxy's CONNECT)
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) {
        std::string name(line.substr(0, colon));
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        auto value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
            value.remove_suffix(1);
        headers[name] = std::string(value);
    }
    return size * count;
}

int checkCancelled(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    const auto* cancelled = static_cast<const std::atomic<bool>*>(user);
    return cancelled != nullptr && *cancelled ? 1 : 0; // non-zero aborts the transfer
}

bool usableFile(const std::filesystem::path& path)
{
    std::error_code error;
    return std::filesystem::file_size(path, error) > 0 && !error;
}

template <typename T>
void set(CURL* handle, CURLoption option, T value)
{
    if (curl_easy_setopt(handle, option, value) != CURLE_OK)
        throw Error(ErrorCode::Internal, "libcurl refused option " + std::to_string(option));
}

} // namespace

std::string HttpResponse::header(const std::string& lowerCaseName) const
{
    const auto found = headers.find(lowerCaseName);
    return found == headers.end() ? std::string() : found->second;
}

CurlHttpClient::CurlHttpClient(CurlSettings settings)
    : settings_(std::move(settings))
{
    initializeOnce();
}

HttpResponse CurlHttpClient::get(const std::string& url)
{
    return transfer(Method::Get, url, {});
}

HttpResponse CurlHttpClient::head(const std::string& url)
{
    return transfer(Method::Head, url, {});
}

HttpResponse CurlHttpClient::postJose(const std::string& url, const std::string& body)
{
    return transfer(Method::Post, url, body);
}

HttpResponse CurlHttpClient::transfer(Method method, const std::string& url, const std::string& body)
{
    std::unique_ptr<CURL, CurlDeleter> handle(curl_easy_init());
    if (!handle)
        throw Error(ErrorCode::Internal, "libcurl could not make a transfer");
    CURL* curl = handle.get();
    HttpResponse response;
    char problem[CURL_ERROR_SIZE] = {};
    set(curl, CURLOPT_URL, url.c_str());
    set(curl, CURLOPT_PROTOCOLS_STR, "https");
    set(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    set(curl, CURLOPT_FOLLOWLOCATION, 0L); // ACME names every URL itself
    set(curl, CURLOPT_NOSIGNAL, 1L);        // worker thread: no SIGALRM for timeouts
    set(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout.count() * 1000));
    set(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long>(settings_.timeout.count(), 15) * 1000));
    set(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    set(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    // Both sources of trust: OpenSSL reads the bundle and looks in the directory.
    if (usableFile(settings_.trustBundle))
        set(curl, CURLOPT_CAINFO, settings_.trustBundle.c_str());
    else
        set(curl, CURLOPT_CAINFO, static_cast<const char*>(nullptr));
    set(curl, CURLOPT_CAPATH, settings_.systemRoots.c_str());
    set(curl, CURLOPT_PROXY, settings_.proxy.c_str()); // "": none, whatever the environment says
    set(curl, CURLOPT_USERAGENT, "certd (ACME client; RFC 8555)");
    set(curl, CURLOPT_ERRORBUFFER, problem);
    set(curl, CURLOPT_NOPROGRESS, 0L);
    set(curl, CURLOPT_XFERINFOFUNCTION, checkCancelled);
    set(curl, CURLOPT_XFERINFODATA, static_cast<const void*>(settings_.cancelled));
    set(curl, CURLOPT_WRITEFUNCTION, appendBody);
    set(curl, CURLOPT_WRITEDATA, &response.body);
    set(curl, CURLOPT_HEADERFUNCTION, appendHeader);
    set(curl, CURLOPT_HEADERDATA, &response.headers);
    std::unique_ptr<curl_slist, ListDeleter> headers;
    if (method == Method::Head)
        set(curl, CURLOPT_NOBODY, 1L);
    if (method == Method::Post) {
        headers.reset(curl_slist_append(nullptr, "Content-Type: application/jose+json"));
        set(curl, CURLOPT_HTTPHEADER, headers.get());
        set(curl, CURLOPT_POSTFIELDS, body.c_str());
        set(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    const CURLcode result = curl_easy_perform(curl);
    if (result != CURLE_OK) {
        const std::string why = problem[0] != '\0' ? problem : curl_easy_strerror(result);
        std::string hint;
        if (result == CURLE_PEER_FAILED_VERIFICATION || result == CURLE_SSL_CACERT_BADFILE)
            hint = "; import the CA that issued its certificate (certctl import-ca) if it is one you trust";
        throw Error(ErrorCode::ACMEFailed, "Cannot reach the ACME server at " + url + ": " + why + hint);
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

} // namespace certd::acme
