#pragma once

#include "actor.h"
#include "sqldialect.h"
#include "statementcache.h"
#include "ticket.h"
#include "ticketchange.h"
#include "ticketdraft.h"
#include "ticketevent.h"
#include "ticketorder.h"
#include "ticketquery.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <array>
#include <memory>
#include <optional>

// Stores and finds tickets through one thread's connection. Throws StorageError on failures
// the caller cannot fix; "not found" and idempotency conflicts are ordinary results.
class Database;
class TicketReader;

class TicketRepository final
{
public:
    explicit TicketRepository(const Database &database);
    ~TicketRepository();
    Q_DISABLE_COPY_MOVE(TicketRepository)

    // How long an Idempotency-Key answers with its first ticket; after that it is free again.
    static constexpr qint64 kIdempotencyKeyLifetimeMs = 24 * 60 * 60 * 1000;
    // Appended to an insert of idempotency_keys: one that only found an expired key takes its
    // row over (both dialects read this upsert alike).
    static inline const QString kReplaceExpiredKey =
        QStringLiteral("ON CONFLICT (key) DO UPDATE SET request_hash = excluded.request_hash, "
                       "ticket_id = excluded.ticket_id, created_at = excluded.created_at");

    struct IdempotentCreate
    {
        // Refused: not taken at all (a TicketWriter that is closing).
        enum class Outcome { Created, Replayed, KeyReusedWithOtherRequest, Failed, Refused };
        Outcome outcome = Outcome::Created;
        std::optional<Ticket> ticket;
        QString error; // Failed, Refused: why, for the log
    };

    // A ticket to store, with the client's Idempotency-Key and request hash when it sent one.
    struct NewTicket
    {
        TicketDraft draft;
        QString idempotencyKey;
        QByteArray requestHash;
    };

    Ticket create(const TicketDraft &draft);
    // The same key with the same request hash returns the first ticket instead of a new one.
    IdempotentCreate create(const TicketDraft &draft, const QString &idempotencyKey,
                            const QByteArray &requestHash);
    // Many tickets in one transaction; one that fails is Failed alone. Where the dialect has
    // set-based batch SQL, a few statements store them all, and a batch the schema refuses in
    // part goes again ticket by ticket, each in a savepoint of its own. A transaction that loses
    // a deadlock or serialisation conflict runs again, a few times. Throws StorageError when the
    // transaction as a whole fails (nothing stored).
    QList<IdempotentCreate> createAll(const QList<NewTicket> &tickets);
    // For imports, inside the importer's Transaction: false when this content is already stored.
    bool createImported(const TicketDraft &draft, const QByteArray &importKey);
    // Deletes the keys that have expired, so the table holds about a day of them. Returns how
    // many went.
    qint64 forgetExpiredIdempotencyKeys();

    std::optional<Ticket> find(qint64 id);
    // The ones that exist, in the order of ids.
    QList<Ticket> findAll(const QList<qint64> &ids);
    // Keyset pages, newest first, for the API.
    TicketPage list(const TicketQuery &query);
    // Tickets matching the query's filters; its limit and cursor are ignored.
    qint64 count(const TicketQuery &filter = {});

    struct CategoryCounts
    {
        qint64 all = 0;
        std::array<qint64, kAllCategories.size()> perCategory{};
    };
    // What count() answers for the filter with each category in turn, and with none, at once.
    CategoryCounts countByCategory(const TicketQuery &filter);

    // Rows offset.. of the filtered tickets in any order, for a table that jumps to any row.
    QList<Ticket> range(const TicketQuery &filter, TicketOrder order, qint64 offset, int limit);
    // Just the ids of those rows.
    QList<qint64> idsInRange(const TicketQuery &filter, TicketOrder order, qint64 offset,
                             int limit);
    struct CountedRange
    {
        qint64 count = 0;
        QList<Ticket> tickets;
    };
    // count() and range() at once, which for a search can take one pass over its matches.
    CountedRange countedRange(const TicketQuery &filter, TicketOrder order, qint64 offset,
                              int limit);
    // Where the ticket is in that order now, or nothing when it no longer matches the filter.
    std::optional<qint64> position(const TicketQuery &filter, TicketOrder order, qint64 ticketId);
    // Each records its actor in the ticket's history. Unknown ids are skipped. Throws
    // StorageError, and then changes none of them.
    void setStatus(const QList<qint64> &ticketIds, TicketStatus status, const Actor &actor);
    // One ticket's status and its history entry, inside the caller's Transaction, for writers
    // that change the status along with something else (a reply).
    static void changeStatus(StatementCache &statements, qint64 ticketId, TicketStatus status,
                             const Actor &actor, qint64 nowMs);
    // An existing user's name (the caller checks), or empty to unassign.
    void setAssignee(const QList<qint64> &ticketIds, const QString &assignee, const Actor &actor);

    enum class ChangeOutcome { Changed, NotFound, Stale };
    // The whole change or none of it; with an expected version, only while the ticket still
    // has it (Stale otherwise), so that nobody overwrites a change they have not seen. A
    // category is the actor's verdict. An assignee must be an existing user's name (the caller
    // checks). Throws StorageError.
    ChangeOutcome change(qint64 ticketId, const TicketChange &change, const Actor &actor,
                         std::optional<qint64> expectedVersion);
    // What people and integrations changed on the ticket, oldest first.
    QList<TicketEvent> events(qint64 ticketId);
    // The largest ticket id so far.
    qint64 newestId();
    // Changes whenever another connection has committed; a reader polls it to know when to
    // re-read. Always a new value where the database cannot tell.
    qint64 dataVersion();

private:
    // With matches, also counts every row the filter matches into it, in the same query.
    QList<qint64> idsInRange(const TicketQuery &filter, TicketOrder order, qint64 offset, int limit,
                             qint64 *matches);
    QSqlQuery &prepared(const QString &sql);
    Ticket insert(const TicketDraft &draft);
    // Inside a transaction: records and makes one assignment.
    void assign(qint64 ticketId, const QString &assignee, const Actor &actor, qint64 nowMs);
    static Ticket storedTicket(const TicketDraft &draft, qint64 id, qint64 createdAtMs,
                               qint64 nowMs);
    QList<IdempotentCreate> createEach(const QList<NewTicket> &tickets);
    // Nothing when the batch must go ticket by ticket (createEach()).
    std::optional<QList<IdempotentCreate>> createAsSet(const QList<NewTicket> &tickets,
                                                       const SqlDialect::BatchSql &sql);
    QList<IdempotentCreate> createAsSetUnderLocks(const QList<NewTicket> &tickets,
                                                  const QStringList &keys,
                                                  const SqlDialect::BatchSql &sql);
    IdempotentCreate insertOnce(const TicketDraft &draft, const QString &idempotencyKey,
                                const QByteArray &requestHash);
    // How many tickets the full-text query matches; remembered per query unless fresh, since
    // it only picks a plan and a few new tickets do not change the pick.
    qint64 fullTextMatches(const QString &words, bool fresh);
    // The search matches so many tickets that the query should walk an index in order instead.
    bool isFrequentSearch(const TicketQuery &query);

    const Database &m_database;
    QSqlDatabase m_db;
    StatementCache m_statements;
    std::unique_ptr<TicketReader> m_reader;
    QHash<QString, qint64> m_matchCounts;
};
