// How a call into lib was refused: the code and message of the certd::Error
// it threw, one helper for every unit test. Tests assert the code and the
// deciding fact of the message (HasSubstr), not the whole sentence, so that
// rewording a message breaks no test.
#pragma once

#include "base/error.h"

#include <functional>
#include <ostream>
#include <string>

namespace certd::test {

struct Refusal {
    bool refused = false;
    ErrorCode code = ErrorCode::Internal;
    std::string message;

    bool accepted() const { return !refused; }
};

Refusal refusalOf(const std::function<void()>& call);

std::ostream& operator<<(std::ostream& out, const Refusal& refusal);

} // namespace certd::test

namespace certd {
// gtest prints codes by name.
void PrintTo(ErrorCode code, std::ostream* out);
} // namespace certd
