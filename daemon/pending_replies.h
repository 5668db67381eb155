// Replies to calls whose work runs on a worker thread, kept by ticket on the
// bus thread until the work is done. A reply is a D-Bus message: only the
// bus thread may hold or destroy it, so what goes to the worker is the
// ticket, never the reply (see SerialWorker's lock order).
#pragma once

#include <sdbus-c++/MethodResult.h>

#include <cstdint>
#include <map>
#include <optional>

namespace certd {

template <typename... Results>
class PendingReplies {
public:
    using Reply = sdbus::Result<Results...>;

    std::uint64_t add(Reply&& reply)
    {
        const auto ticket = next_++;
        replies_.emplace(ticket, std::move(reply));
        return ticket;
    }

    // The reply of ticket, gone from here; nullopt when there is none.
    std::optional<Reply> take(std::uint64_t ticket)
    {
        const auto found = replies_.find(ticket);
        if (found == replies_.end())
            return std::nullopt;
        std::optional<Reply> reply(std::move(found->second));
        replies_.erase(found);
        return reply;
    }

private:
    std::map<std::uint64_t, Reply> replies_;
    std::uint64_t next_ = 1;
};

} // namespace certd
