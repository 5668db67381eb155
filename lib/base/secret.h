// A secret the caller hands over (a PKCS#12 passphrase): kept only as long
// as the work that needs it, then wiped from memory, so that a later core
// dump or a reused heap block does not show it. Shared, because the work
// runs in a std::function, which must be copyable; wiped when the last
// owner goes.
#pragma once

#include <memory>
#include <string>

namespace certd {

class Secret {
public:
    explicit Secret(std::string text) : text_(std::move(text)) {}
    ~Secret();
    Secret(const Secret&) = delete;
    Secret& operator=(const Secret&) = delete;

    const std::string& text() const { return text_; }

private:
    std::string text_;
};

using SharedSecret = std::shared_ptr<const Secret>;

// Wipes text's characters in place (the caller's copy of a secret).
void wipe(std::string& text);

} // namespace certd
