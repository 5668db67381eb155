#include "x509/certificate_request.h"

#include "base/error.h"
#include "x509/certificate_builder.h"

#include <openssl/pem.h>

namespace certd {
namespace {

[[noreturn]] void fail(const std::string& what)
{
    throw Error(ErrorCode::Internal, "Could not build a certificate request (" + what + "): " + takeOpenSslErrors());
}

using ExtensionStack = std::unique_ptr<STACK_OF(X509_EXTENSION), decltype([](STACK_OF(X509_EXTENSION) * stack) {
                                           sk_X509_EXTENSION_pop_free(stack, X509_EXTENSION_free);
                                       })>;

void setSubject(X509_REQ& request, const std::vector<std::pair<std::string, std::string>>& names)
{
    X509NamePtr name(X509_NAME_new());
    if (!name)
        fail("allocation");
    for (const auto& [field, value] : names)
        if (X509_NAME_add_entry_by_txt(name.get(), field.c_str(), MBSTRING_UTF8,
                                       reinterpret_cast<const unsigned char*>(value.c_str()),
                                       static_cast<int>(value.size()), -1, 0) != 1)
            fail("subject " + field);
    if (X509_REQ_set_subject_name(&request, name.get()) != 1)
        fail("subject");
}

void addExtensions(X509_REQ& request, const std::vector<std::pair<int, std::string>>& extensions)
{
    if (extensions.empty())
        return;
    ExtensionStack stack(sk_X509_EXTENSION_new_null());
    if (!stack)
        fail("allocation");
    X509V3_CTX context;
    X509V3_set_ctx(&context, nullptr, nullptr, &request, nullptr, 0);
    for (const auto& [nid, value] : extensions) {
        X509ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
        if (!extension || sk_X509_EXTENSION_push(stack.get(), extension.get()) <= 0)
            fail(std::string("extension ") + OBJ_nid2sn(nid) + "=" + value);
        extension.release(); // the stack owns it now
    }
    if (X509_REQ_add_extensions(&request, stack.get()) != 1)
        fail("extensions");
}

} // namespace

std::string makeCertificateRequestPem(const RequestContents& contents, EVP_PKEY& key)
{
    X509ReqPtr request(X509_REQ_new());
    if (!request || X509_REQ_set_version(request.get(), X509_REQ_VERSION_1) != 1)
        fail("allocation");
    setSubject(*request, contents.subject);
    if (X509_REQ_set_pubkey(request.get(), &key) != 1)
        fail("public key");
    addExtensions(*request, contents.extensions);
    if (X509_REQ_sign(request.get(), &key, signatureDigestFor(key)) <= 0)
        fail("signature");
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509_REQ(bio.get(), request.get()) != 1)
        fail("PEM");
    return bioToString(*bio);
}

X509ReqPtr readCertificateRequest(ByteView data)
{
    BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
    X509ReqPtr request(bio ? PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!request)
        throw Error(ErrorCode::InvalidArgument, "No certificate request: " + takeOpenSslErrors());
    return request;
}

} // namespace certd
