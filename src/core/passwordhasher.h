#pragma once

#include <QByteArray>
#include <QString>

// Passwords as libsodium's Argon2id strings (crypto_pwhash_str): a memory-hard hash with its
// own salt and parameters, so that a stolen user table costs an attacker dearly per guess.
// Both calls take about a tenth of a second and 64 MiB on purpose: never on the GUI thread.
class PasswordHasher final
{
public:
    // Empty when libsodium cannot get the memory it needs.
    static QByteArray hash(const QString &password);
    // In constant time with respect to the password; false for a malformed hash.
    static bool verify(const QByteArray &hash, const QString &password);
};
