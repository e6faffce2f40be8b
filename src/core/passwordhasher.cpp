#include "passwordhasher.h"

#include <sodium.h>

namespace {

// The interactive limits: libsodium's recommendation for a sign-in that a person waits for.
constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr size_t kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

bool sodiumReady()
{
    // Thread-safe, and cheap after the first call.
    return sodium_init() >= 0;
}

} // namespace

QByteArray PasswordHasher::hash(const QString &password)
{
    if (!sodiumReady())
        return {};
    QByteArray utf8 = password.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    const int failed =
        crypto_pwhash_str(out, utf8.constData(), size_t(utf8.size()), kOpsLimit, kMemLimit);
    sodium_memzero(utf8.data(), size_t(utf8.size()));
    if (failed != 0)
        return {};
    return QByteArray(out);
}

bool PasswordHasher::verify(const QByteArray &hash, const QString &password)
{
    if (!sodiumReady() || hash.isEmpty() || hash.size() >= crypto_pwhash_STRBYTES)
        return false;
    QByteArray utf8 = password.toUtf8();
    const int failed =
        crypto_pwhash_str_verify(hash.constData(), utf8.constData(), size_t(utf8.size()));
    sodium_memzero(utf8.data(), size_t(utf8.size()));
    return failed == 0;
}
