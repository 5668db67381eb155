#include "output.h"

#include "base/text.h"

#include <algorithm>
#include <ctime>

namespace certd::cli {
namespace {

std::string formatted(std::int64_t unixTime, const char* format)
{
    const auto seconds = static_cast<std::time_t>(unixTime);
    std::tm parts{};
    if (!gmtime_r(&seconds, &parts))
        return std::to_string(unixTime);
    char text[64];
    std::strftime(text, sizeof text, format, &parts);
    return text;
}

std::string plural(std::int64_t count, const char* unit)
{
    return std::to_string(count) + " " + unit + (count == 1 ? "" : "s");
}

// UTF-8 code points, for aligning columns with non-ASCII names.
std::size_t displayWidth(const std::string& text)
{
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void escapeByte(std::string& shown, unsigned char byte)
{
    shown += "\\x" + toHex(&byte, 1);
}

} // namespace

std::string printable(const std::string& text, bool keepNewlines)
{
    std::string shown;
    for (std::size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x80) {
            if ((byte < 0x20 && !(keepNewlines && byte == '\n')) || byte == 0x7F)
                escapeByte(shown, byte);
            else
                shown += text[i];
            ++i;
            continue;
        }
        const auto length = validUtf8SequenceLength(text, i);
        // C1 controls (U+0080..U+009F, e.g. CSI) act on terminals like C0 ones.
        const bool c1 = length == 2 && byte == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0;
        if (length == 0 || c1) {
            escapeByte(shown, byte);
            ++i;
        } else {
            shown.append(text, i, length);
            i += length;
        }
    }
    return shown;
}

std::string relativeTime(std::int64_t unixTime, std::int64_t now)
{
    const std::int64_t delta = unixTime - now;
    const std::int64_t magnitude = delta < 0 ? -delta : delta;
    std::string amount;
    if (magnitude < 60)
        return "now";
    if (magnitude < 3600)
        amount = plural(magnitude / 60, "minute");
    else if (magnitude < 2 * 86400)
        amount = plural(magnitude / 3600, "hour");
    else
        amount = plural(magnitude / 86400, "day");
    return delta > 0 ? "in " + amount : amount + " ago";
}

std::string humanDate(std::int64_t unixTime, std::int64_t now)
{
    return formatted(unixTime, "%a %Y-%m-%d %H:%M:%S UTC") + " (" + relativeTime(unixTime, now) + ")";
}

std::string isoDate(std::int64_t unixTime)
{
    return formatted(unixTime, "%Y-%m-%dT%H:%M:%SZ");
}

std::string shortFingerprint(const std::string& fingerprint)
{
    return fingerprint.substr(0, 12);
}

void putDate(nlohmann::json& object, const std::string& key, std::int64_t unixTime)
{
    object[key] = unixTime;
    object[key + "UTC"] = isoDate(unixTime);
}

void printJson(std::ostream& out, const nlohmann::json& value, JsonMode mode)
{
    out << value.dump(mode == JsonMode::Pretty ? 2 : -1, ' ', false, nlohmann::json::error_handler_t::replace)
        << "\n";
}

Table::Table(std::vector<std::string> header)
    : header_(std::move(header))
{
}

void Table::add(std::vector<std::string> row)
{
    for (auto& cell : row)
        cell = printable(cell);
    rows_.push_back(std::move(row));
}

void Table::print(std::ostream& out, bool legend) const
{
    std::vector<std::size_t> widths(header_.size(), 0);
    const auto measure = [&](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], displayWidth(row[i]));
    };
    if (legend)
        measure(header_);
    for (const auto& row : rows_)
        measure(row);
    const auto line = [&](const std::vector<std::string>& row) {
        std::string text;
        for (std::size_t i = 0; i < row.size(); ++i) {
            text += row[i];
            if (i + 1 < row.size())
                text += std::string(widths[i] - displayWidth(row[i]) + 2, ' ');
        }
        out << text << "\n";
    };
    if (legend)
        line(header_);
    for (const auto& row : rows_)
        line(row);
}

void Fields::add(std::string label, std::string value)
{
    fields_.emplace_back(std::move(label), printable(value));
}

void Fields::print(std::ostream& out) const
{
    std::size_t width = 0;
    for (const auto& [label, value] : fields_)
        width = std::max(width, displayWidth(label));
    for (const auto& [label, value] : fields_)
        out << std::string(width - displayWidth(label), ' ') << label << ": " << value << "\n";
}

} // namespace certd::cli
