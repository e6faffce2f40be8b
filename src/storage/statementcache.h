#pragma once

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

// Prepared statements of one connection, prepared on first use and kept for the connection's
// life; repositories call the same few statements thousands of times a second.
class StatementCache final
{
public:
    explicit StatementCache(QSqlDatabase db)
        : m_db(std::move(db))
    {}
    Q_DISABLE_COPY_MOVE(StatementCache)

    // Throws StorageError when the statement does not prepare.
    QSqlQuery &prepared(const QString &sql);

    // Runs a statement the database cannot prepare, such as SAVEPOINT on PostgreSQL.
    // Throws StorageError saying what could not be done.
    void execUnprepared(const QString &sql, const char *what);

    // Runs a prepared (and bound) statement; throws StorageError saying what could not be done.
    static void exec(QSqlQuery &query, const char *what);

private:
    QSqlDatabase m_db;
    QHash<QString, QSqlQuery> m_statements;
};
