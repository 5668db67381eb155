#include "base/degradation.h"

namespace certd {

bool Degradation::report(const std::string& subject, const std::string& message)
{
    auto& known = problems_[subject];
    if (known == message)
        return false;
    known = message;
    return true;
}

bool Degradation::resolve(const std::string& subject)
{
    return problems_.erase(subject) > 0;
}

std::vector<std::string> Degradation::descriptions() const
{
    std::vector<std::string> all;
    for (const auto& [subject, message] : problems_)
        all.push_back(subject + ": " + message);
    return all;
}

} // namespace certd
