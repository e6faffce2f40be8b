#pragma once

#include "sqldialect.h"

// SQLite through QtSql's QSQLITE driver: one writer at a time, FTS5 for text search,
// PRAGMA data_version for changes, and a fast path through sqlite3 for reading one ticket.
class SqliteDialect final : public SqlDialect
{
public:
    SqliteDialect() = default;
    Q_DISABLE_COPY_MOVE(SqliteDialect)

    QString migrationsFolder() const override;
    QString connectOptions(const DatabaseConfig &config) const override;
    void configureSession(QSqlDatabase &db, const DatabaseConfig &config) const override;
    bool serialisesWriters() const override;
    void beginWrite(QSqlDatabase &db) const override;
    void execSavepointStatement(StatementCache &statements, const QString &sql,
                                const char *what) const override;
    void lockIdempotencyKey(StatementCache &statements, const QString &key) const override;
    bool isRetryable(const QSqlError &error) const override;
    std::optional<BatchSql> batchSql() const override;
    void lockForMigration(QSqlDatabase &db) const override;
    void unlockAfterMigration(QSqlDatabase &db) const override;
    bool beginReadSnapshot(QSqlDatabase &db) const override;
    bool storesSearchWords() const override;
    QString searchQuery(const QStringList &typedWords) const override;
    QString searchCondition(bool frequentWords) const override;
    bool tunesFrequentSearches() const override;
    bool countsSearchWithPage() const override;
    QString searchCountSql() const override;
    QString allWordsQuery(const QStringList &words) const override;
    QString rankedMatchesSql() const override;
    QString orderTerm(const QString &key, Qt::SortOrder direction) const override;
    std::optional<WriteVersion> writeVersion(StatementCache &statements) const override;
    std::optional<QString> commitToken(StatementCache &statements) const override;
    QString changeChannel() const override;
    bool isConnectionLost(const QSqlDatabase &db) const override;
    std::unique_ptr<TicketReader> createTicketReader(const QSqlDatabase &db) const override;
    QString eventPositionColumn() const override;
    QString skipLockedClause() const override;
};
