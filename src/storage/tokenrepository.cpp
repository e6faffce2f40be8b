#include "tokenrepository.h"

#include "database.h"
#include "sqlrow.h"
#include "statementcache.h"
#include "timestamps.h"
#include "transaction.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {

const QString kColumns = u"SELECT id, name, scopes, created_by, created_at, expires_at, "
                         "last_used_at, revoked_at FROM api_tokens"_s;

IntegrationToken token(const QSqlQuery &query)
{
    IntegrationToken token;
    token.id = query.value(0).toLongLong();
    token.name = query.value(1).toString();
    // Stored by this program only; a name it no longer knows grants nothing.
    token.scopes = parseScopes(query.value(2).toString()).value;
    token.createdBy = query.value(3).toString();
    token.createdAt = Timestamps::fromMs(query.value(4).toLongLong());
    token.expiresAt = SqlRow::timeOrInvalid(query, 5);
    token.lastUsedAt = SqlRow::timeOrInvalid(query, 6);
    token.revokedAt = SqlRow::timeOrInvalid(query, 7);
    return token;
}

} // namespace

TokenRepository::TokenRepository(const Database &database)
    : m_database(database)
    , m_db(database.connection())
{}

bool TokenRepository::add(IntegrationToken &token, const QByteArray &secretDigest)
{
    QSqlQuery query(m_db);
    // The conflict target names the partial index's predicate, as both dialects require.
    query.prepare(u"INSERT INTO api_tokens (name, secret_hash, scopes, created_by, created_at, "
                  "expires_at) VALUES (?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING"_s);
    if (!token.createdAt.isValid())
        token.createdAt = QDateTime::currentDateTimeUtc();
    query.addBindValue(token.name);
    query.addBindValue(QString::fromLatin1(secretDigest));
    query.addBindValue(scopesText(token.scopes));
    query.addBindValue(SqlRow::text(token.createdBy));
    query.addBindValue(Timestamps::toMs(token.createdAt));
    query.addBindValue(SqlRow::msOrNull(token.expiresAt));
    Transaction transaction(m_database);
    StatementCache::exec(query, "store the token");
    const bool added = query.numRowsAffected() == 1;
    query.finish();
    transaction.commit();
    if (!added)
        return false;
    if (const std::optional<IntegrationToken> stored = findByDigest(secretDigest))
        token = *stored;
    return true;
}

std::optional<IntegrationToken> TokenRepository::findByDigest(const QByteArray &secretDigest)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(kColumns + u" WHERE secret_hash = ?"_s);
    query.addBindValue(QString::fromLatin1(secretDigest));
    StatementCache::exec(query, "look up the token");
    if (!query.next())
        return std::nullopt;
    return token(query);
}

QList<IntegrationToken> TokenRepository::list()
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(kColumns + u" ORDER BY revoked_at IS NOT NULL, revoked_at DESC, name"_s);
    StatementCache::exec(query, "list the tokens");
    QList<IntegrationToken> tokens;
    while (query.next())
        tokens.append(token(query));
    return tokens;
}

bool TokenRepository::revoke(const QString &name, const QDateTime &at)
{
    QSqlQuery query(m_db);
    query.prepare(u"UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL"_s);
    query.addBindValue(Timestamps::toMs(at));
    query.addBindValue(name);
    Transaction transaction(m_database);
    StatementCache::exec(query, "revoke the token");
    const bool revoked = query.numRowsAffected() == 1;
    query.finish();
    transaction.commit();
    return revoked;
}

void TokenRepository::markUsed(qint64 id, const QDateTime &at)
{
    QSqlQuery query(m_db);
    query.prepare(u"UPDATE api_tokens SET last_used_at = ? WHERE id = ?"_s);
    query.addBindValue(Timestamps::toMs(at));
    query.addBindValue(id);
    Transaction transaction(m_database);
    StatementCache::exec(query, "note the token's use");
    query.finish();
    transaction.commit();
}
