#pragma once

#include "integrationtoken.h"

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>

#include <optional>

class Database;

// Integration tokens by the digest of their secret. Throws StorageError.
class TokenRepository final
{
public:
    explicit TokenRepository(const Database &database);
    Q_DISABLE_COPY_MOVE(TokenRepository)

    // False when a live token has the name. Fills in the id.
    bool add(IntegrationToken &token, const QByteArray &secretDigest);
    // Whatever token has this digest, live or not.
    std::optional<IntegrationToken> findByDigest(const QByteArray &secretDigest);
    // Live ones first by name, then revoked ones, newest first.
    QList<IntegrationToken> list();
    // False when no live token has the name.
    bool revoke(const QString &name, const QDateTime &at);
    void markUsed(qint64 id, const QDateTime &at);

private:
    const Database &m_database;
    QSqlDatabase m_db;
};
