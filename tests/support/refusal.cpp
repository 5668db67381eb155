#include "refusal.h"

namespace certd::test {

Refusal refusalOf(const std::function<void()>& call)
{
    try {
        call();
    } catch (const Error& error) {
        return {true, error.code(), error.what()};
    }
    return {};
}

std::ostream& operator<<(std::ostream& out, const Refusal& refusal)
{
    if (!refusal.refused)
        return out << "accepted";
    return out << errorCodeName(refusal.code) << ": " << refusal.message;
}

} // namespace certd::test

namespace certd {

void PrintTo(ErrorCode code, std::ostream* out)
{
    *out << errorCodeName(code);
}

} // namespace certd
