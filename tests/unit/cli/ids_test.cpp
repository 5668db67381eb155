#include "ids.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace certd::cli {
namespace {

const std::string a = "3f1d0c9a2b4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd";
const std::string b = "3f1d0c9a77777777718293a4b5c6d7e8f90123456789abcdef0123456789abcd";
const std::string c = "99887766554433221100ffeeddccbbaa99887766554433221100ffeeddccbbaa";
const std::vector<CaSummary> cas = {{a, "Example Root CA"}, {b, "Other CA"}, {c, "Example Root CA 2"}};

std::string failureOf(const std::string& id)
{
    try {
        resolveCaId(id, cas);
    } catch (const std::invalid_argument& error) {
        return error.what();
    }
    return "(resolved)";
}

TEST(CliIds, Resolves)
{
    const struct {
        const char* id;
        const std::string& fingerprint;
    } cases[] = {
        {a.c_str(), a}, {"3f1d0c9a2b", a}, {"3F1D0C9A2B", a}, {"99887766", c},
        {"Example Root CA", a}, {"Other CA", b}, {"Example Root CA 2", c},
    };
    for (const auto& test : cases)
        EXPECT_EQ(resolveCaId(test.id, cas), test.fingerprint) << test.id;
}

TEST(CliIds, AmbiguousPrefixListsCandidates)
{
    const auto why = failureOf("3f1d0c9a");
    EXPECT_NE(why.find("ambiguous"), std::string::npos) << why;
    EXPECT_NE(why.find(a), std::string::npos) << why;
    EXPECT_NE(why.find(b), std::string::npos) << why;
    EXPECT_EQ(why.find(c), std::string::npos) << why;
}

TEST(CliIds, ShortPrefixIsNotAnId)
{
    const auto why = failureOf("3f1d0c9");
    EXPECT_NE(why.find("at least 8 hex digits"), std::string::npos) << why;
}

TEST(CliIds, UnknownNameSuggestsSimilarNames)
{
    const auto why = failureOf("example");
    EXPECT_NE(why.find("did you mean"), std::string::npos) << why;
    EXPECT_NE(why.find("Example Root CA 2"), std::string::npos) << why;
    EXPECT_NE(failureOf("nothing like it").find("certctl list-cas"), std::string::npos);
}

TEST(CliIds, CommonNameMatchesExactly)
{
    EXPECT_NE(failureOf("example root ca").find("No stored CA"), std::string::npos);
    EXPECT_NE(failureOf("Example Root").find("No stored CA"), std::string::npos);
}

} // namespace
} // namespace certd::cli
