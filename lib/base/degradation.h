// What certd could not do and keeps retrying, by what it concerns ("trust
// bundle", "https"): a full disk or a read-only file system makes certd
// serve what it has, report the problem and try again, instead of stopping
// (which would only make systemd restart it into the same wall).
//
// One thread (the bus loop) reports and resolves; the daemon publishes the
// state (Manager.Degraded, Manager.Problems) and writes the journal.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace certd {

class Degradation {
public:
    // True when this changes what is known (a new subject, or a new message).
    bool report(const std::string& subject, const std::string& message);
    // True when subject had a problem.
    bool resolve(const std::string& subject);

    bool degraded() const { return !problems_.empty(); }
    bool has(const std::string& subject) const { return problems_.contains(subject); }
    // "<subject>: <message>", ordered by subject.
    std::vector<std::string> descriptions() const;

private:
    std::map<std::string, std::string> problems_;
};

} // namespace certd
