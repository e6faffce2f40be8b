#include "secretbox.h"

#include <sodium.h>
#include <stdexcept>

namespace {

void startSodium()
{
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium could not start");
}

} // namespace

QByteArray SecretBox::generateKey()
{
    startSodium();
    QByteArray key(kKeyBytes, Qt::Uninitialized);
    crypto_secretbox_keygen(reinterpret_cast<unsigned char *>(key.data()));
    return key;
}

SecretBox::SecretBox(QByteArrayView key)
    : m_key(key.size() == kKeyBytes ? key.toByteArray() : QByteArray())
{
    static_assert(kKeyBytes == crypto_secretbox_KEYBYTES);
    startSodium();
}

SecretBox::~SecretBox()
{
    if (!m_key.isEmpty())
        sodium_memzero(m_key.data(), size_t(m_key.size()));
}

SecretBox::SecretBox(const SecretBox &other)
    : m_key(other.m_key.data(), other.m_key.size())
{}

SecretBox &SecretBox::operator=(const SecretBox &other)
{
    if (this != &other) {
        if (!m_key.isEmpty())
            sodium_memzero(m_key.data(), size_t(m_key.size()));
        m_key = QByteArray(other.m_key.data(), other.m_key.size());
    }
    return *this;
}

QString SecretBox::seal(QByteArrayView plaintext) const
{
    if (!isValid())
        throw std::logic_error("SecretBox used without a key");
    QByteArray sealed(qsizetype(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) +
                          plaintext.size(),
                      Qt::Uninitialized);
    auto *nonce = reinterpret_cast<unsigned char *>(sealed.data());
    randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char *>(plaintext.data()),
                          quint64(plaintext.size()), nonce,
                          reinterpret_cast<const unsigned char *>(m_key.constData()));
    return QString::fromLatin1(sealed.toBase64());
}

std::optional<QByteArray> SecretBox::open(QStringView sealed) const
{
    if (!isValid())
        return std::nullopt;
    const auto decoded =
        QByteArray::fromBase64Encoding(sealed.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    constexpr qsizetype kOverhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
    if (!decoded || decoded.decoded.size() < kOverhead)
        return std::nullopt;
    const QByteArray &bytes = decoded.decoded;
    const auto *nonce = reinterpret_cast<const unsigned char *>(bytes.constData());
    QByteArray plaintext(bytes.size() - kOverhead, Qt::Uninitialized);
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char *>(plaintext.data()),
                                   nonce + crypto_secretbox_NONCEBYTES,
                                   quint64(bytes.size() - crypto_secretbox_NONCEBYTES), nonce,
                                   reinterpret_cast<const unsigned char *>(m_key.constData())) != 0)
        return std::nullopt;
    return plaintext;
}
