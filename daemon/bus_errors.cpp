#include "bus_errors.h"

#include "bus_names.h"

#include <spdlog/spdlog.h>

namespace certd {

sdbus::Error busError(ErrorCode code, const std::string& message)
{
    return sdbus::Error(std::string(bus::errorPrefix) + std::string(errorCodeName(code)), message);
}

sdbus::Error toBusError(std::exception_ptr failure)
{
    try {
        std::rethrow_exception(failure);
    } catch (const sdbus::Error& error) {
        return error;
    } catch (const Error& error) {
        if (error.code() == ErrorCode::Internal)
            spdlog::error("{}", error.what());
        return busError(error.code(), error.what());
    } catch (const std::exception& error) {
        spdlog::error("Unexpected failure: {}", error.what());
        return busError(ErrorCode::Internal, std::string("Internal error: ") + error.what());
    } catch (...) {
        spdlog::error("Unexpected failure of unknown type");
        return busError(ErrorCode::Internal, "Internal error");
    }
}

void rethrowAsBusError(std::exception_ptr failure)
{
    throw toBusError(failure);
}

} // namespace certd
