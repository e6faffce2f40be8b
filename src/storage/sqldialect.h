#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

struct DatabaseConfig;
class StatementCache;
class TicketReader;

// What differs between the SQL databases storage runs on, chosen once per Database, so that
// repositories read the same for every backend.
class SqlDialect
{
public:
    virtual ~SqlDialect() = default;
    Q_DISABLE_COPY_MOVE(SqlDialect)

    // The folder under sql/ holding this dialect's migrations.
    virtual QString migrationsFolder() const = 0;

    // For QSqlDatabase::setConnectOptions(): the config's own options, then this dialect's
    // defaults for the keys the config leaves out.
    virtual QString connectOptions(const DatabaseConfig &config) const = 0;
    // Sets up every connection right after it opens. Throws StorageError.
    virtual void configureSession(QSqlDatabase &db, const DatabaseConfig &config) const = 0;

    // Whether this process must queue its writers behind one mutex (Database::writeMutex()).
    virtual bool serialisesWriters() const = 0;
    // Starts a write transaction that QSqlDatabase::commit() and rollback() end.
    // Throws StorageError.
    virtual void beginWrite(QSqlDatabase &db) const = 0;
    // Runs SAVEPOINT, RELEASE or ROLLBACK TO inside a write transaction. Throws StorageError
    // saying what could not be done.
    virtual void execSavepointStatement(StatementCache &statements, const QString &sql,
                                        const char *what) const = 0;
    // Inside a write transaction, before an idempotency key is looked up: makes another
    // transaction with the same key wait until this one ends, so that it then finds the key
    // instead of failing on it. Throws StorageError.
    virtual void lockIdempotencyKey(StatementCache &statements, const QString &key) const = 0;
    // Whether a write transaction that failed with this error may well succeed when run again
    // from BEGIN: it lost a deadlock or a serialisation conflict with another writer, and its
    // work was rolled back whole.
    virtual bool isRetryable(const QSqlError &error) const = 0;

    // Statements that store a batch of tickets with a few statements in all instead of several
    // per ticket. Each placeholder takes one array, made by array(), of a value per row.
    struct BatchSql
    {
        // Turns values into one array parameter; bigint columns take decimal strings.
        QString (*array)(const QStringList &values) = nullptr;
        // Waits for the idempotency key locks of lockIdempotencyKey() for keys[], taking them
        // in a fixed order so that two batches with common keys cannot deadlock.
        QString lockKeys;
        // Rows (key, request_hash, ticket_id) for the stored ones among keys[] created at or
        // after the second parameter.
        QString lookupKeys;
        // Binds subject[], body[], form[], source[], created_at[], search_words[], requester[],
        // thread_ref[] (empty for NULL) and then updated_at; stores tickets with status 'open' and
        // returns rows (n, id), n the 1-based position of the row in the arrays.
        QString insertTickets;
        // Binds key[], request_hash[], ticket_id[], created_at[]; replaces expired keys.
        QString insertKeys;
        // Binds an array per column of ClassificationRepository::insertSql(), in its order:
        // a batch of results in one statement, so that statement triggers run once for it.
        QString insertClassifications;
    };
    // Nothing where a statement per ticket is as fast: an embedded database has no round trips
    // to save.
    virtual std::optional<BatchSql> batchSql() const = 0;

    // Keeps every other connection, in any process, from migrating the database until
    // unlockAfterMigration(); waits while another one migrates. Throws StorageError.
    virtual void lockForMigration(QSqlDatabase &db) const = 0;
    virtual void unlockAfterMigration(QSqlDatabase &db) const = 0;
    // Starts a transaction in which every read sees the same snapshot, ended by commit() or
    // rollback(). False when it could not start; the reads then see each commit as it lands.
    virtual bool beginReadSnapshot(QSqlDatabase &db) const = 0;

    // Whether an insert into tickets must fill tickets.search_words with
    // SearchText::normalised() of the subject and body; otherwise the schema indexes the text.
    virtual bool storesSearchWords() const = 0;
    // The value bound to searchCondition() and searchCountSql() for what an agent typed, split
    // into words: every word must start a word of the ticket. Empty when no typed word has a
    // letter or digit, and then the index cannot help.
    virtual QString searchQuery(const QStringList &typedWords) const = 0;
    // A condition on tickets t, with one placeholder for searchQuery(). frequentWords: the
    // search matches so many tickets that the plan should walk another index in the wanted
    // order and check each ticket against the matches.
    virtual QString searchCondition(bool frequentWords) const = 0;
    // Whether searchCondition() depends on frequentWords; when not, the repository spares the
    // count of matches that tells frequent words apart.
    virtual bool tunesFrequentSearches() const = 0;
    // Whether a search's count is best taken in the same pass as a page of its matches: where
    // checking a match means reading its row, one pass over them beats two.
    virtual bool countsSearchWithPage() const = 0;
    // Counts the tickets searchQuery() matches, with one placeholder for it.
    virtual QString searchCountSql() const = 0;
    // For finding similar tickets: the value bound to rankedMatchesSql() matching a ticket with
    // every one of the words (SearchText::words() of a text). Empty for no words.
    virtual QString allWordsQuery(const QStringList &words) const = 0;
    // Rows (id, score) of the tickets anyWordQuery() matches, the best score first, with
    // placeholders for the query and a row limit. Scores rank, but mean nothing across queries.
    virtual QString rankedMatchesSql() const = 0;

    // An ORDER BY term for a key that may be NULL. Keyset and position SQL assume NULL sorts
    // below every value: first ascending, last descending.
    virtual QString orderTerm(const QString &key, Qt::SortOrder direction) const = 0;

    // A token that changes when the database is written.
    struct WriteVersion
    {
        qint64 byOthers = 0; // commits of other connections, this process's included
        qint64 byThisConnection = 0;
        friend bool operator==(const WriteVersion &, const WriteVersion &) = default;
    };
    // Nothing when the database offers no such token to poll; changes must then be announced.
    // Throws StorageError.
    virtual std::optional<WriteVersion> writeVersion(StatementCache &statements) const = 0;

    // Equal for two reads exactly when no commit, of this connection or any other, landed
    // between them; read first in a beginReadSnapshot() transaction, it names what that
    // snapshot sees. Nothing when the database offers no such token. Throws StorageError.
    virtual std::optional<QString> commitToken(StatementCache &statements) const = 0;

    // The channel every commit that changes tickets notifies (QSqlDriver notifications), for a
    // database without a write version to poll; empty when writeVersion() is the way.
    virtual QString changeChannel() const = 0;

    // Whether the connection to the server is gone (a restart, a network failure): its owner
    // must drop what it prepared on it and open a new one. A file database never loses it.
    virtual bool isConnectionLost(const QSqlDatabase &db) const = 0;

    // Null when QtSql is the only way to read.
    virtual std::unique_ptr<TicketReader> createTicketReader(const QSqlDatabase &db) const = 0;

    // The column of ticket_change_events that orders events as their transactions committed:
    // where writers run one at a time the id is that order; elsewhere a position given at commit.
    virtual QString eventPositionColumn() const = 0;

    // Ends a SELECT that picks rows for its write transaction to take (a queue's claim): locks
    // them and passes over rows another transaction holds, so that concurrent claims take
    // different rows without waiting. Empty where writers run one at a time anyway.
    virtual QString skipLockedClause() const = 0;

protected:
    SqlDialect() = default;

    // given and defaults are "key=value" items separated by ';', as QtSql's drivers take them.
    static QString withDefaultOptions(const QString &given, const QStringList &defaults);
};
