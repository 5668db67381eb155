// The ACME account: its key (P-256, made on first use) and, per directory,
// the account URL the server gave. One file, private/acme/account.json,
// 0600, replaced atomically: the key is written before it is registered, so
// a crash between the two leaves a key the server may know, which the next
// registration finds again (newAccount with the same key returns it).
#pragma once

#include "x509/openssl_ptr.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace certd::acme {

struct Account {
    std::string keyPem;                           // unencrypted PKCS#8
    std::map<std::string, std::string> urls;      // directory URL -> account URL
};

class AccountStore {
public:
    explicit AccountStore(std::filesystem::path file);

    // The stored account; nullopt when there is none. A file that cannot be
    // read (an I/O error) is an Internal error, never damage.
    std::optional<Account> load();
    // The stored account, or a new key (saved at once) when there is none.
    // A damaged file (not JSON, no key) is moved aside as
    // ".damaged.<seconds>" and replaced: the account is found again by its
    // key only, so a new key means a new account.
    Account loadOrCreate();
    void save(const Account& account);

private:
    std::filesystem::path file_;
};

EvpPkeyPtr accountKey(const Account& account);

} // namespace certd::acme
