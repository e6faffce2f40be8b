#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include <optional>

// How webhook deliveries are signed, as the Standard Webhooks specification does it, so that
// receivers can use its libraries: the secret is "whsec_" and the base64 of 32 random bytes;
// each delivery carries "webhook-id", "webhook-timestamp" (Unix seconds) and
// "webhook-signature: v1,<base64 of HMAC-SHA256(key, id + '.' + timestamp + '.' + body)>".
// A receiver rejects a timestamp far from its clock (a replay) and an id it already has (a
// retry it already took).
class WebhookSignature final
{
public:
    static constexpr QByteArrayView kSecretPrefix = "whsec_";

    // A new secret, shown once to whoever registers the webhook.
    static QString generateSecret();
    // The HMAC key a secret stands for; nothing for text that is not a secret.
    static std::optional<QByteArray> keyOf(QStringView secret);
    static QByteArray sign(QByteArrayView key, QByteArrayView id, qint64 timestamp,
                           QByteArrayView body);
};
