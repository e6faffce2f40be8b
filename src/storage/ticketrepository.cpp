#include "ticketrepository.h"

#include "database.h"
#include "sqliteticketreader.h"
#include "sqlrow.h"
#include "storageerror.h"
#include "timestamps.h"
#include "transaction.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlRecord>

namespace {

// Escapes LIKE wildcards so a search for "100%" finds that text, not everything. Case is folded
// in SQL by lower() on both sides, so pattern and text fold alike on every database (SQLite's
// lower() folds ASCII only; folding the pattern in C++ made "Über" miss its own ticket).
QString likePattern(const QString &search)
{
    QString escaped = search;
    escaped.replace(u'!', QLatin1String("!!"));
    escaped.replace(u'%', QLatin1String("!%"));
    escaped.replace(u'_', QLatin1String("!_"));
    return u'%' + escaped + u'%';
}

// WHERE clause and bound values for a query's filters; the cursor is applied separately.
struct Filter
{
    QString sql;
    QVariantList values;
};

Filter filterFor(const TicketQuery &query)
{
    Filter filter;
    QStringList conditions;
    if (query.category) {
        conditions.append(QStringLiteral("t.category = ?"));
        filter.values.append(QString(categoryName(*query.category)));
    }
    if (query.status) {
        conditions.append(QStringLiteral("t.status = ?"));
        filter.values.append(QString(ticketStatusName(*query.status)));
    }
    // A literal, not a bound value: SQLite uses the partial index only for a literal match.
    if (query.needsReview)
        conditions.append(*query.needsReview ? QStringLiteral("t.needs_review = 1")
                                             : QStringLiteral("t.needs_review = 0"));
    if (!query.search.isEmpty()) {
        conditions.append(QStringLiteral("(lower(t.subject) LIKE lower(?) ESCAPE '!' OR "
                                         "lower(t.body) LIKE lower(?) ESCAPE '!')"));
        const QString pattern = likePattern(query.search);
        filter.values << pattern << pattern;
    }
    filter.sql = conditions.join(QLatin1String(" AND "));
    return filter;
}

} // namespace

TicketRepository::TicketRepository(const Database &database)
    : m_database(database)
    , m_db(database.connection())
    , m_statements(m_db)
    , m_sqliteReader(SqliteTicketReader::create(m_db))
{}

TicketRepository::~TicketRepository() = default;

QSqlQuery &TicketRepository::prepared(const QString &sql)
{
    return m_statements.prepared(sql);
}

Ticket TicketRepository::insert(const TicketDraft &draft)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 createdAt = draft.createdAt ? Timestamps::toMs(*draft.createdAt) : now;

    // lastInsertId() rather than RETURNING: SQLite builds a temporary table for RETURNING on
    // every insert, and QtSql's PostgreSQL driver answers lastInsertId() with lastval().
    QSqlQuery &query = prepared(QStringLiteral(
        "INSERT INTO tickets (subject, body, form, source, status, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, 'open', ?, ?)"));
    query.bindValue(0, SqlRow::text(draft.subject));
    query.bindValue(1, SqlRow::text(draft.body));
    query.bindValue(2, QString(ticketFormName(draft.form)));
    query.bindValue(3, QString(ticketSourceName(draft.source)));
    query.bindValue(4, createdAt);
    query.bindValue(5, now);
    StatementCache::exec(query, "store the ticket");
    Ticket ticket;
    ticket.id = query.lastInsertId().toLongLong();
    query.finish();
    if (ticket.id <= 0)
        throw StorageError(QStringLiteral("The database did not return the new ticket's id"));
    ticket.subject = draft.subject;
    ticket.body = draft.body;
    ticket.form = draft.form;
    ticket.source = draft.source;
    ticket.createdAt = Timestamps::fromMs(createdAt);
    ticket.updatedAt = Timestamps::fromMs(now);
    // The insert trigger queued it for classification.
    ticket.job = ClassificationJob{};
    return ticket;
}

Ticket TicketRepository::create(const TicketDraft &draft)
{
    Transaction transaction(m_database);
    Ticket ticket = insert(draft);
    transaction.commit();
    return ticket;
}

TicketRepository::IdempotentCreate TicketRepository::create(const TicketDraft &draft,
                                                            const QString &idempotencyKey,
                                                            const QByteArray &requestHash)
{
    Transaction transaction(m_database);
    QSqlQuery &lookup = prepared(
        QStringLiteral("SELECT request_hash, ticket_id FROM idempotency_keys WHERE key = ?"));
    lookup.bindValue(0, idempotencyKey);
    StatementCache::exec(lookup, "look up the idempotency key");
    if (lookup.next()) {
        const QByteArray storedHash = lookup.value(0).toString().toLatin1();
        const qint64 ticketId = lookup.value(1).toLongLong();
        lookup.finish();
        if (storedHash != requestHash)
            return {IdempotentCreate::Outcome::KeyReusedWithOtherRequest, std::nullopt};
        return {IdempotentCreate::Outcome::Replayed, find(ticketId)};
    }
    lookup.finish();

    Ticket ticket = insert(draft);
    QSqlQuery &remember =
        prepared(QStringLiteral("INSERT INTO idempotency_keys (key, request_hash, ticket_id, "
                                "created_at) VALUES (?, ?, ?, ?)"));
    remember.bindValue(0, idempotencyKey);
    remember.bindValue(1, QString::fromLatin1(requestHash));
    remember.bindValue(2, ticket.id);
    remember.bindValue(3, Timestamps::toMs(ticket.createdAt));
    StatementCache::exec(remember, "store the idempotency key");
    transaction.commit();
    return {IdempotentCreate::Outcome::Created, ticket};
}

bool TicketRepository::createImported(const TicketDraft &draft, const QByteArray &importKey)
{
    Q_ASSERT(draft.dataset);
    QSqlQuery &exists =
        prepared(QStringLiteral("SELECT 1 FROM imported_tickets WHERE import_key = ?"));
    exists.bindValue(0, QString::fromLatin1(importKey));
    StatementCache::exec(exists, "look up an imported ticket");
    const bool alreadyImported = exists.next();
    exists.finish();
    if (alreadyImported)
        return false;

    const Ticket ticket = insert(draft);
    QSqlQuery &meta = prepared(QStringLiteral(
        "INSERT INTO imported_tickets (ticket_id, import_key, queue, priority, language, answer) "
        "VALUES (?, ?, ?, ?, ?, ?)"));
    meta.bindValue(0, ticket.id);
    meta.bindValue(1, QString::fromLatin1(importKey));
    meta.bindValue(2, SqlRow::text(draft.dataset->queue));
    meta.bindValue(3, SqlRow::text(draft.dataset->priority));
    meta.bindValue(4, SqlRow::text(draft.dataset->language));
    meta.bindValue(5, SqlRow::text(draft.dataset->answer));
    StatementCache::exec(meta, "store the imported ticket's dataset fields");
    return true;
}

std::optional<Ticket> TicketRepository::find(qint64 id)
{
    if (m_sqliteReader)
        return m_sqliteReader->find(id);
    QSqlQuery &query = prepared(SqlRow::selectTickets() + QStringLiteral("WHERE t.id = ?"));
    query.bindValue(0, id);
    StatementCache::exec(query, "read the ticket");
    std::optional<Ticket> ticket;
    if (query.next())
        ticket = SqlRow::ticket(QueryColumns(query));
    query.finish();
    return ticket;
}

TicketPage TicketRepository::list(const TicketQuery &ticketQuery)
{
    const Filter filter = filterFor(ticketQuery);
    QStringList conditions;
    if (!filter.sql.isEmpty())
        conditions.append(filter.sql);
    QVariantList values = filter.values;
    if (ticketQuery.after) {
        conditions.append(QStringLiteral("(t.created_at, t.id) < (?, ?)"));
        values << ticketQuery.after->createdAtMs << ticketQuery.after->id;
    }
    QString sql = SqlRow::selectTickets();
    if (!conditions.isEmpty())
        sql += QStringLiteral("WHERE ") + conditions.join(QLatin1String(" AND "));
    sql += QStringLiteral(" ORDER BY t.created_at DESC, t.id DESC LIMIT ?");
    values.append(ticketQuery.limit + 1); // one extra row tells whether a next page exists

    QSqlQuery &query = prepared(sql);
    for (qsizetype i = 0; i < values.size(); ++i)
        query.bindValue(int(i), values.at(i));
    StatementCache::exec(query, "list tickets");

    TicketPage page;
    page.limit = ticketQuery.limit;
    while (query.next()) {
        if (page.items.size() == ticketQuery.limit) {
            const Ticket &last = page.items.last();
            page.next = PageCursor{Timestamps::toMs(last.createdAt), last.id};
            break;
        }
        page.items.append(SqlRow::ticket(QueryColumns(query)));
    }
    query.finish();
    page.total = countMatching(ticketQuery);
    return page;
}

qint64 TicketRepository::countMatching(const TicketQuery &ticketQuery)
{
    // Without a text search or review flag the per-day counts answer from a few hundred rows.
    QString sql;
    QVariantList values;
    if (ticketQuery.search.isEmpty() && !ticketQuery.needsReview) {
        QStringList conditions;
        if (ticketQuery.category) {
            conditions.append(QStringLiteral("category = ?"));
            values.append(QString(categoryName(*ticketQuery.category)));
        }
        if (ticketQuery.status) {
            conditions.append(QStringLiteral("status = ?"));
            values.append(QString(ticketStatusName(*ticketQuery.status)));
        }
        sql = QStringLiteral("SELECT COALESCE(SUM(n), 0) FROM ticket_counts");
        if (!conditions.isEmpty())
            sql += QStringLiteral(" WHERE ") + conditions.join(QLatin1String(" AND "));
    } else {
        const Filter filter = filterFor(ticketQuery);
        sql = QStringLiteral("SELECT COUNT(*) FROM tickets t WHERE ") + filter.sql;
        values = filter.values;
    }
    QSqlQuery &query = prepared(sql);
    for (qsizetype i = 0; i < values.size(); ++i)
        query.bindValue(int(i), values.at(i));
    StatementCache::exec(query, "count tickets");
    const qint64 total = query.next() ? query.value(0).toLongLong() : 0;
    query.finish();
    return total;
}

qint64 TicketRepository::count()
{
    return countMatching(TicketQuery{});
}
