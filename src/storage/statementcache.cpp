#include "statementcache.h"

#include "storageerror.h"

#include <QSqlError>

QSqlQuery &StatementCache::prepared(const QString &sql)
{
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) {
        QSqlQuery query(m_db);
        // Every result is read once, front to back; a scrollable result makes QtSql allocate a
        // row cache on each exec, which was a third of the cost of GET /requests/{id}.
        query.setForwardOnly(true);
        if (!query.prepare(sql))
            throw StorageError(
                QStringLiteral("Could not prepare a statement: %1").arg(query.lastError().text()));
        it = m_statements.insert(sql, query);
    }
    return *it;
}

void StatementCache::exec(QSqlQuery &query, const char *what)
{
    if (!query.exec()) {
        const QSqlError cause = query.lastError();
        query.finish();
        throw StorageError(
            QStringLiteral("Could not %1: %2").arg(QLatin1String(what), cause.text()), cause);
    }
}

void StatementCache::execUnprepared(const QString &sql, const char *what)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql))
        throw StorageError(
            QStringLiteral("Could not %1: %2").arg(QLatin1String(what), query.lastError().text()),
            query.lastError());
}
