#include "host/pending_request_store.h"

#include "base/atomic_file.h"
#include "base/error.h"
#include "base/json_reading.h"
#include "host/generation_json.h"

namespace certd {
namespace {

using Json = nlohmann::json;

constexpr int recordVersion = 1;
constexpr std::size_t maxRecordSize = 1024 * 1024;

// The subject's fields by their D-Bus option names, present ones only.
template <typename Subject, typename Visitor>
void forEachSubjectField(Subject& subject, Visitor&& visit)
{
    visit("Organization", subject.organization);
    visit("OrganizationalUnit", subject.organizationalUnit);
    visit("Country", subject.country);
    visit("State", subject.state);
    visit("Locality", subject.locality);
    visit("Email", subject.email);
}

} // namespace

std::string pendingRequestRecord(const PendingRequest& request)
{
    Json subject = Json::object();
    forEachSubjectField(request.settings.subject, [&](const char* name, const std::optional<std::string>& value) {
        if (value)
            subject[name] = *value;
    });
    const Json record{{"version", recordVersion},
                      {"names", generationSettingsToJson(request.settings.names)},
                      {"subjectOptions", subject},
                      {"privateKey", request.keyPem},
                      {"request", request.requestPem},
                      {"subject", request.subject},
                      {"created", request.created}};
    return record.dump(2) + "\n";
}

PendingRequestPtr parsePendingRequestRecord(std::string_view text)
{
    const Json record = json::parseText(text);
    if (json::integer<int>(json::member(record, "version")) != recordVersion)
        throw Error(ErrorCode::Internal, "unknown record version");
    auto request = std::make_shared<PendingRequest>();
    request->settings.names = generationSettingsFromJson(json::member(record, "names"));
    const Json& subject = json::member(record, "subjectOptions");
    forEachSubjectField(request->settings.subject, [&](const char* name, std::optional<std::string>& value) {
        if (subject.is_object() && subject.contains(name))
            value = json::text(subject.at(name));
    });
    request->keyPem = json::text(json::member(record, "privateKey"));
    request->requestPem = json::text(json::member(record, "request"));
    request->subject = json::text(json::member(record, "subject"));
    request->created = json::integer<std::int64_t>(json::member(record, "created"));
    if (!request->keyPem.starts_with("-----BEGIN PRIVATE KEY-----") ||
        !request->requestPem.starts_with("-----BEGIN CERTIFICATE REQUEST-----"))
        throw Error(ErrorCode::Internal, "no key or request in it");
    return request;
}

PendingRequestStore::PendingRequestStore(std::filesystem::path file)
    : file_(std::move(file))
{
}

PendingRequestStore::Loaded PendingRequestStore::load() const
{
    Loaded loaded;
    std::error_code error;
    if (std::filesystem::is_directory(file_.parent_path(), error))
        removeStaleTemporaryFiles(file_.parent_path());
    if (!std::filesystem::exists(file_, error))
        return loaded;
    std::string problem;
    try {
        loaded.request = parsePendingRequestRecord(readFile(file_, maxRecordSize));
        return loaded;
    } catch (const std::exception& failure) {
        problem = "The pending certificate request " + file_.string() + " is damaged (" + failure.what() + ")";
    }
    try {
        const auto aside = file_.string() + ".damaged";
        renameDurably(file_, aside);
        problem += "; it was moved to " + aside;
    } catch (const std::exception& failure) {
        problem += std::string("; it could not be moved aside: ") + failure.what();
    }
    loaded.notes.push_back(problem);
    return loaded;
}

void PendingRequestStore::save(const PendingRequest& request) const
{
    ensureDirectory(file_.parent_path(), 0700);
    writeFileAtomically(file_, pendingRequestRecord(request), FileOptions::durableFile(0600));
}

void PendingRequestStore::remove() const
{
    removeFileDurably(file_);
}

} // namespace certd
