// Translation of failures into named D-Bus errors. A handler's exception
// other than sdbus::Error would make sdbus-c++ call std::terminate, so every
// handler body runs inside translateErrors().
#pragma once

#include "base/error.h"

#include <sdbus-c++/Error.h>

#include <exception>
#include <string>

namespace certd {

// org.certd.Certd1.Error.<code> carrying message.
sdbus::Error busError(ErrorCode code, const std::string& message);

// failure as a named D-Bus error: certd::Error keeps its code, anything
// unexpected becomes Internal (and is logged).
sdbus::Error toBusError(std::exception_ptr failure);

// Throws toBusError(failure).
[[noreturn]] void rethrowAsBusError(std::exception_ptr failure);

template <typename Handler>
decltype(auto) translateErrors(Handler&& handler)
{
    try {
        return handler();
    } catch (...) {
        rethrowAsBusError(std::current_exception());
    }
}

} // namespace certd
