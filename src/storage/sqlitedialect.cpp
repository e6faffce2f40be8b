#include "sqlitedialect.h"

#include "databaseconfig.h"
#include "sqliteticketreader.h"
#include "statementcache.h"
#include "storageerror.h"

#include <QDeadlineTimer>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <algorithm>

QString SqliteDialect::migrationsFolder() const
{
    return QStringLiteral("sqlite");
}

QString SqliteDialect::connectOptions(const DatabaseConfig &config) const
{
    return withDefaultOptions(config.connectOptions,
                              {QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000")});
}

namespace {

constexpr auto kSqliteBusy = "5";

QString exec(QSqlQuery &query, const QString &statement)
{
    if (!query.exec(statement))
        throw StorageError(QStringLiteral("Could not configure the database (%1): %2")
                               .arg(statement, query.lastError().text()));
    return query.next() ? query.value(0).toString() : QString();
}

// The WAL mode is stored in the file, so only the first connection to a new database switches
// it. Connections opening a new database together can each hold a shared lock that the others
// need gone; SQLite then answers SQLITE_BUSY at once instead of waiting in the busy handler,
// as waiting could deadlock. One of them wins within milliseconds, so the others try again.
void switchToWriteAheadLog(QSqlDatabase &db)
{
    QSqlQuery query(db);
    if (exec(query, QStringLiteral("PRAGMA journal_mode")) == QLatin1String("wal"))
        return;
    const QString statement = QStringLiteral("PRAGMA journal_mode = WAL");
    QDeadlineTimer deadline(std::chrono::seconds(10));
    while (!query.exec(statement)) {
        if (query.lastError().nativeErrorCode() != QLatin1String(kSqliteBusy) ||
            deadline.hasExpired())
            throw StorageError(QStringLiteral("Could not configure the database (%1): %2")
                                   .arg(statement, query.lastError().text()));
        QThread::msleep(5);
    }
}

} // namespace

void SqliteDialect::configureSession(QSqlDatabase &db, const DatabaseConfig &config) const
{
    // WAL lets the API, the window and the classifier read while one of them writes.
    // synchronous=NORMAL keeps every committed ticket through a crash or kill of the program;
    // only a power cut can lose the last commits, a trade SQLite documents for WAL mode.
    switchToWriteAheadLog(db);
    QSqlQuery query(db);
    for (const QString &statement : {
             QStringLiteral("PRAGMA synchronous = NORMAL"),
             QStringLiteral("PRAGMA foreign_keys = ON"),
             QStringLiteral("PRAGMA temp_store = MEMORY"),
             QStringLiteral("PRAGMA cache_size = -32768"),
             QStringLiteral("PRAGMA mmap_size = %1")
                 .arg(std::max<qint64>(0, config.memoryMapBytes)),
         })
        exec(query, statement);
}

bool SqliteDialect::serialisesWriters() const
{
    // SQLite allows one writer at a time. Writers of this process queue on a mutex instead of
    // in SQLite's busy handler, which sleeps for milliseconds; other processes still use that.
    return true;
}

void SqliteDialect::beginWrite(QSqlDatabase &db) const
{
    // A deferred BEGIN that reads before it writes fails at once with SQLITE_BUSY when another
    // process wrote meanwhile; IMMEDIATE takes the write lock up front, waiting under the
    // busy timeout. QtSql's commit() and rollback() end it as usual.
    QSqlQuery begin(db);
    if (!begin.exec(QStringLiteral("BEGIN IMMEDIATE")))
        throw StorageError(
            QStringLiteral("Could not start a transaction: %1").arg(begin.lastError().text()));
}

void SqliteDialect::execSavepointStatement(StatementCache &statements, const QString &sql,
                                           const char *what) const
{
    // Prepared once and reused: a batch of tickets runs three of these per ticket.
    StatementCache::exec(statements.prepared(sql), what);
}

void SqliteDialect::lockIdempotencyKey(StatementCache &, const QString &) const
{
    // BEGIN IMMEDIATE already let this transaction in alone; the lookup sees every earlier one.
}

bool SqliteDialect::isRetryable(const QSqlError &) const
{
    // One writer at a time, let in by BEGIN IMMEDIATE: no deadlock between writers, and a lock
    // still busy after the busy timeout would be busy again.
    return false;
}

std::optional<SqlDialect::BatchSql> SqliteDialect::batchSql() const
{
    // Per-ticket statements run in-process, prepared once: a savepoint costs microseconds.
    return std::nullopt;
}

void SqliteDialect::lockForMigration(QSqlDatabase &) const
{
    // Nothing to hold between migrations: each one runs under BEGIN IMMEDIATE, which lets one
    // writer in at a time, and the Migrator checks inside it that no one applied it meanwhile.
}

void SqliteDialect::unlockAfterMigration(QSqlDatabase &) const {}

bool SqliteDialect::beginReadSnapshot(QSqlDatabase &db) const
{
    // A deferred BEGIN takes no write lock; its first read fixes the snapshot.
    return db.transaction();
}

bool SqliteDialect::storesSearchWords() const
{
    // Triggers copy subject and body into the FTS5 table tickets_search, whose unicode61
    // tokenizer splits, folds and strips accents itself.
    return false;
}

QString SqliteDialect::searchQuery(const QStringList &typedWords) const
{
    // Each word a quoted FTS5 phrase with a prefix star, so the index's own tokenizer splits it
    // the way it split the ticket; the phrases are ANDed by juxtaposition.
    QStringList phrases;
    for (QString word : typedWords) {
        if (std::none_of(word.cbegin(), word.cend(), [](QChar c) { return c.isLetterOrNumber(); }))
            continue;
        word.replace(u'"', QLatin1String("\"\""));
        phrases.append(u'"' + word + QLatin1String("\"*"));
    }
    return phrases.join(u' ');
}

QString SqliteDialect::searchCondition(bool frequentWords) const
{
    // "+t.id" keeps SQLite from driving the query from the matches.
    return (frequentWords ? QStringLiteral("+t.id") : QStringLiteral("t.id")) +
           QStringLiteral(" IN (SELECT rowid FROM tickets_search WHERE tickets_search MATCH ?)");
}

bool SqliteDialect::tunesFrequentSearches() const
{
    return true;
}

bool SqliteDialect::countsSearchWithPage() const
{
    // FTS5 counts a search's matches from its index alone, and a frequent word's first page
    // comes quicker from the date index than from all its matches.
    return false;
}

QString SqliteDialect::searchCountSql() const
{
    return QStringLiteral("SELECT COUNT(*) FROM tickets_search WHERE tickets_search MATCH ?");
}

QString SqliteDialect::allWordsQuery(const QStringList &words) const
{
    // SearchText::words() leaves letters and digits only; quoted, none reads as an operator, and
    // phrases side by side must all match.
    QStringList phrases;
    for (const QString &word : words)
        phrases.append(u'"' + word + u'"');
    return phrases.join(u' ');
}

QString SqliteDialect::rankedMatchesSql() const
{
    // FTS5's rank is BM25, lower for better matches; ordering by it lets FTS5 keep only the best.
    return QStringLiteral("SELECT rowid, -rank FROM tickets_search WHERE tickets_search MATCH ? "
                          "ORDER BY rank LIMIT ?");
}

QString SqliteDialect::orderTerm(const QString &key, Qt::SortOrder direction) const
{
    // SQLite sorts NULL below every value already.
    return key +
           (direction == Qt::DescendingOrder ? QLatin1String(" DESC") : QLatin1String(" ASC"));
}

std::optional<SqlDialect::WriteVersion>
SqliteDialect::writeVersion(StatementCache &statements) const
{
    // data_version moves when another connection commits, total_changes() when this one writes.
    QSqlQuery &others = statements.prepared(QStringLiteral("PRAGMA data_version"));
    StatementCache::exec(others, "read the database's data version");
    WriteVersion version;
    version.byOthers = others.next() ? others.value(0).toLongLong() : -1;
    others.finish();
    QSqlQuery &own = statements.prepared(QStringLiteral("SELECT total_changes()"));
    StatementCache::exec(own, "count this connection's changes");
    version.byThisConnection = own.next() ? own.value(0).toLongLong() : -1;
    own.finish();
    return version;
}

std::optional<QString> SqliteDialect::commitToken(StatementCache &statements) const
{
    const std::optional<WriteVersion> version = writeVersion(statements);
    return QStringLiteral("%1/%2").arg(version->byOthers).arg(version->byThisConnection);
}

std::unique_ptr<TicketReader> SqliteDialect::createTicketReader(const QSqlDatabase &db) const
{
    return SqliteTicketReader::create(db);
}

QString SqliteDialect::changeChannel() const
{
    // data_version answers in microseconds; SQLite has no notifications across processes.
    return QString();
}

bool SqliteDialect::isConnectionLost(const QSqlDatabase &) const
{
    return false;
}

QString SqliteDialect::eventPositionColumn() const
{
    return QStringLiteral("id");
}

QString SqliteDialect::skipLockedClause() const
{
    // beginWrite() takes the one write lock before the claim reads, so no other claim can run
    // between its read and its write.
    return QString();
}
