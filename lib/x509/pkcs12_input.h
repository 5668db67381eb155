// A PKCS#12 file (.p12, .pfx: what Windows CAs and most PKI portals hand
// out) read as an upload: its one private key, the certificate that belongs
// to that key, and the file's other certificates as the chain. The
// passphrase decrypts the file once; what comes out is plain PEM, so that a
// PKCS#12 upload passes exactly the checks of an upload of PEM files and the
// key is stored like every other key (the rule against passphrase-protected
// keys is about keys certd would have to unlock at every start).
//
// The encryptions Windows still produces (RC2-40, 3DES) live in OpenSSL 3's
// legacy provider. It is loaded into a library context of this module's own,
// made the calling thread's default only while the file is decoded: the rest
// of certd never has legacy algorithms available. What leaves is text, which
// the caller reads back in the default context.
#pragma once

#include "base/bytes.h"

#include <string>

namespace certd {

struct Pkcs12Contents {
    std::string certificatesPem; // the key's certificate first, then the others in the file's order
    std::string privateKeyPem;   // unencrypted PKCS#8
};

inline constexpr std::size_t maxPassphraseSize = 1024;

// What costs nothing to check, before authorization: TooLarge (the file,
// over maxInputSize), InvalidArgument (the passphrase, over maxPassphraseSize).
void requireAcceptablePkcs12Input(ByteView data, const std::string& passphrase);

// Errors: those of requireAcceptablePkcs12Input, InvalidPKCS12 (not PKCS#12, damaged, an encryption OpenSSL cannot undo, no
// certificate), WrongPassphrase, NoPrivateKey, SeveralPrivateKeys,
// KeyMismatch (no certificate of the file belongs to its key).
Pkcs12Contents readPkcs12(ByteView data, const std::string& passphrase);

} // namespace certd
