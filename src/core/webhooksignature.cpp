#include "webhooksignature.h"

#include <QMessageAuthenticationCode>

#include <sodium.h>
#include <stdexcept>

namespace {

constexpr qsizetype kSecretBytes = 32;

} // namespace

QString WebhookSignature::generateSecret()
{
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium could not start");
    QByteArray random(kSecretBytes, Qt::Uninitialized);
    randombytes_buf(random.data(), size_t(random.size()));
    const QString secret =
        QString::fromLatin1(kSecretPrefix) + QString::fromLatin1(random.toBase64());
    sodium_memzero(random.data(), size_t(random.size()));
    return secret;
}

std::optional<QByteArray> WebhookSignature::keyOf(QStringView secret)
{
    const QByteArray text = secret.toLatin1();
    if (!text.startsWith(kSecretPrefix))
        return std::nullopt;
    const auto key = QByteArray::fromBase64Encoding(text.mid(kSecretPrefix.size()),
                                                    QByteArray::AbortOnBase64DecodingErrors);
    if (!key || key.decoded.isEmpty())
        return std::nullopt;
    return key.decoded;
}

QByteArray WebhookSignature::sign(QByteArrayView key, QByteArrayView id, qint64 timestamp,
                                  QByteArrayView body)
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, key.toByteArray());
    // Qt 6.4 takes no QByteArrayView here.
    mac.addData(id.data(), id.size());
    mac.addData(QByteArrayLiteral("."));
    mac.addData(QByteArray::number(timestamp));
    mac.addData(QByteArrayLiteral("."));
    mac.addData(body.data(), body.size());
    return "v1," + mac.result().toBase64();
}
