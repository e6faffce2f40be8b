#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

// An integration token's secret: 32 random bytes from the operating system, written as
// "sct_" and 43 base64url characters so that secret scanners can spot a leaked one. The
// database keeps only its BLAKE2b-256 digest. A fast hash is enough: the secret has 256 bits of
// entropy, and Argon2 on every request would cost the API most of its throughput.
class TokenSecret final
{
public:
    static constexpr QByteArrayView kPrefix = "sct_";

    static QString generate();
    // 64 hex digits; what the database stores and looks up.
    static QByteArray digest(QByteArrayView secret);
    // Whether text has a secret's shape; anything else is refused without hashing it.
    static bool hasSecretShape(QByteArrayView text);
};
