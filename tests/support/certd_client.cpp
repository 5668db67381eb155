#include "certd_client.h"

namespace certd::test {

SignalRecorder::SignalRecorder(const TestBus& bus)
    : connection_(bus.connect())
{
    // The match is installed synchronously, so nothing sent after this
    // constructor returns can be missed.
    match_ = connection_->addMatch("type='signal',sender='org.certd.Certd1'",
                                   [this](sdbus::Message& message) { record(message); });
    connection_->enterEventLoopAsync();
}

SignalRecorder::~SignalRecorder()
{
    connection_->leaveEventLoop();
}

namespace {

std::map<std::string, std::string> renderValues(sdbus::Message& message)
{
    std::map<std::string, std::string> values;
    if (std::string(message.getMemberName()) != "PropertiesChanged")
        return values;
    message.rewind(true);
    std::string interface;
    std::map<std::string, sdbus::Variant> changed;
    message >> interface >> changed;
    for (const auto& [name, value] : changed) {
        if (value.containsValueOfType<bool>())
            values[name] = value.get<bool>() ? "true" : "false";
        else if (value.containsValueOfType<std::string>())
            values[name] = value.get<std::string>();
    }
    return values;
}

std::vector<std::string> renderArguments(sdbus::Message& message)
{
    std::vector<std::string> arguments;
    const std::string member = message.getMemberName();
    if (member == "InterfacesAdded") {
        sdbus::ObjectPath path;
        std::map<std::string, std::map<std::string, sdbus::Variant>> interfaces;
        message >> path >> interfaces;
        arguments.push_back(path);
        for (const auto& [name, properties] : interfaces)
            arguments.push_back(name);
    } else if (member == "InterfacesRemoved") {
        sdbus::ObjectPath path;
        std::vector<std::string> interfaces;
        message >> path >> interfaces;
        arguments.push_back(path);
        arguments.insert(arguments.end(), interfaces.begin(), interfaces.end());
    } else if (member == "TrustStoreChanged") {
        uint32_t count = 0;
        message >> count;
        arguments.push_back(std::to_string(count));
    } else if (member == "HostCertificateChanged") {
        std::string service;
        sdbus::ObjectPath path;
        message >> service >> path;
        arguments = {service, path};
    } else if (member == "CertificateExpiring") {
        sdbus::ObjectPath path;
        std::string name;
        int64_t notAfter = 0;
        uint32_t daysLeft = 0;
        message >> path >> name >> notAfter >> daysLeft;
        arguments = {path, name, std::to_string(notAfter), std::to_string(daysLeft)};
    } else if (member == "CertificateExpired") {
        sdbus::ObjectPath path;
        std::string name;
        int64_t notAfter = 0;
        message >> path >> name >> notAfter;
        arguments = {path, name, std::to_string(notAfter)};
    } else if (member == "ApplianceCAChanged") {
        std::string fingerprint;
        message >> fingerprint;
        arguments = {fingerprint};
    } else if (member == "RenewalFailed") {
        sdbus::ObjectPath path;
        std::string service;
        std::string reason;
        message >> path >> service >> reason;
        arguments = {path, service, reason};
    } else if (member == "PropertiesChanged") {
        std::string interface;
        std::map<std::string, sdbus::Variant> changed;
        message >> interface >> changed;
        arguments.push_back(interface);
        for (const auto& [name, value] : changed)
            arguments.push_back(name);
    }
    return arguments;
}

} // namespace

void SignalRecorder::record(sdbus::Message& message)
{
    ReceivedSignal received{message.getInterfaceName(), message.getMemberName(), message.getPath(),
                            renderArguments(message), {}};
    received.values = renderValues(message);
    {
        std::lock_guard lock(mutex_);
        signals_.push_back(std::move(received));
    }
    arrived_.notify_all();
}

std::optional<ReceivedSignal> SignalRecorder::waitFor(
    const std::function<bool(const ReceivedSignal&)>& predicate, std::chrono::milliseconds timeout)
{
    std::unique_lock lock(mutex_);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        returned_.resize(signals_.size(), false);
        for (std::size_t i = 0; i < signals_.size(); ++i) {
            if (!returned_[i] && predicate(signals_[i])) {
                returned_[i] = true;
                return signals_[i];
            }
        }
        const auto seen = signals_.size();
        if (!arrived_.wait_until(lock, deadline, [&] { return signals_.size() > seen; }))
            return std::nullopt;
    }
}

std::optional<ReceivedSignal> SignalRecorder::waitFor(const std::string& member, std::chrono::milliseconds timeout)
{
    return waitFor([&](const ReceivedSignal& s) { return s.member == member; }, timeout);
}

std::vector<ReceivedSignal> SignalRecorder::all() const
{
    std::lock_guard lock(mutex_);
    return signals_;
}

std::size_t SignalRecorder::count(const std::string& member) const
{
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(std::count_if(signals_.begin(), signals_.end(),
                                                  [&](const auto& s) { return s.member == member; }));
}

std::string errorNameOf(const std::function<void()>& call)
{
    try {
        call();
    } catch (const sdbus::Error& error) {
        return error.getName();
    }
    return "";
}

std::string errorMessageOf(const std::function<void()>& call)
{
    try {
        call();
    } catch (const sdbus::Error& error) {
        return error.getMessage();
    }
    return "";
}


} // namespace certd::test
