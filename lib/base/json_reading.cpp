#include "base/json_reading.h"

#include "base/error.h"

namespace certd::json {
namespace {

// nlohmann's own DOM builder (its detail namespace: stable across 3.x, and
// what json::parse uses), stopped at the first level deeper than allowed
// and at lengths the input cannot hold: its binary readers recurse once per
// level, so an unlimited depth would overflow the stack.
class LimitedBuilder : public nlohmann::detail::json_sax_dom_parser<Json> {
public:
    LimitedBuilder(Json& result, std::size_t inputSize)
        : json_sax_dom_parser(result, true)
        , inputSize_(inputSize)
    {
    }

    bool start_object(std::size_t elements)
    {
        return enter(elements) && json_sax_dom_parser::start_object(elements);
    }
    bool start_array(std::size_t elements)
    {
        return enter(elements) && json_sax_dom_parser::start_array(elements);
    }
    bool end_object()
    {
        --depth_;
        return json_sax_dom_parser::end_object();
    }
    bool end_array()
    {
        --depth_;
        return json_sax_dom_parser::end_array();
    }

    bool tooDeep() const { return tooDeep_; }

private:
    bool enter(std::size_t elements)
    {
        // Unknown lengths are SIZE_MAX; a known one needs a byte per element.
        if (elements != static_cast<std::size_t>(-1) && elements > inputSize_)
            throw Error(ErrorCode::Internal, "a length of " + std::to_string(elements) + " exceeds the data");
        if (++depth_ > maxNesting) {
            tooDeep_ = true;
            return false;
        }
        return true;
    }

    std::size_t inputSize_;
    int depth_ = 0;
    bool tooDeep_ = false;
};

template <typename Parse>
Json parseLimited(std::size_t size, Parse parse)
{
    Json result;
    LimitedBuilder builder(result, size);
    bool complete = false;
    try {
        complete = parse(builder);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& failure) {
        throw Error(ErrorCode::Internal, failure.what());
    }
    if (builder.tooDeep())
        throw Error(ErrorCode::Internal, "nested deeper than " + std::to_string(maxNesting) + " levels");
    if (!complete || builder.is_errored())
        throw Error(ErrorCode::Internal, "not complete");
    return result;
}

} // namespace

Json parseText(std::string_view text)
{
    return parseLimited(text.size(), [&](LimitedBuilder& builder) {
        return Json::sax_parse(text.begin(), text.end(), &builder, nlohmann::detail::input_format_t::json);
    });
}

Json parseCbor(std::string_view bytes)
{
    return parseLimited(bytes.size(), [&](LimitedBuilder& builder) {
        return Json::sax_parse(bytes.begin(), bytes.end(), &builder, nlohmann::detail::input_format_t::cbor);
    });
}

void throwWrongValue(const char* expected)
{
    throw Error(ErrorCode::Internal, std::string("expected ") + expected);
}

const Json& member(const Json& object, const char* key)
{
    if (!object.is_object())
        throwWrongValue("an object");
    const auto found = object.find(key);
    if (found == object.end())
        throw Error(ErrorCode::Internal, std::string("no ") + key);
    return *found;
}

const Json& element(const Json& array, std::size_t index)
{
    if (!array.is_array() || index >= array.size())
        throwWrongValue(("an array of more than " + std::to_string(index) + " elements").c_str());
    return array[index];
}

std::string text(const Json& value)
{
    if (!value.is_string())
        throwWrongValue("a string");
    return value.get<std::string>();
}

bool boolean(const Json& value)
{
    if (!value.is_boolean())
        throwWrongValue("true or false");
    return value.get<bool>();
}

std::vector<std::string> texts(const Json& value)
{
    if (!value.is_array())
        throwWrongValue("an array of strings");
    std::vector<std::string> all;
    for (const auto& item : value)
        all.push_back(text(item));
    return all;
}

} // namespace certd::json
