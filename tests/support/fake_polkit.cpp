#include "fake_polkit.h"

#include <sdbus-c++/sdbus-c++.h>

namespace certd::test {

using Subject = sdbus::Struct<std::string, std::map<std::string, sdbus::Variant>>;
using Result = sdbus::Struct<bool, bool, std::map<std::string, std::string>>;

FakePolkit::FakePolkit(const TestBus& bus, Answer answer)
    : connection_(bus.connect())
    , answer_(answer)
{
    object_ = sdbus::createObject(*connection_, "/org/freedesktop/PolicyKit1/Authority");
    object_->registerMethod("CheckAuthorization")
        .onInterface("org.freedesktop.PolicyKit1.Authority")
        .implementedAs([this](const Subject& subject, const std::string& actionId,
                              const std::map<std::string, std::string>&, const uint32_t& flags,
                              const std::string&) -> Result {
            std::lock_guard lock(mutex_);
            Check check{std::get<0>(subject), {}, actionId, flags};
            if (const auto name = std::get<1>(subject).find("name"); name != std::get<1>(subject).end())
                check.subjectName = name->second.get<std::string>();
            checks_.push_back(check);
            return Result{answer_ == Answer::Allow, answer_ == Answer::Challenge, {}};
        });
    object_->finishRegistration();
    connection_->requestName("org.freedesktop.PolicyKit1");
    connection_->enterEventLoopAsync();
}

FakePolkit::~FakePolkit()
{
    connection_->leaveEventLoop();
}

std::string FakePolkit::policy()
{
    return R"(
  <policy user="root">
    <allow own="org.freedesktop.PolicyKit1"/>
    <allow send_destination="org.freedesktop.PolicyKit1"/>
  </policy>)";
}

void FakePolkit::answer(Answer answer)
{
    std::lock_guard lock(mutex_);
    answer_ = answer;
}

std::vector<FakePolkit::Check> FakePolkit::checks() const
{
    std::lock_guard lock(mutex_);
    return checks_;
}

std::optional<FakePolkit::Check> FakePolkit::lastCheck() const
{
    std::lock_guard lock(mutex_);
    if (checks_.empty())
        return std::nullopt;
    return checks_.back();
}

} // namespace certd::test
