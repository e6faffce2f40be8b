#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include <optional>

// Secrets the program must read back (a webhook's signing secret), kept at rest encrypted and
// authenticated with libsodium's secretbox (XSalsa20-Poly1305) under a key that lives outside
// the database. Sealed text is base64 of a fresh random nonce followed by the ciphertext.
class SecretBox final
{
public:
    static constexpr qsizetype kKeyBytes = 32;

    // A new random key. Throws std::runtime_error when libsodium cannot start.
    static QByteArray generateKey();

    // key: kKeyBytes bytes (isValid() tells).
    explicit SecretBox(QByteArrayView key);
    ~SecretBox();
    SecretBox(const SecretBox &other);
    SecretBox &operator=(const SecretBox &other);

    bool isValid() const { return m_key.size() == kKeyBytes; }
    QString seal(QByteArrayView plaintext) const;
    // Nothing when sealed was not made by this key, was changed or is not sealed text.
    std::optional<QByteArray> open(QStringView sealed) const;

private:
    QByteArray m_key;
};
