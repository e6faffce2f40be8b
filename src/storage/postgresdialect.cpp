#include "postgresdialect.h"

#include "databaseconfig.h"
#include "searchtext.h"
#include "statementcache.h"
#include "storageerror.h"
#include "ticketreader.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

#include <libpq-fe.h>

// The schema this SQL assumes (sql/postgresql/, written separately), beyond the tables and
// columns the SQLite schema has under the same names:
//
//   tickets.search_words TEXT NOT NULL DEFAULT ''
//       SearchText::normalised(subject + "\n" + body), filled by TicketRepository on insert
//       because storesSearchWords() is true; PostgreSQL's own parsers do not fold accents.
//   CREATE INDEX tickets_search_words ON tickets
//       USING GIN (search_vector), a stored to_tsvector('simple', search_words).
//   tickets.needs_review and classifications.needs_review SMALLINT (0 or 1), not BOOLEAN:
//       the repositories compare them with the literals 0 and 1.
//   Timestamps BIGINT milliseconds since the epoch, as in SQLite.
//   tickets.id and classifications.id identity (or serial) columns: QtSql's lastInsertId()
//       asks lastval() for the new row's id.
//   Indexes over a nullable sort key (category, and the window's sort keys) are best declared
//       NULLS FIRST, so that both orderTerm() directions walk them, forwards and backwards.

QString PostgresDialect::migrationsFolder() const
{
    return QStringLiteral("postgresql");
}

QString PostgresDialect::connectOptions(const DatabaseConfig &config) const
{
    // A server that stops answering must not hang a storage thread forever: give up
    // connecting after 10 s and let TCP keepalives notice a dead peer within a minute or so.
    // The application name tells an administrator in pg_stat_activity whose connections these are.
    return withDefaultOptions(config.connectOptions,
                              {QStringLiteral("connect_timeout=10"), QStringLiteral("keepalives=1"),
                               QStringLiteral("keepalives_idle=30"),
                               QStringLiteral("application_name=support-console")});
}

QStringList PostgresDialect::sessionStatements(const DatabaseConfig &) const
{
    // Timestamps are stored as UTC milliseconds, so no session setting changes what is read.
    return {};
}

bool PostgresDialect::serialisesWriters() const
{
    // Row locks let writers run side by side; a mutex would only add waiting.
    return false;
}

void PostgresDialect::beginWrite(QSqlDatabase &db) const
{
    // READ COMMITTED takes row locks as it writes, so a plain BEGIN needs nothing up front.
    if (!db.transaction())
        throw StorageError(
            QStringLiteral("Could not start a transaction: %1").arg(db.lastError().text()));
}

void PostgresDialect::execSavepointStatement(StatementCache &statements, const QString &sql,
                                             const char *what) const
{
    // PostgreSQL's PREPARE takes only SELECT, INSERT, UPDATE, DELETE, MERGE and VALUES; a
    // prepared SAVEPOINT is a syntax error, so these go to the server as plain text.
    statements.execUnprepared(sql, what);
}

namespace {

// Any fixed number that no other program takes advisory locks with on the same database:
// "SCMIGRAT" in ASCII.
constexpr qint64 kMigrationLockKey = 0x5343'4D49'4752'4154;
// Likewise the first key of the idempotency key locks: "SCIK".
constexpr int kIdempotencyLockClass = 0x5343'494B;

void runLockStatement(QSqlDatabase &db, const QString &sql, const char *what)
{
    QSqlQuery query(db);
    query.prepare(sql);
    query.addBindValue(kMigrationLockKey);
    if (!query.exec())
        throw StorageError(
            QStringLiteral("Could not %1: %2").arg(QLatin1String(what), query.lastError().text()));
}

} // namespace

void PostgresDialect::lockIdempotencyKey(StatementCache &statements, const QString &key) const
{
    // Writers run side by side under READ COMMITTED: two nodes retrying one request would
    // both find no key, both insert a ticket, and the second would fail on the key's primary
    // key. A transaction lock per key makes the second wait and then find the first's key.
    // The two-integer form keeps these apart from the migration's one-bigint lock.
    QSqlQuery &lock = statements.prepared(
        QStringLiteral("SELECT pg_advisory_xact_lock(%1, hashtext(?))").arg(kIdempotencyLockClass));
    lock.bindValue(0, key);
    StatementCache::exec(lock, "wait for another request with the same idempotency key");
    lock.finish();
}

void PostgresDialect::lockForMigration(QSqlDatabase &db) const
{
    // A session lock, not a transaction one: the migrations commit one by one, and nodes that
    // start together must wait until all of them are done, not only the first. The server
    // releases it if this connection dies, so a crashed node cannot block the others.
    runLockStatement(db, QStringLiteral("SELECT pg_advisory_lock(?)"),
                     "wait for other nodes to finish migrating the database");
}

void PostgresDialect::unlockAfterMigration(QSqlDatabase &db) const
{
    runLockStatement(db, QStringLiteral("SELECT pg_advisory_unlock(?)"),
                     "let other nodes migrate the database");
}

bool PostgresDialect::beginReadSnapshot(QSqlDatabase &db) const
{
    // READ COMMITTED, the default, takes a new snapshot for every statement.
    QSqlQuery begin(db);
    return begin.exec(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
}

bool PostgresDialect::storesSearchWords() const
{
    return true;
}

QString PostgresDialect::searchQuery(const QStringList &typedWords) const
{
    // The typed words go through the same normaliser as the stored ones, so what remains is
    // letters and digits only: nothing to_tsquery() could read as an operator. "john@example.com"
    // becomes three prefixes that must all appear; the repository's LIKE on the word as typed
    // keeps them together.
    QStringList prefixes;
    for (const QString &typed : typedWords) {
        for (const QString &word : SearchText::words(typed))
            prefixes.append(word + QLatin1String(":*"));
    }
    return prefixes.join(QLatin1String(" & "));
}

QString PostgresDialect::searchCondition(bool) const
{
    // The planner weighs the GIN index against an ordered walk from its own statistics, so a
    // frequent search needs no hint.
    return QStringLiteral("t.search_vector @@ to_tsquery('simple', ?)");
}

bool PostgresDialect::tunesFrequentSearches() const
{
    return false;
}

QString PostgresDialect::searchCountSql() const
{
    return QStringLiteral("SELECT COUNT(*) FROM tickets t "
                          "WHERE t.search_vector @@ to_tsquery('simple', ?)");
}

QString PostgresDialect::orderTerm(const QString &key, Qt::SortOrder direction) const
{
    // PostgreSQL sorts NULL above every value by default; the keyset SQL needs it below.
    return key + (direction == Qt::DescendingOrder ? QLatin1String(" DESC NULLS LAST")
                                                   : QLatin1String(" ASC NULLS FIRST"));
}

std::optional<SqlDialect::WriteVersion> PostgresDialect::writeVersion(StatementCache &) const
{
    // Nothing cheap changes on every commit; changes will be announced by LISTEN/NOTIFY.
    return std::nullopt;
}

std::unique_ptr<TicketReader> PostgresDialect::createTicketReader(const QSqlDatabase &) const
{
    return nullptr;
}

QString PostgresDialect::changeChannel() const
{
    // Sent by the statement triggers of sql/postgresql/0005_change_notifications.sql.
    return QStringLiteral("support_console_tickets");
}

bool PostgresDialect::isConnectionLost(const QSqlDatabase &db) const
{
    // QtSql reports a dead connection as just another failed statement; libpq knows better.
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    // libpq's typedef or its struct, depending on how QtSql registered the type.
    if (!handle.isValid() ||
        (qstrcmp(handle.typeName(), "PGconn*") != 0 && qstrcmp(handle.typeName(), "pg_conn*") != 0))
        return !db.isOpen();
    const auto *connection = *static_cast<PGconn *const *>(handle.constData());
    return !connection || PQstatus(connection) == CONNECTION_BAD;
}

QString PostgresDialect::skipLockedClause() const
{
    // Without it, concurrent claims pick the same rows and wait on each other's row locks, in
    // tests until PostgreSQL breaks a deadlock; with it, each passes over the rows another holds
    // and takes the next ones at once.
    return QStringLiteral(" FOR UPDATE SKIP LOCKED");
}
