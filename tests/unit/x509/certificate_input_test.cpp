#include "x509/certificate_details.h"
#include "x509/certificate_input.h"
#include "base/error.h"
#include "test_certificates.h"
#include "refusal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using test::bytesOf;
using test::makeCa;
using ::testing::HasSubstr;

ErrorCode codeOf(const std::function<void()>& action)
{
    const auto refusal = test::refusalOf(action);
    EXPECT_TRUE(refusal.refused) << "no certd::Error thrown";
    return refusal.code;
}

std::string messageOf(const std::function<void()>& action)
{
    return test::refusalOf(action).message;
}

TEST(CertificateInput, ReadsPem)
{
    const auto ca = makeCa("PEM CA");
    const auto input = readFirstCertificate(bytesOf(ca.pem()));
    EXPECT_EQ(sha256Fingerprint(*input.certificate), ca.fingerprint());
    EXPECT_EQ(input.additionalCertificates, 0u);
}

TEST(CertificateInput, ReadsDer)
{
    const auto ca = makeCa("DER CA");
    const auto input = readFirstCertificate(ca.der());
    EXPECT_EQ(sha256Fingerprint(*input.certificate), ca.fingerprint());
    EXPECT_EQ(input.additionalCertificates, 0u);
}

// A DER certificate may carry any text, the PEM marker too.
TEST(CertificateInput, ReadsDerWhoseCommonNameContainsAPemMarker)
{
    const auto ca = test::makeCa("-----BEGIN CERTIFICATE----- in a name");
    const auto der = ca.der();
    const auto input = readFirstCertificate(der);
    EXPECT_EQ(subjectCommonName(*input.certificate), "-----BEGIN CERTIFICATE----- in a name");
    EXPECT_EQ(readCertificateChain(der).size(), 1u);
    EXPECT_EQ(firstCertificateDer(der), der);
}

TEST(CertificateInput, ReadsPemWithExplanatoryTextAround)
{
    const auto ca = makeCa("Text CA");
    const auto text = "Certificate:\n    Data: (openssl x509 -text output)\n" + ca.pem() + "trailing notes\n";
    EXPECT_EQ(sha256Fingerprint(*readFirstCertificate(bytesOf(text)).certificate), ca.fingerprint());
}

TEST(CertificateInput, ReadsPemWithCrlfLineEnds)
{
    const auto ca = makeCa("CRLF CA");
    std::string crlf;
    for (char c : ca.pem())
        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    EXPECT_EQ(sha256Fingerprint(*readFirstCertificate(bytesOf(crlf)).certificate), ca.fingerprint());
}

TEST(CertificateInput, TakesFirstOfSeveralPemCertificatesAndCountsTheRest)
{
    const auto first = makeCa("First");
    const auto second = makeCa("Second");
    const auto third = makeCa("Third");
    const auto input = readFirstCertificate(bytesOf(first.pem() + second.pem() + third.pem()));
    EXPECT_EQ(sha256Fingerprint(*input.certificate), first.fingerprint());
    EXPECT_EQ(input.additionalCertificates, 2u);
}

TEST(CertificateInput, TakesFirstOfConcatenatedDerCertificates)
{
    const auto first = makeCa("First");
    const auto second = makeCa("Second");
    auto der = first.der();
    const auto more = second.der();
    der.insert(der.end(), more.begin(), more.end());
    const auto input = readFirstCertificate(der);
    EXPECT_EQ(sha256Fingerprint(*input.certificate), first.fingerprint());
    EXPECT_EQ(input.additionalCertificates, 1u);
}

TEST(CertificateInput, IgnoresNonCertificateBlocksAfterTheFirstCertificate)
{
    const auto ca = makeCa("With key");
    const auto input = readFirstCertificate(bytesOf(ca.pem() + ca.keyPem()));
    EXPECT_EQ(input.additionalCertificates, 0u);
}

TEST(CertificateInput, AcceptsTrustedCertificateLabel)
{
    const auto ca = makeCa("Trusted");
    auto pem = ca.pem();
    pem.replace(pem.find("BEGIN CERTIFICATE"), 17, "BEGIN TRUSTED CERTIFICATE");
    pem.replace(pem.find("END CERTIFICATE"), 15, "END TRUSTED CERTIFICATE");
    EXPECT_EQ(sha256Fingerprint(*readFirstCertificate(bytesOf(pem)).certificate), ca.fingerprint());
}

TEST(CertificateInput, RefusesEmptyInput)
{
    EXPECT_EQ(codeOf([] { readFirstCertificate({}); }), ErrorCode::InvalidCertificate);
    EXPECT_THAT(messageOf([] { readFirstCertificate({}); }), HasSubstr("empty"));
}

TEST(CertificateInput, RefusesGarbage)
{
    const auto garbage = bytesOf("this is not a certificate at all\n");
    EXPECT_EQ(codeOf([&] { readFirstCertificate(garbage); }), ErrorCode::InvalidCertificate);
    EXPECT_THAT(messageOf([&] { readFirstCertificate(garbage); }), HasSubstr("neither"));
}

TEST(CertificateInput, RefusesTruncatedDer)
{
    auto der = makeCa("Truncated").der();
    der.resize(der.size() / 2);
    EXPECT_EQ(codeOf([&] { readFirstCertificate(der); }), ErrorCode::InvalidCertificate);
}

TEST(CertificateInput, RefusesTruncatedPem)
{
    const auto pem = makeCa("Truncated").pem();
    const auto truncated = bytesOf(pem.substr(0, pem.size() / 2));
    EXPECT_EQ(codeOf([&] { readFirstCertificate(truncated); }), ErrorCode::InvalidCertificate);
    EXPECT_THAT(messageOf([&] { readFirstCertificate(truncated); }), HasSubstr("damaged"));
}

TEST(CertificateInput, RefusesPemWithCorruptBody)
{
    auto pem = makeCa("Corrupt").pem();
    pem[pem.find('\n') + 10] = '*';
    EXPECT_EQ(codeOf([&] { readFirstCertificate(bytesOf(pem)); }), ErrorCode::InvalidCertificate);
}

TEST(CertificateInput, RefusesPemHoldingOnlyAKey)
{
    const auto key = makeCa("Key only").keyPem();
    EXPECT_EQ(codeOf([&] { readFirstCertificate(bytesOf(key)); }), ErrorCode::InvalidCertificate);
    EXPECT_THAT(messageOf([&] { readFirstCertificate(bytesOf(key)); }), HasSubstr("PRIVATE KEY"));
}

TEST(CertificateInput, RefusesInputOverOneMebibyte)
{
    auto big = bytesOf(makeCa("Big").pem());
    big.resize(maxInputSize + 1, '\n');
    EXPECT_EQ(codeOf([&] { readFirstCertificate(big); }), ErrorCode::TooLarge);
    EXPECT_THAT(messageOf([&] { readFirstCertificate(big); }), HasSubstr("1048577"));
}

TEST(CertificateInput, AcceptsInputOfExactlyOneMebibyte)
{
    auto big = bytesOf(makeCa("Big").pem());
    big.resize(maxInputSize, '\n');
    EXPECT_NO_THROW(readFirstCertificate(big));
}

TEST(CertificateChain, ReadsEveryCertificateInOrder)
{
    const auto a = makeCa("A");
    const auto b = makeCa("B");
    const auto chain = readCertificateChain(bytesOf(a.pem() + b.pem()));
    ASSERT_EQ(chain.size(), 2u);
    EXPECT_EQ(sha256Fingerprint(*chain[0]), a.fingerprint());
    EXPECT_EQ(sha256Fingerprint(*chain[1]), b.fingerprint());
}

TEST(CertificateChain, RefusesADamagedLaterCertificate)
{
    const auto a = makeCa("A");
    const auto b = makeCa("B").pem();
    const auto input = bytesOf(a.pem() + b.substr(0, b.size() - 40));
    EXPECT_EQ(codeOf([&] { readCertificateChain(input); }), ErrorCode::InvalidCertificate);
}

TEST(CertificateEncoding, PemAndDerRoundTrip)
{
    const auto ca = makeCa("Round trip");
    EXPECT_EQ(sha256Fingerprint(*certificateFromDer(certificateToDer(*ca.cert))), ca.fingerprint());
    EXPECT_EQ(certificateToPem(*ca.cert), ca.pem());
}

} // namespace
} // namespace certd
