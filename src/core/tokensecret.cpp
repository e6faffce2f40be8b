#include "tokensecret.h"

#include <sodium.h>
#include <stdexcept>

namespace {

constexpr qsizetype kRandomBytes = 32;
// base64url of 32 bytes without padding.
constexpr qsizetype kEncodedLength = 43;

} // namespace

QString TokenSecret::generate()
{
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium could not start");
    unsigned char random[kRandomBytes];
    randombytes_buf(random, sizeof random);
    char encoded[sodium_base64_ENCODED_LEN(kRandomBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(encoded, sizeof encoded, random, sizeof random,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(random, sizeof random);
    const QString secret = QString::fromLatin1(kPrefix) + QString::fromLatin1(encoded);
    sodium_memzero(encoded, sizeof encoded);
    return secret;
}

QByteArray TokenSecret::digest(QByteArrayView secret)
{
    unsigned char hash[crypto_generichash_BYTES];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char *>(secret.data()),
                       size_t(secret.size()), nullptr, 0);
    return QByteArray(reinterpret_cast<const char *>(hash), sizeof hash).toHex();
}

bool TokenSecret::hasSecretShape(QByteArrayView text)
{
    if (text.size() != kPrefix.size() + kEncodedLength || !text.startsWith(kPrefix))
        return false;
    for (const char c : text.sliced(kPrefix.size())) {
        const bool base64url = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                               (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!base64url)
            return false;
    }
    return true;
}
