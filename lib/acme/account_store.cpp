#include "acme/account_store.h"

#include "base/atomic_file.h"
#include "base/clock.h"
#include "base/error.h"
#include "base/json_reading.h"
#include "x509/key_generation.h"
#include "x509/private_key_input.h"

#include <nlohmann/json.hpp>

namespace certd::acme {
namespace {

constexpr int recordVersion = 1;
constexpr std::size_t maxRecordSize = 256 * 1024;

Account parseAccount(const std::string& text)
{
    const auto record = json::parseText(text);
    if (json::integer<int>(json::member(record, "version")) != recordVersion)
        throw Error(ErrorCode::Internal, "unknown record version");
    Account account;
    account.keyPem = json::text(json::member(record, "privateKey"));
    const auto& urls = json::member(record, "accounts");
    if (!urls.is_object())
        throw Error(ErrorCode::Internal, "accounts is no object");
    for (const auto& [directory, url] : urls.items())
        account.urls[directory] = json::text(url);
    accountKey(account); // a key that does not read is damage
    return account;
}

} // namespace

AccountStore::AccountStore(std::filesystem::path file)
    : file_(std::move(file))
{
}

std::optional<Account> AccountStore::load()
{
    std::error_code error;
    if (!std::filesystem::exists(file_, error))
        return std::nullopt;
    const std::string text = readFile(file_, maxRecordSize); // I/O errors are no damage
    try {
        return parseAccount(text);
    } catch (const std::exception&) {
        const auto aside = file_.string() + ".damaged." + std::to_string(unixNow());
        renameDurably(file_, aside);
        return std::nullopt;
    }
}

Account AccountStore::loadOrCreate()
{
    if (auto stored = load())
        return std::move(*stored);
    Account account;
    account.keyPem = privateKeyToPem(*generateKey(KeyType::EcP256));
    save(account);
    return account;
}

void AccountStore::save(const Account& account)
{
    nlohmann::json urls = nlohmann::json::object();
    for (const auto& [directory, url] : account.urls)
        urls[directory] = url;
    const nlohmann::json record{{"version", recordVersion}, {"privateKey", account.keyPem}, {"accounts", urls}};
    ensureDirectory(file_.parent_path(), 0700);
    writeFileAtomically(file_, record.dump(2) + "\n", FileOptions::durableFile(0600));
}

EvpPkeyPtr accountKey(const Account& account)
{
    return readPrivateKey(asBytes(account.keyPem));
}

} // namespace certd::acme
