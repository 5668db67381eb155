#include "file_trace.h"

#include "test_paths.h"

#include <fstream>
#include <sstream>

namespace certd::test {
namespace {

std::string joined(const std::vector<std::filesystem::path>& paths)
{
    std::string text;
    for (const auto& path : paths)
        text += (text.empty() ? "" : ":") + path.string();
    return text;
}

std::string directoryOf(const std::string& path)
{
    return std::filesystem::path(path).parent_path().string();
}

bool isTemporary(const std::string& path)
{
    const auto name = std::filesystem::path(path).filename().string();
    return name.starts_with('.') && name.ends_with(".tmp");
}

// Index of the first operation after from (exclusive) matching op and path; npos if none.
std::size_t find(const std::vector<FileOperation>& trace, std::size_t from, const std::string& op,
                 const std::string& path)
{
    for (std::size_t i = from + 1; i < trace.size(); ++i)
        if (trace[i].op == op && trace[i].path == path)
            return i;
    return std::string::npos;
}

bool happenedBefore(const std::vector<FileOperation>& trace, std::size_t before, const std::string& op,
                    const std::string& path)
{
    for (std::size_t i = 0; i < before; ++i)
        if (trace[i].op == op && trace[i].path == path)
            return true;
    return false;
}

bool wasSymlink(const std::vector<FileOperation>& trace, std::size_t before, const std::string& path)
{
    return happenedBefore(trace, before, "symlink", path);
}

} // namespace

std::vector<std::string> FaultShim::environment() const
{
    std::vector<std::string> variables{"LD_PRELOAD=" + faultShim().string(), "CERTD_FAULT_WATCH=" + joined(watch)};
    if (!log.empty())
        variables.push_back("CERTD_FAULT_LOG=" + log.string());
    if (breakAt) {
        variables.push_back("CERTD_FAULT_AT=" + std::to_string(*breakAt));
        variables.push_back("CERTD_FAULT_ACTION=" + action);
    }
    return variables;
}

std::vector<FileOperation> readTrace(const std::filesystem::path& log)
{
    std::vector<FileOperation> trace;
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line);
        FileOperation operation;
        words >> operation.op >> operation.path >> operation.target;
        if (operation.op != "KILL-BEFORE" && operation.op != "FAIL")
            trace.push_back(operation);
    }
    return trace;
}

std::vector<std::string> durabilityViolations(const std::vector<FileOperation>& trace)
{
    std::vector<std::string> violations;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        const auto& operation = trace[i];
        if (operation.op == "rename" && !isTemporary(operation.target)) {
            const bool commit = std::filesystem::path(operation.target).filename() == "current";
            if (!commit && !wasSymlink(trace, i, operation.path) && !happenedBefore(trace, i, "fsync", operation.path))
                violations.push_back("renamed " + operation.path + " into place without fsync first");
            if (find(trace, i, "fsync", directoryOf(operation.target)) == std::string::npos)
                violations.push_back("no fsync of " + directoryOf(operation.target) + " after renaming " +
                                     operation.target);
        }
        if (operation.op == "symlink" && std::filesystem::path(operation.target).filename().string().starts_with(".v")) {
            // The link `current` is about to point to: that version must be durable, whole.
            const auto version = directoryOf(operation.path) + "/" + operation.target;
            for (std::size_t k = 0; k < i; ++k)
                if (trace[k].op == "create" && directoryOf(trace[k].path) == version &&
                    !happenedBefore(trace, i, "fsync", trace[k].path))
                    violations.push_back("made " + version + " current before fsync of " + trace[k].path);
            if (!happenedBefore(trace, i, "fsync", version))
                violations.push_back("made " + version + " current before fsync of the directory itself");
            std::size_t made = 0;
            for (std::size_t k = 0; k < i; ++k)
                if (trace[k].op == "mkdir" && trace[k].path == version)
                    made = k;
            if (find(trace, made, "fsync", directoryOf(version)) > i)
                violations.push_back("made " + version + " current before its parent knew it durably");
        }
        if (operation.op == "unlink" && !isTemporary(operation.path) &&
            find(trace, i, "fsync", directoryOf(operation.path)) == std::string::npos &&
            directoryOf(operation.path).find("/.v") == std::string::npos)
            violations.push_back("no fsync of " + directoryOf(operation.path) + " after removing " + operation.path);
    }
    return violations;
}

} // namespace certd::test
