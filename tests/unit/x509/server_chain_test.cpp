// Building the chain a server sends from an upload: each case a row of
// what was uploaded (by name), what certd already trusts, and the chain
// and warnings that result, or the refusal.
#include "base/error.h"
#include "x509/certificate_details.h"
#include "x509/server_chain.h"
#include "refusal.h"
#include "test_certificates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using test::TestCertificate;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct Pki {
    TestCertificate root = test::makeCa("Root");
    TestCertificate intermediate = issuedCa("Intermediate", root);
    TestCertificate second = issuedCa("Second Intermediate", intermediate);
    TestCertificate leaf = test::makeCertificate(test::serverSpec("leaf.example", second));
    TestCertificate stranger = test::makeCa("Stranger");
    // The intermediate's name, another key: issued nothing here.
    TestCertificate impostor = issuedCa("Intermediate", root);
    TestCertificate selfSignedLeaf = makeSelfSignedLeaf();

    static TestCertificate issuedCa(const std::string& name, const TestCertificate& issuer)
    {
        auto spec = test::serverSpec(name, issuer);
        spec.subject = {{"CN", name}};
        spec.basicConstraints = "critical,CA:TRUE";
        spec.keyUsage = "critical,keyCertSign,cRLSign";
        spec.extendedKeyUsage.clear();
        spec.subjectAltName.clear();
        return test::makeCertificate(spec);
    }
    TestCertificate makeSelfSignedLeaf()
    {
        auto spec = test::serverSpec("self.example", root);
        spec.issuer = nullptr;
        return test::makeCertificate(spec);
    }
    const TestCertificate& byName(const std::string& name) const
    {
        if (name == "root") return root;
        if (name == "intermediate") return intermediate;
        if (name == "second") return second;
        if (name == "stranger") return stranger;
        if (name == "impostor") return impostor;
        if (name == "self") return selfSignedLeaf;
        return leaf;
    }
};

struct ChainRow {
    const char* name;
    std::vector<std::string> uploaded;
    std::vector<std::string> trusted;  // what the lookup knows
    std::vector<std::string> expected; // the chain, by name; empty: refused
    std::vector<std::string> warnings; // substrings, in order; for a refusal: of its message
};

std::vector<ChainRow> rows()
{
    return {
        {"in order", {"leaf", "second", "intermediate"}, {}, {"leaf", "second", "intermediate"}, {}},
        {"reversed", {"intermediate", "second", "leaf"}, {}, {"leaf", "second", "intermediate"}, {"out of order"}},
        {"root kept where given", {"root", "leaf", "second", "intermediate"}, {},
         {"leaf", "second", "intermediate", "root"}, {"out of order"}},
        {"repeated", {"leaf", "second", "second", "intermediate"}, {}, {"leaf", "second", "intermediate"},
         {"Certificate 3 of the upload repeats certificate 2"}},
        {"completed from the trust store", {"leaf"}, {"second", "intermediate", "root"},
         {"leaf", "second", "intermediate"},
         {"lacks the intermediate certificate \"Second Intermediate\"",
          "lacks the intermediate certificate \"Intermediate\""}},
        {"a gap filled", {"leaf", "intermediate"}, {"second"}, {"leaf", "second", "intermediate"},
         {"lacks the intermediate certificate \"Second Intermediate\""}},
        {"an issuer nobody gave", {"leaf"}, {}, {"leaf"}, {"Clients need the issuer of \"leaf.example\""}},
        {"an impostor in the trust store is passed over", {"leaf", "second"}, {"impostor", "intermediate"},
         {"leaf", "second", "intermediate"}, {"lacks the intermediate certificate \"Intermediate\""}},
        {"an intermediate without its root is normal", {"leaf", "second"}, {}, {"leaf", "second"}, {}},
        {"self-signed", {"self"}, {}, {"self"}, {}},
        {"a stranger", {"leaf", "second", "stranger"}, {}, {},
         {"Certificate 3 of the upload (\"Stranger\") is not in the chain of \"leaf.example\""}},
        {"an impostor", {"leaf", "second", "impostor"}, {}, {}, {"Certificate 3 of the upload (\"Intermediate\")"}},
    };
}

class ServerChainTest : public ::testing::TestWithParam<ChainRow> {
protected:
    static const Pki& pki()
    {
        static const Pki made;
        return made;
    }
};

TEST_P(ServerChainTest, BuildsTheChainAServerSends)
{
    const auto& row = GetParam();
    std::vector<X509Ptr> uploaded;
    for (const auto& name : row.uploaded)
        uploaded.push_back(shareCertificate(*pki().byName(name).cert));
    const IssuerLookup lookup = [&](const X509&) {
        std::vector<X509Ptr> known;
        for (const auto& name : row.trusted)
            known.push_back(shareCertificate(*pki().byName(name).cert));
        return known;
    };
    const std::string keyOwner = row.uploaded.front() == "self" ? "self" : "leaf";
    EVP_PKEY& key = *pki().byName(keyOwner).key;
    if (row.expected.empty()) {
        const auto refusal = test::refusalOf([&] { buildServerChain(std::move(uploaded), key, lookup); });
        EXPECT_EQ(refusal.code, ErrorCode::InvalidCertificate);
        EXPECT_THAT(refusal.message, HasSubstr(row.warnings.front()));
        return;
    }
    const auto built = buildServerChain(std::move(uploaded), key, lookup);
    std::vector<std::string> chain;
    for (const auto& cert : built.chain)
        for (const auto& name : {"leaf", "second", "intermediate", "root", "self", "impostor", "stranger"})
            if (X509_cmp(cert.get(), pki().byName(name).cert.get()) == 0)
                chain.push_back(name);
    EXPECT_EQ(chain, row.expected);
    ASSERT_EQ(built.warnings.size(), row.warnings.size()) << ::testing::PrintToString(built.warnings);
    for (std::size_t i = 0; i < row.warnings.size(); ++i)
        EXPECT_THAT(built.warnings[i], HasSubstr(row.warnings[i]));
}

INSTANTIATE_TEST_SUITE_P(Rows, ServerChainTest, ::testing::ValuesIn(rows()), [](const auto& info) {
    std::string name = info.param.name;
    for (auto& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)))
            c = '_';
    return name;
});

TEST(ServerChain, TheCertificateOfTheKeyIsTheServersWhateverItsPlace)
{
    const Pki pki;
    std::vector<X509Ptr> uploaded;
    uploaded.push_back(shareCertificate(*pki.second.cert));
    uploaded.push_back(shareCertificate(*pki.leaf.cert));
    const auto built = buildServerChain(std::move(uploaded), *pki.leaf.key, {});
    ASSERT_EQ(built.chain.size(), 2u);
    EXPECT_EQ(X509_cmp(built.chain.front().get(), pki.leaf.cert.get()), 0);
    // No certificate of the key: the first is taken, and the key check will say so.
    std::vector<X509Ptr> other;
    other.push_back(shareCertificate(*pki.leaf.cert));
    EXPECT_EQ(X509_cmp(buildServerChain(std::move(other), *pki.root.key, {}).chain.front().get(), pki.leaf.cert.get()),
              0);
}

} // namespace
} // namespace certd
