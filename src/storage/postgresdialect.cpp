#include "postgresdialect.h"

#include "databaseconfig.h"
#include "searchtext.h"
#include "statementcache.h"
#include "storageerror.h"
#include "ticketreader.h"
#include "ticketrepository.h"

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

void PostgresDialect::configureSession(QSqlDatabase &, const DatabaseConfig &) const
{
    // Timestamps are stored as UTC milliseconds, so no session setting changes what is read.
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

bool PostgresDialect::isRetryable(const QSqlError &error) const
{
    // QPSQL reports the SQLSTATE as the native error code: 40P01 deadlock_detected, 40001
    // serialization_failure. Either rolled the whole transaction back.
    const QString state = error.nativeErrorCode();
    return state == QLatin1String("40P01") || state == QLatin1String("40001");
}

namespace {

// A PostgreSQL array literal of text, each element quoted, so that no value reads as NULL or
// splits at a comma; inside quotes only '"' and '\' need escaping (section 8.15.6 of the
// manual). The driver then quotes the whole literal as one string.
QString arrayLiteral(const QStringList &values)
{
    QString literal;
    literal.reserve(16 + values.size() * 64);
    literal += u'{';
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            literal += u',';
        literal += u'"';
        for (const QChar c : values.at(i)) {
            if (c == u'"' || c == u'\\')
                literal += u'\\';
            literal += c;
        }
        literal += u'"';
    }
    literal += u'}';
    return literal;
}

} // namespace

std::optional<SqlDialect::BatchSql> PostgresDialect::batchSql() const
{
    BatchSql sql;
    sql.array = arrayLiteral;
    // The lock is evaluated for each row after the sort: PostgreSQL computes volatile output
    // expressions after ORDER BY since 9.6 ("Postpone evaluation of SELECT output expressions
    // until after an ORDER BY sort"). Sorted by the lock's own key, not the text, because two
    // texts may share a hash.
    sql.lockKeys = QStringLiteral("SELECT pg_advisory_xact_lock(%1, h) FROM "
                                  "(SELECT DISTINCT hashtext(k) AS h FROM unnest(?::text[]) AS k) "
                                  "AS locks ORDER BY h")
                       .arg(kIdempotencyLockClass);
    sql.lookupKeys = QStringLiteral("SELECT key, request_hash, ticket_id FROM idempotency_keys "
                                    "WHERE key = ANY (?::text[]) AND created_at >= ?");
    // Ids are drawn before the insert and returned with each row's position: RETURNING
    // promises no order. A CTE read twice is computed once, and a data-modifying one always
    // runs to completion (section 7.8.4), so each row gets one id and is stored with it.
    sql.insertTickets = QStringLiteral(
        "WITH input AS ("
        " SELECT nextval(pg_get_serial_sequence('tickets', 'id')) AS id, u.*"
        " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[],"
        " ?::text[], ?::text[])"
        " WITH ORDINALITY AS u(subject, body, form, source, created_at, search_words, requester,"
        " thread_ref, n)"
        " ORDER BY u.n),"
        " stored AS ("
        " INSERT INTO tickets (id, subject, body, form, source, status, created_at, updated_at,"
        " search_words, requester, thread_ref)"
        " SELECT id, subject, body, form, source, 'open', created_at, ?::bigint, search_words,"
        " NULLIF(requester, ''), NULLIF(thread_ref, '')"
        " FROM input ORDER BY n)"
        " SELECT n, id FROM input");
    sql.insertKeys =
        QStringLiteral("INSERT INTO idempotency_keys (key, request_hash, ticket_id, created_at) "
                       "SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[]) ") +
        TicketRepository::kReplaceExpiredKey;
    sql.insertClassifications = QStringLiteral(
        "INSERT INTO classifications (ticket_id, category, confidence, priority, summary, "
        "provider, model, model_version, fallback, attempts, needs_review, processing_ms, "
        "created_at) "
        "SELECT * FROM unnest(?::bigint[], ?::text[], ?::float8[], ?::text[], ?::text[], "
        "?::text[], ?::text[], ?::text[], ?::integer[], ?::integer[], ?::integer[], ?::bigint[], "
        "?::bigint[])");
    return sql;
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

bool PostgresDialect::countsSearchWithPage() const
{
    // The GIN index leaves every match to be checked in its row: 15,000 matches cost 40-60 ms a
    // pass at a million tickets, so the count rides along with the page (COUNT(*) OVER ()).
    return true;
}

QString PostgresDialect::searchCountSql() const
{
    return QStringLiteral("SELECT COUNT(*) FROM tickets t "
                          "WHERE t.search_vector @@ to_tsquery('simple', ?)");
}

QString PostgresDialect::allWordsQuery(const QStringList &words) const
{
    // SearchText::words() leaves letters and digits only: nothing to_tsquery() reads as an
    // operator.
    return words.join(QLatin1String(" & "));
}

QString PostgresDialect::rankedMatchesSql() const
{
    // ts_rank reads each match's whole vector: ranking every ticket with one common word took
    // seconds at a million. The first thousand matches the index gives are ranked instead; a
    // search with fewer, telling words (SimilarReplies tries those first) has fewer matches.
    return QStringLiteral("SELECT m.id, ts_rank(m.search_vector, m.q) AS score FROM ("
                          "SELECT t.id, t.search_vector, q FROM tickets t, "
                          "to_tsquery('simple', ?) q WHERE t.search_vector @@ q LIMIT 1000) m "
                          "ORDER BY score DESC LIMIT ?");
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

std::optional<QString> PostgresDialect::commitToken(StatementCache &statements) const
{
    // A snapshot is the set of transactions it sees as committed: two equal ones see the same
    // data. Read-only transactions take no transaction id and leave it as it is.
    QSqlQuery &query = statements.prepared(QStringLiteral("SELECT pg_current_snapshot()::text"));
    StatementCache::exec(query, "read the database's snapshot");
    std::optional<QString> token;
    if (query.next())
        token = query.value(0).toString();
    query.finish();
    return token;
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

QString PostgresDialect::eventPositionColumn() const
{
    return QStringLiteral("position");
}

QString PostgresDialect::skipLockedClause() const
{
    // Without it, concurrent claims pick the same rows and wait on each other's row locks, in
    // tests until PostgreSQL breaks a deadlock; with it, each passes over the rows another holds
    // and takes the next ones at once.
    return QStringLiteral(" FOR UPDATE SKIP LOCKED");
}
