#include "fake_systemd.h"

#include <sdbus-c++/sdbus-c++.h>

namespace certd::test {

FakeSystemd::FakeSystemd(const TestBus& bus)
    : connection_(bus.connect())
{
    object_ = sdbus::createObject(*connection_, "/org/freedesktop/systemd1");
    object_->registerMethod("ReloadOrRestartUnit")
        .onInterface("org.freedesktop.systemd1.Manager")
        .implementedAs([this](const std::string& unit, const std::string& mode) {
            {
                std::lock_guard lock(mutex_);
                calls_.push_back({unit, mode});
            }
            arrived_.notify_all();
            return sdbus::ObjectPath("/org/freedesktop/systemd1/job/" + std::to_string(calls_.size()));
        });
    object_->finishRegistration();
    connection_->requestName("org.freedesktop.systemd1");
    connection_->enterEventLoopAsync();
}

FakeSystemd::~FakeSystemd()
{
    connection_->leaveEventLoop();
}

std::optional<FakeSystemd::Call> FakeSystemd::waitForCall(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(mutex_);
    if (!arrived_.wait_for(lock, timeout, [&] { return calls_.size() > returned_; }))
        return std::nullopt;
    return calls_[returned_++];
}

std::size_t FakeSystemd::callCount() const
{
    std::lock_guard lock(mutex_);
    return calls_.size();
}

} // namespace certd::test
