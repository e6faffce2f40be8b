#pragma once

#include "scope.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QHash>
#include <QMutex>
#include <QString>

#include <functional>
#include <variant>

class Database;

// Checks the API's bearer tokens for every worker thread of one node. A token found good is
// trusted from memory for kRecheckMs and then looked up again, so a token revoked or expired on
// any node sharing the database is refused everywhere within that time, and a check costs a
// hash and a lookup in memory, not a query. Thread-safe; lookups use the calling thread's
// connection and throw StorageError.
class TokenVerifier final
{
public:
    static constexpr qint64 kRecheckMs = 500;
    // How often a token's last use is written back, at most.
    static constexpr qint64 kLastUseResolutionMs = 60'000;

    using Clock = std::function<QDateTime()>;
    explicit TokenVerifier(const Database &database, Clock clock = {});
    Q_DISABLE_COPY_MOVE(TokenVerifier)

    struct Grant
    {
        qint64 tokenId = 0;
        QString name;
        Scopes scopes;
    };
    enum class Refusal { Malformed, Unknown, Expired, Revoked };
    std::variant<Grant, Refusal> verify(QByteArrayView secret);

    // After a revoke on this node: nothing is trusted from memory any more.
    void forgetAll();

private:
    struct Entry
    {
        Grant grant;
        QDateTime expiresAt;
        QDateTime checkedAt;
        QDateTime lastUseWritten;
    };
    std::variant<Grant, Refusal> lookUp(const QByteArray &digest, const QDateTime &now);

    const Database &m_database;
    Clock m_clock;
    QMutex m_mutex;
    QHash<QByteArray, Entry> m_entries;
};
