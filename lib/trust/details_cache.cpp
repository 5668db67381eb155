#include "trust/details_cache.h"

#include "base/atomic_file.h"
#include "x509/details_json.h"

#include "base/json_reading.h"

namespace certd {
namespace {

using Json = nlohmann::json;

constexpr int formatVersion = 3;
constexpr std::size_t maxCacheSize = 256 * 1024 * 1024;

// FNV-1a: fixed by definition, so keys stay valid across library upgrades.
std::uint64_t contentKey(std::string_view contents)
{
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char byte : contents)
        hash = (hash ^ byte) * 1099511628211ull;
    return hash;
}

Json toJson(const StoredCa& stored)
{
    return Json::array({contentKey(stored.pem), stored.pem.size(), stored.subjectHash, detailsToJson(stored.details)});
}

std::pair<std::uint64_t, CachedCertificate> fromJson(const Json& entry)
{
    CachedCertificate cached;
    const auto key = json::integer<std::uint64_t>(json::element(entry, 0));
    cached.pemSize = json::integer<std::size_t>(json::element(entry, 1));
    cached.subjectHash = json::integer<unsigned long>(json::element(entry, 2));
    cached.details = detailsFromJson(json::element(entry, 3));
    return {key, std::move(cached)};
}

} // namespace

const CachedCertificate* findCached(const DetailsCache& cache, std::string_view pem)
{
    const auto found = cache.find(contentKey(pem));
    return found != cache.end() && found->second.pemSize == pem.size() ? &found->second : nullptr;
}

DetailsCache readDetailsCache(const std::filesystem::path& file)
{
    try {
        return parseDetailsCache(readFile(file, maxCacheSize));
    } catch (const std::exception&) {
        return {}; // missing
    }
}

DetailsCache parseDetailsCache(std::string_view bytes)
{
    DetailsCache cache;
    try {
        const Json document = json::parseCbor(bytes);
        if (json::integer<int>(json::member(document, "version")) != formatVersion)
            return {};
        const Json& entries = json::member(document, "certificates");
        if (!entries.is_array())
            return {};
        for (const Json& entry : entries)
            cache.insert(fromJson(entry));
    } catch (const std::exception&) {
        return {}; // missing or damaged: everything is parsed afresh
    }
    return cache;
}

std::string renderDetailsCache(const std::vector<StoredCaPtr>& certificates)
{
    Json entries = Json::array();
    for (const auto& stored : certificates)
        entries.push_back(toJson(*stored));
    const auto bytes = Json::to_cbor(Json{{"version", formatVersion}, {"certificates", std::move(entries)}});
    return std::string(bytes.begin(), bytes.end());
}

} // namespace certd
