// How certctl shows things: dates as people read them, tables, key/value
// blocks like hostnamectl's, and stable flat JSON for scripts.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace certd::cli {

enum class JsonMode { Off, Short, Pretty };

struct OutputOptions {
    JsonMode json = JsonMode::Off;
    bool legend = true; // table headers and closing counts
};

// "Thu 2027-11-26 14:00:00 UTC (in 364 days)"; now is the reference.
std::string humanDate(std::int64_t unixTime, std::int64_t now);
// "in 364 days", "in 5 hours", "3 days ago", "now".
std::string relativeTime(std::int64_t unixTime, std::int64_t now);
// "2027-11-26T14:00:00Z".
std::string isoDate(std::int64_t unixTime);
// text with control characters (C0, DEL, C1) and bytes that are not UTF-8
// as \xNN: names come from certificates, and an escape sequence in a common
// name must not reach the terminal. keepNewlines: for multi-line messages.
std::string printable(const std::string& text, bool keepNewlines = false);
// The first 12 hex digits, as list-cas shows them.
std::string shortFingerprint(const std::string& fingerprint);

// Epoch seconds as the pair certctl's JSON carries: key and key + "UTC".
void putDate(nlohmann::json& object, const std::string& key, std::int64_t unixTime);

void printJson(std::ostream& out, const nlohmann::json& value, JsonMode mode);

// Columns aligned to their widest cell; the header only with the legend.
// Cells are made printable.
class Table {
public:
    explicit Table(std::vector<std::string> header);
    void add(std::vector<std::string> row);
    void print(std::ostream& out, bool legend) const;
    std::size_t size() const { return rows_.size(); }

private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
};

// "Label: value" lines with the labels right-aligned, as hostnamectl prints.
// Values are made printable.
class Fields {
public:
    void add(std::string label, std::string value);
    void print(std::ostream& out) const;

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

} // namespace certd::cli
