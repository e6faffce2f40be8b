#include "ticketrepository.h"

#include "classificationrepository.h"
#include "database.h"
#include "messagerepository.h"
#include "searchtext.h"
#include "sqlrow.h"
#include "storageerror.h"
#include "storagelogging.h"
#include "ticketeventlog.h"
#include "ticketreader.h"
#include "timestamps.h"
#include "transaction.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlRecord>

#include <atomic>

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

// What an agent typed, split into words at any whitespace.
QStringList searchWords(const QString &search)
{
    static const QRegularExpression whitespace(QStringLiteral("\\s+"));
    return search.split(whitespace, Qt::SkipEmptyParts);
}

// The index sees words only; "100%" must still not find "100 dollars", so a word with other
// characters is also looked for as written.
bool needsExactText(const QString &word)
{
    return std::any_of(word.cbegin(), word.cend(), [](QChar c) { return !c.isLetterOrNumber(); });
}

// The full-text index's query for what an agent typed: every word must appear, as the start of a
// word in the ticket, in any order. Empty when nothing in the search is a letter or digit.
QString fullTextQuery(const SqlDialect &dialect, const QString &search)
{
    return dialect.searchQuery(searchWords(search));
}

// Filters that the per-day counts by category and status cannot answer, besides a search.
bool narrowsBeyondDailyCounts(const TicketQuery &query)
{
    return query.needsReview || query.upToId || query.assignee || query.availableTo;
}

bool searchNeedsExactText(const QString &search)
{
    const QStringList words = searchWords(search);
    return std::any_of(words.cbegin(), words.cend(), needsExactText);
}

// WHERE clause and bound values for a query's filters; the cursor is applied separately.
struct Filter
{
    QString sql;
    QVariantList values;
};

// frequentWords: the search matches so many tickets that walking an index in the wanted order
// and checking each ticket against the matches beats reading every match and sorting them.
Filter filterFor(const TicketQuery &query, const SqlDialect &dialect, bool frequentWords = false)
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
    if (query.upToId) {
        conditions.append(QStringLiteral("t.id <= ?"));
        filter.values.append(*query.upToId);
    }
    if (query.assignee) {
        if (query.assignee->isEmpty()) {
            conditions.append(QStringLiteral("t.assignee IS NULL"));
        } else {
            conditions.append(QStringLiteral("t.assignee = ?"));
            filter.values.append(*query.assignee);
        }
    }
    if (query.availableTo) {
        conditions.append(QStringLiteral("(t.assignee IS NULL OR t.assignee = ?)"));
        filter.values.append(*query.availableTo);
    }
    // A literal, not a bound value: SQLite uses the partial index only for a literal match.
    if (query.needsReview)
        conditions.append(*query.needsReview ? QStringLiteral("t.needs_review = 1")
                                             : QStringLiteral("t.needs_review = 0"));
    if (!query.search.isEmpty()) {
        const QString words = fullTextQuery(dialect, query.search);
        if (!words.isEmpty()) {
            conditions.append(dialect.searchCondition(frequentWords));
            filter.values.append(words);
        }
        // Without the index every word is matched as text; with it, only the words with
        // punctuation, each on its own, so "refund 100%" still finds "100% refund".
        for (const QString &word : searchWords(query.search)) {
            if (!words.isEmpty() && !needsExactText(word))
                continue;
            conditions.append(QStringLiteral("(lower(t.subject) LIKE lower(?) ESCAPE '!' OR "
                                             "lower(t.body) LIKE lower(?) ESCAPE '!')"));
            const QString pattern = likePattern(word);
            filter.values << pattern << pattern;
        }
    }
    filter.sql = conditions.join(QLatin1String(" AND "));
    return filter;
}

// The sort key of a table order as SQL over tickets t and their current classification c.
// Ties break on (created_at, id), so sorting by category or status walks the indexes that the
// filters use, and equal keys read newest first like the API.
struct OrderSql
{
    QString key; // empty: the tie-breakers alone
    bool readsClassification = false;
    bool byIdOnly = false;
};

OrderSql orderSqlFor(TicketOrder::Key key)
{
    switch (key) {
    case TicketOrder::Key::Id:
        return {QString(), false, true};
    case TicketOrder::Key::Received:
        return {};
    case TicketOrder::Key::Subject:
        return {QStringLiteral("lower(t.subject)")};
    case TicketOrder::Key::Category:
        return {QStringLiteral("t.category")};
    case TicketOrder::Key::Confidence:
        return {QStringLiteral("c.confidence"), true};
    case TicketOrder::Key::Priority:
        return {QStringLiteral("CASE c.priority WHEN 'low' THEN 1 WHEN 'medium' THEN 2 "
                               "WHEN 'high' THEN 3 END"),
                true};
    case TicketOrder::Key::Status:
        return {QStringLiteral("CASE t.status WHEN 'open' THEN 1 WHEN 'in_progress' THEN 2 "
                               "WHEN 'waiting' THEN 3 WHEN 'resolved' THEN 4 ELSE 5 END")};
    case TicketOrder::Key::Assignee:
        // Nobody's tickets first, as an empty name sorts.
        return {QStringLiteral("COALESCE(t.assignee, '')")};
    case TicketOrder::Key::NeedsReview:
        return {QStringLiteral("t.needs_review")};
    }
    return {};
}

QString fromTickets(const OrderSql &order)
{
    return order.readsClassification ? QStringLiteral(" FROM tickets t LEFT JOIN classifications c "
                                                      "ON c.id = t.classification_id ")
                                     : QStringLiteral(" FROM tickets t ");
}

// The tie-breakers are never NULL, so they keep the plain direction that matches their indexes.
QString orderByClause(const OrderSql &order, Qt::SortOrder direction, const SqlDialect &dialect)
{
    const QLatin1String dir(direction == Qt::DescendingOrder ? " DESC" : " ASC");
    if (order.byIdOnly)
        return QStringLiteral(" ORDER BY t.id") + dir;
    QString clause = QStringLiteral(" ORDER BY ");
    if (!order.key.isEmpty())
        clause += dialect.orderTerm(order.key, direction) + QLatin1String(", ");
    return clause + QLatin1String("t.created_at") + dir + QLatin1String(", t.id") + dir;
}

// Rows that sort before a ticket whose sort values are bound next: strictly greater keys in a
// descending order, smaller in an ascending one. NULL sorts below every value, as
// orderByClause() asks of every dialect.
QString beforeCondition(const OrderSql &order, Qt::SortOrder direction, bool keyIsNull)
{
    const bool descending = direction == Qt::DescendingOrder;
    const QLatin1String cmp(descending ? ">" : "<");
    if (order.byIdOnly)
        return QStringLiteral("t.id ") + cmp + QLatin1String(" ?");
    const QString ties = QStringLiteral("(t.created_at, t.id) ") + cmp + QLatin1String(" (?, ?)");
    if (order.key.isEmpty())
        return ties;
    const QString &key = order.key;
    if (keyIsNull) {
        if (descending)
            return u"(" + key + u" IS NOT NULL OR (" + key + u" IS NULL AND " + ties + u"))";
        return u"(" + key + u" IS NULL AND " + ties + u')';
    }
    const QString sameKeyEarlier = u"(" + key + u" = ? AND " + ties + u')';
    if (descending)
        return u"(" + key + u" > ? OR " + sameKeyEarlier + u')';
    return u"(" + key + u" IS NULL OR " + key + u" < ? OR " + sameKeyEarlier + u')';
}

void bindAll(QSqlQuery &query, const QVariantList &values)
{
    for (qsizetype i = 0; i < values.size(); ++i)
        query.bindValue(int(i), values.at(i));
}

} // namespace

TicketRepository::TicketRepository(const Database &database)
    : m_database(database)
    , m_db(database.connection())
    , m_statements(m_db)
    , m_reader(database.dialect().createTicketReader(m_db))
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
    const bool storesSearchWords = m_database.dialect().storesSearchWords();
    QSqlQuery &query =
        prepared(storesSearchWords
                     ? QStringLiteral("INSERT INTO tickets (subject, body, form, source, status, "
                                      "created_at, updated_at, requester, thread_ref, "
                                      "search_words) "
                                      "VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)")
                     : QStringLiteral("INSERT INTO tickets (subject, body, form, source, status, "
                                      "created_at, updated_at, requester, thread_ref) "
                                      "VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?)"));
    query.bindValue(0, SqlRow::text(draft.subject));
    query.bindValue(1, SqlRow::text(draft.body));
    query.bindValue(2, QString(ticketFormName(draft.form)));
    query.bindValue(3, QString(ticketSourceName(draft.source)));
    query.bindValue(4, createdAt);
    query.bindValue(5, now);
    query.bindValue(6, SqlRow::textOrNull(draft.requester));
    query.bindValue(7, SqlRow::textOrNull(draft.threadRef));
    if (storesSearchWords)
        query.bindValue(
            8, SqlRow::text(SearchText::normalised(QString(draft.subject + u'\n' + draft.body))));
    StatementCache::exec(query, "store the ticket");
    const qint64 id = query.lastInsertId().toLongLong();
    query.finish();
    if (id <= 0)
        throw StorageError(QStringLiteral("The database did not return the new ticket's id"));
    return storedTicket(draft, id, createdAt, now);
}

Ticket TicketRepository::storedTicket(const TicketDraft &draft, qint64 id, qint64 createdAtMs,
                                      qint64 nowMs)
{
    Ticket ticket;
    ticket.id = id;
    ticket.subject = draft.subject;
    ticket.body = draft.body;
    ticket.form = draft.form;
    ticket.source = draft.source;
    ticket.requester = draft.requester;
    ticket.threadRef = draft.threadRef;
    ticket.createdAt = Timestamps::fromMs(createdAtMs);
    ticket.updatedAt = Timestamps::fromMs(nowMs);
    // The insert trigger queued it for classification.
    ticket.job = ClassificationJob{};
    return ticket;
}

Ticket TicketRepository::create(const TicketDraft &draft)
{
    return Transaction::retryingConflicts(m_database, [&] {
        Transaction transaction(m_database);
        Ticket ticket = insert(draft);
        transaction.commit();
        return ticket;
    });
}

TicketRepository::IdempotentCreate TicketRepository::create(const TicketDraft &draft,
                                                            const QString &idempotencyKey,
                                                            const QByteArray &requestHash)
{
    return Transaction::retryingConflicts(m_database, [&] {
        Transaction transaction(m_database);
        IdempotentCreate result = insertOnce(draft, idempotencyKey, requestHash);
        transaction.commit();
        return result;
    });
}

TicketRepository::IdempotentCreate TicketRepository::insertOnce(const TicketDraft &draft,
                                                                const QString &idempotencyKey,
                                                                const QByteArray &requestHash)
{
    m_database.dialect().lockIdempotencyKey(m_statements, idempotencyKey);
    // An expired key is as good as none; the insert below then takes its row over.
    QSqlQuery &lookup = prepared(QStringLiteral(
        "SELECT request_hash, ticket_id FROM idempotency_keys WHERE key = ? AND created_at >= ?"));
    lookup.bindValue(0, idempotencyKey);
    lookup.bindValue(1, QDateTime::currentMSecsSinceEpoch() - kIdempotencyKeyLifetimeMs);
    StatementCache::exec(lookup, "look up the idempotency key");
    if (lookup.next()) {
        const QByteArray storedHash = lookup.value(0).toString().toLatin1();
        const qint64 ticketId = lookup.value(1).toLongLong();
        lookup.finish();
        if (storedHash != requestHash)
            return {IdempotentCreate::Outcome::KeyReusedWithOtherRequest, std::nullopt, {}};
        return {IdempotentCreate::Outcome::Replayed, find(ticketId), {}};
    }
    lookup.finish();

    Ticket ticket = insert(draft);
    QSqlQuery &remember =
        prepared(QStringLiteral("INSERT INTO idempotency_keys (key, request_hash, ticket_id, "
                                "created_at) VALUES (?, ?, ?, ?) ") +
                 kReplaceExpiredKey);
    remember.bindValue(0, idempotencyKey);
    remember.bindValue(1, QString::fromLatin1(requestHash));
    remember.bindValue(2, ticket.id);
    // When the key was used, which is what it expires by; an imported or back-dated ticket
    // may have been created long before.
    remember.bindValue(3, QDateTime::currentMSecsSinceEpoch());
    StatementCache::exec(remember, "store the idempotency key");
    return {IdempotentCreate::Outcome::Created, ticket, {}};
}

QList<TicketRepository::IdempotentCreate>
TicketRepository::createAll(const QList<NewTicket> &tickets)
{
    return Transaction::retryingConflicts(m_database, [&] {
        Transaction transaction(m_database);
        std::optional<QList<IdempotentCreate>> results;
        if (const std::optional<SqlDialect::BatchSql> sql = m_database.dialect().batchSql())
            results = createAsSet(tickets, *sql);
        if (!results)
            results = createEach(tickets);
        transaction.commit();
        return *std::move(results);
    });
}

QList<TicketRepository::IdempotentCreate>
TicketRepository::createEach(const QList<NewTicket> &tickets)
{
    const SqlDialect &dialect = m_database.dialect();
    QList<IdempotentCreate> results;
    results.reserve(tickets.size());
    for (const NewTicket &ticket : tickets) {
        dialect.execSavepointStatement(m_statements, QStringLiteral("SAVEPOINT new_ticket"),
                                       "start storing a ticket");
        try {
            results.append(
                ticket.idempotencyKey.isEmpty()
                    ? IdempotentCreate{IdempotentCreate::Outcome::Created, insert(ticket.draft), {}}
                    : insertOnce(ticket.draft, ticket.idempotencyKey, ticket.requestHash));
        } catch (const StorageError &error) {
            // A lost deadlock is not this ticket's fault: the whole batch goes again.
            if (dialect.isRetryable(error.cause()))
                throw;
            // Also what lets PostgreSQL go on: a failed statement aborts the whole transaction
            // until it is rolled back to a savepoint.
            dialect.execSavepointStatement(m_statements, QStringLiteral("ROLLBACK TO new_ticket"),
                                           "undo a ticket that could not be stored");
            results.append({IdempotentCreate::Outcome::Failed, std::nullopt, error.message()});
        }
        dialect.execSavepointStatement(m_statements, QStringLiteral("RELEASE new_ticket"),
                                       "finish storing a ticket");
    }
    return results;
}

std::optional<QList<TicketRepository::IdempotentCreate>>
TicketRepository::createAsSet(const QList<NewTicket> &tickets, const SqlDialect::BatchSql &sql)
{
    const SqlDialect &dialect = m_database.dialect();
    QStringList keys;
    for (const NewTicket &ticket : tickets) {
        if (!ticket.idempotencyKey.isEmpty())
            keys.append(ticket.idempotencyKey);
    }
    // Before the savepoint, so that the per-ticket path after a rollback to it still holds
    // them: it then takes them again without waiting, and in no other order.
    if (!keys.isEmpty()) {
        QSqlQuery &lock = prepared(sql.lockKeys);
        lock.bindValue(0, sql.array(keys));
        StatementCache::exec(lock, "wait for other requests with the same idempotency keys");
        lock.finish();
    }
    dialect.execSavepointStatement(m_statements, QStringLiteral("SAVEPOINT new_tickets"),
                                   "start storing tickets");
    try {
        QList<IdempotentCreate> results = createAsSetUnderLocks(tickets, keys, sql);
        dialect.execSavepointStatement(m_statements, QStringLiteral("RELEASE new_tickets"),
                                       "finish storing tickets");
        return results;
    } catch (const StorageError &error) {
        if (dialect.isRetryable(error.cause()))
            throw;
        // One ticket the schema refuses fails the statement for all of them; ticket by
        // ticket, it fails alone.
        qCDebug(lcStorage) << "Storing the batch ticket by ticket:" << error.message();
        dialect.execSavepointStatement(m_statements, QStringLiteral("ROLLBACK TO new_tickets"),
                                       "undo the batch that could not be stored");
        dialect.execSavepointStatement(m_statements, QStringLiteral("RELEASE new_tickets"),
                                       "finish storing tickets");
        return std::nullopt;
    }
}

QList<TicketRepository::IdempotentCreate>
TicketRepository::createAsSetUnderLocks(const QList<NewTicket> &tickets, const QStringList &keys,
                                        const SqlDialect::BatchSql &sql)
{
    // What each key already stands for: a stored ticket (ticketId), or an earlier ticket of
    // this batch that creates it (batchIndex), so that a repeat inside the batch replays it.
    struct Known
    {
        QByteArray requestHash;
        qint64 ticketId = 0;
        qsizetype batchIndex = -1;
    };
    QHash<QString, Known> known;
    if (!keys.isEmpty()) {
        QSqlQuery &lookup = prepared(sql.lookupKeys);
        lookup.bindValue(0, sql.array(keys));
        lookup.bindValue(1, QDateTime::currentMSecsSinceEpoch() - kIdempotencyKeyLifetimeMs);
        StatementCache::exec(lookup, "look up the idempotency keys");
        while (lookup.next())
            known.insert(lookup.value(0).toString(),
                         {lookup.value(1).toString().toLatin1(), lookup.value(2).toLongLong(), -1});
        lookup.finish();
    }

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<IdempotentCreate> results(tickets.size());
    // The tickets to insert, by position in tickets; and the ones that replay a key.
    QList<qsizetype> newRows;
    QList<std::pair<qsizetype, Known>> replays;
    QStringList subjects, bodies, forms, sources, createdAts, searchWords, requesters, threadRefs;
    for (qsizetype i = 0; i < tickets.size(); ++i) {
        const NewTicket &ticket = tickets.at(i);
        if (!ticket.idempotencyKey.isEmpty()) {
            if (const auto found = known.constFind(ticket.idempotencyKey); found != known.cend()) {
                if (found->requestHash != ticket.requestHash)
                    results[i] = {
                        IdempotentCreate::Outcome::KeyReusedWithOtherRequest, std::nullopt, {}};
                else
                    replays.append({i, *found});
                continue;
            }
            known.insert(ticket.idempotencyKey, {ticket.requestHash, 0, i});
        }
        const TicketDraft &draft = ticket.draft;
        newRows.append(i);
        subjects.append(SqlRow::text(draft.subject));
        bodies.append(SqlRow::text(draft.body));
        forms.append(QString(ticketFormName(draft.form)));
        sources.append(QString(ticketSourceName(draft.source)));
        createdAts.append(
            QString::number(draft.createdAt ? Timestamps::toMs(*draft.createdAt) : now));
        searchWords.append(
            SqlRow::text(SearchText::normalised(QString(draft.subject + u'\n' + draft.body))));
        requesters.append(draft.requester);
        threadRefs.append(draft.threadRef);
    }

    if (!newRows.isEmpty()) {
        QSqlQuery &insertTickets = prepared(sql.insertTickets);
        insertTickets.bindValue(0, sql.array(subjects));
        insertTickets.bindValue(1, sql.array(bodies));
        insertTickets.bindValue(2, sql.array(forms));
        insertTickets.bindValue(3, sql.array(sources));
        insertTickets.bindValue(4, sql.array(createdAts));
        insertTickets.bindValue(5, sql.array(searchWords));
        insertTickets.bindValue(6, sql.array(requesters));
        insertTickets.bindValue(7, sql.array(threadRefs));
        insertTickets.bindValue(8, now);
        StatementCache::exec(insertTickets, "store the tickets");
        qsizetype stored = 0;
        while (insertTickets.next()) {
            const qsizetype row = insertTickets.value(0).toLongLong() - 1;
            if (row < 0 || row >= newRows.size())
                break;
            const qsizetype i = newRows.at(row);
            const TicketDraft &draft = tickets.at(i).draft;
            results[i] = {IdempotentCreate::Outcome::Created,
                          storedTicket(draft, insertTickets.value(1).toLongLong(),
                                       createdAts.at(row).toLongLong(), now),
                          {}};
            ++stored;
        }
        insertTickets.finish();
        if (stored != newRows.size())
            throw StorageError(QStringLiteral("The database did not return the new tickets' ids"));
    }

    QStringList newKeys, newHashes, newIds, newCreatedAts;
    for (const qsizetype i : newRows) {
        const NewTicket &ticket = tickets.at(i);
        if (ticket.idempotencyKey.isEmpty())
            continue;
        newKeys.append(ticket.idempotencyKey);
        newHashes.append(QString::fromLatin1(ticket.requestHash));
        newIds.append(QString::number(results.at(i).ticket->id));
        newCreatedAts.append(QString::number(now));
    }
    if (!newKeys.isEmpty()) {
        QSqlQuery &remember = prepared(sql.insertKeys);
        remember.bindValue(0, sql.array(newKeys));
        remember.bindValue(1, sql.array(newHashes));
        remember.bindValue(2, sql.array(newIds));
        remember.bindValue(3, sql.array(newCreatedAts));
        StatementCache::exec(remember, "store the idempotency keys");
        remember.finish();
    }

    // A replay answers with the ticket as stored, read back like create() does, also when an
    // earlier ticket of this batch created it.
    if (!replays.isEmpty()) {
        QList<qint64> ids;
        for (auto &[i, key] : replays) {
            if (key.batchIndex >= 0)
                key.ticketId = results.at(key.batchIndex).ticket->id;
            ids.append(key.ticketId);
        }
        QHash<qint64, Ticket> byId;
        for (Ticket &ticket : findAll(ids))
            byId.insert(ticket.id, std::move(ticket));
        for (const auto &[i, key] : replays) {
            const auto found = byId.constFind(key.ticketId);
            results[i] = {IdempotentCreate::Outcome::Replayed,
                          found == byId.cend() ? std::nullopt : std::optional<Ticket>(*found),
                          {}};
        }
    }
    return results;
}

qint64 TicketRepository::forgetExpiredIdempotencyKeys()
{
    Transaction transaction(m_database);
    QSqlQuery &forget =
        prepared(QStringLiteral("DELETE FROM idempotency_keys WHERE created_at < ?"));
    forget.bindValue(0, QDateTime::currentMSecsSinceEpoch() - kIdempotencyKeyLifetimeMs);
    StatementCache::exec(forget, "forget expired idempotency keys");
    qint64 forgotten = forget.numRowsAffected();
    forget.finish();
    QSqlQuery &forgetMessages =
        prepared(QStringLiteral("DELETE FROM message_idempotency_keys WHERE created_at < ?"));
    forgetMessages.bindValue(0, QDateTime::currentMSecsSinceEpoch() - kIdempotencyKeyLifetimeMs);
    StatementCache::exec(forgetMessages, "forget expired idempotency keys of messages");
    forgotten += forgetMessages.numRowsAffected();
    forgetMessages.finish();
    transaction.commit();
    return forgotten;
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
    meta.finish();
    // The dataset's answer is the reply the customer got: the conversation's first agent reply,
    // delivered long ago. Whatever it holds, as migration 0011 does for earlier imports: it is
    // the dataset's text, not input to check.
    TicketMessage reply;
    reply.ticketId = ticket.id;
    reply.author = MessageAuthor::Agent;
    reply.authorName = QStringLiteral("import");
    reply.visibility = MessageVisibility::Public;
    reply.body = draft.dataset->answer;
    reply.delivery = DeliveryStatus::Delivered;
    reply.createdAt = ticket.createdAt;
    if (!reply.body.isEmpty()) {
        QSqlQuery &insertReply = prepared(MessageRepository::insertStatement());
        MessageRepository::bindInsert(insertReply, reply);
        StatementCache::exec(insertReply, "store the imported ticket's answer");
        insertReply.finish();
    }
    return true;
}

std::optional<Ticket> TicketRepository::find(qint64 id)
{
    if (m_reader)
        return m_reader->find(id);
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
    const Filter filter =
        filterFor(ticketQuery, m_database.dialect(), isFrequentSearch(ticketQuery));
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
    bindAll(query, values);
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
    page.total = count(ticketQuery);
    return page;
}

qint64 TicketRepository::count(const TicketQuery &ticketQuery)
{
    // Without a text search or review flag the per-day counts answer from a few hundred rows.
    QString sql;
    QVariantList values;
    if (ticketQuery.search.isEmpty() && !narrowsBeyondDailyCounts(ticketQuery)) {
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
    } else if (const QString words = fullTextQuery(m_database.dialect(), ticketQuery.search);
               !words.isEmpty() && !ticketQuery.category && !ticketQuery.status &&
               !narrowsBeyondDailyCounts(ticketQuery) &&
               !searchNeedsExactText(ticketQuery.search)) {
        // A search alone is counted by the index, without reading a ticket.
        return fullTextMatches(words, true);
    } else {
        const Filter filter =
            filterFor(ticketQuery, m_database.dialect(), isFrequentSearch(ticketQuery));
        sql = QStringLiteral("SELECT COUNT(*) FROM tickets t WHERE ") + filter.sql;
        values = filter.values;
    }
    QSqlQuery &query = prepared(sql);
    bindAll(query, values);
    StatementCache::exec(query, "count tickets");
    const qint64 total = query.next() ? query.value(0).toLongLong() : 0;
    query.finish();
    return total;
}

qint64 TicketRepository::fullTextMatches(const QString &words, bool fresh)
{
    if (!fresh) {
        if (const auto known = m_matchCounts.constFind(words); known != m_matchCounts.cend())
            return *known;
    }
    QSqlQuery &query = prepared(m_database.dialect().searchCountSql());
    query.bindValue(0, words);
    StatementCache::exec(query, "count the search's matches");
    const qint64 matches = query.next() ? query.value(0).toLongLong() : 0;
    query.finish();
    if (m_matchCounts.size() > 256)
        m_matchCounts.clear();
    m_matchCounts.insert(words, matches);
    return matches;
}

bool TicketRepository::isFrequentSearch(const TicketQuery &query)
{
    if (!m_database.dialect().tunesFrequentSearches())
        return false;
    const QString words = fullTextQuery(m_database.dialect(), query.search);
    // Measured at a million tickets: a word in 4,000 tickets lists its first page in 3 ms by
    // walking the date index and 20 ms from the matches; a word in none takes 90 ms and 0 ms.
    constexpr qint64 kFrequentMatches = 2000;
    return !words.isEmpty() && fullTextMatches(words, false) > kFrequentMatches;
}

TicketRepository::CategoryCounts TicketRepository::countByCategory(const TicketQuery &ticketQuery)
{
    TicketQuery filterQuery = ticketQuery;
    filterQuery.category.reset();
    QString sql;
    QVariantList values;
    if (filterQuery.search.isEmpty() && !narrowsBeyondDailyCounts(filterQuery)) {
        sql = QStringLiteral("SELECT category, COALESCE(SUM(n), 0) FROM ticket_counts");
        if (filterQuery.status) {
            sql += QStringLiteral(" WHERE status = ?");
            values.append(QString(ticketStatusName(*filterQuery.status)));
        }
    } else {
        const Filter filter =
            filterFor(filterQuery, m_database.dialect(), isFrequentSearch(filterQuery));
        sql = QStringLiteral("SELECT t.category, COUNT(*) FROM tickets t WHERE ") + filter.sql;
        values = filter.values;
    }
    sql += QStringLiteral(" GROUP BY 1");
    QSqlQuery &query = prepared(sql);
    bindAll(query, values);
    StatementCache::exec(query, "count tickets per category");
    CategoryCounts counts;
    while (query.next()) {
        const qint64 n = query.value(1).toLongLong();
        counts.all += n;
        if (const auto category = categoryFromName(query.value(0).toString()))
            counts.perCategory.at(qsizetype(*category)) += n;
    }
    query.finish();
    return counts;
}

QList<Ticket> TicketRepository::range(const TicketQuery &filterQuery, TicketOrder order,
                                      qint64 offset, int limit)
{
    // Ids first, then the rows: skipping the offset then walks an index alone instead of
    // joining every skipped ticket's classification, job and import record.
    return findAll(idsInRange(filterQuery, order, offset, limit));
}

TicketRepository::CountedRange TicketRepository::countedRange(const TicketQuery &filter,
                                                              TicketOrder order, qint64 offset,
                                                              int limit)
{
    if (filter.search.isEmpty() || !m_database.dialect().countsSearchWithPage())
        return {count(filter), range(filter, order, offset, limit)};
    qint64 matches = 0;
    const QList<qint64> ids = idsInRange(filter, order, offset, limit, &matches);
    // A page past the last match has no row to carry the count.
    if (ids.isEmpty() && offset > 0)
        matches = count(filter);
    return {matches, findAll(ids)};
}

QList<qint64> TicketRepository::idsInRange(const TicketQuery &filterQuery, TicketOrder order,
                                           qint64 offset, int limit)
{
    return idsInRange(filterQuery, order, offset, limit, nullptr);
}

QList<qint64> TicketRepository::idsInRange(const TicketQuery &filterQuery, TicketOrder order,
                                           qint64 offset, int limit, qint64 *matches)
{
    const Filter filter =
        filterFor(filterQuery, m_database.dialect(), isFrequentSearch(filterQuery));
    const OrderSql orderSql = orderSqlFor(order.key);
    QString sql;
    if (matches) {
        // Counted first and sorted after, a level up: the planner prices a window over the
        // rows as if it could stop after a page, and would walk an index in order through the
        // whole table, checking each row, rather than read just the matches.
        QString counted = QStringLiteral("SELECT t.id, t.created_at, ") +
                          (orderSql.key.isEmpty() ? QStringLiteral("NULL") : orderSql.key) +
                          QStringLiteral(" AS sort_key, COUNT(*) OVER () AS matches") +
                          fromTickets(orderSql);
        if (!filter.sql.isEmpty())
            counted += QStringLiteral("WHERE ") + filter.sql;
        OrderSql countedOrder = orderSql;
        if (!countedOrder.key.isEmpty())
            countedOrder.key = QStringLiteral("t.sort_key");
        sql = QStringLiteral("SELECT t.id, t.matches FROM (") + counted + QStringLiteral(") t") +
              orderByClause(countedOrder, order.direction, m_database.dialect());
    } else {
        sql = QStringLiteral("SELECT t.id") + fromTickets(orderSql);
        if (!filter.sql.isEmpty())
            sql += QStringLiteral("WHERE ") + filter.sql;
        sql += orderByClause(orderSql, order.direction, m_database.dialect());
    }
    sql += QStringLiteral(" LIMIT ? OFFSET ?");
    QSqlQuery &query = prepared(sql);
    bindAll(query, filter.values + QVariantList{limit, offset});
    StatementCache::exec(query, "list tickets");
    QList<qint64> ids;
    ids.reserve(std::min(limit, 100'000));
    while (query.next()) {
        ids.append(query.value(0).toLongLong());
        if (matches)
            *matches = query.value(1).toLongLong();
    }
    query.finish();
    return ids;
}

QList<Ticket> TicketRepository::findAll(const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return {};
    QString placeholders = QStringLiteral("?");
    placeholders += QStringLiteral(", ?").repeated(ids.size() - 1);
    QSqlQuery &query =
        prepared(SqlRow::selectTickets() + QStringLiteral("WHERE t.id IN (") + placeholders + u')');
    for (qsizetype i = 0; i < ids.size(); ++i)
        query.bindValue(int(i), ids.at(i));
    StatementCache::exec(query, "read tickets");
    QHash<qint64, Ticket> byId;
    byId.reserve(ids.size());
    while (query.next()) {
        Ticket ticket = SqlRow::ticket(QueryColumns(query));
        byId.insert(ticket.id, std::move(ticket));
    }
    query.finish();
    QList<Ticket> tickets;
    tickets.reserve(ids.size());
    for (const qint64 id : ids) {
        if (auto found = byId.find(id); found != byId.end())
            tickets.append(std::move(*found));
    }
    return tickets;
}

std::optional<qint64> TicketRepository::position(const TicketQuery &filterQuery, TicketOrder order,
                                                 qint64 ticketId)
{
    const Filter filter =
        filterFor(filterQuery, m_database.dialect(), isFrequentSearch(filterQuery));
    const OrderSql orderSql = orderSqlFor(order.key);
    const QString from = fromTickets(orderSql);

    QString keySql = QStringLiteral("SELECT ") +
                     (orderSql.key.isEmpty() ? QStringLiteral("NULL") : orderSql.key) +
                     QStringLiteral(", t.created_at") + from + QStringLiteral("WHERE t.id = ?");
    if (!filter.sql.isEmpty())
        keySql += QStringLiteral(" AND ") + filter.sql;
    QSqlQuery &keyQuery = prepared(keySql);
    bindAll(keyQuery, QVariantList{ticketId} + filter.values);
    StatementCache::exec(keyQuery, "find the ticket's position");
    if (!keyQuery.next()) {
        keyQuery.finish();
        return std::nullopt;
    }
    const QVariant key = keyQuery.value(0);
    const qint64 createdAt = keyQuery.value(1).toLongLong();
    keyQuery.finish();

    const bool keyIsNull = !orderSql.key.isEmpty() && key.isNull();
    QString countSql = QStringLiteral("SELECT COUNT(*)") + from + QStringLiteral("WHERE ") +
                       beforeCondition(orderSql, order.direction, keyIsNull);
    if (!filter.sql.isEmpty())
        countSql += QStringLiteral(" AND ") + filter.sql;
    QVariantList values;
    if (orderSql.byIdOnly) {
        values << ticketId;
    } else if (orderSql.key.isEmpty() || keyIsNull) {
        values << createdAt << ticketId;
    } else {
        values << key << key << createdAt << ticketId;
    }
    QSqlQuery &countQuery = prepared(countSql);
    bindAll(countQuery, values + filter.values);
    StatementCache::exec(countQuery, "find the ticket's position");
    const qint64 before = countQuery.next() ? countQuery.value(0).toLongLong() : 0;
    countQuery.finish();
    return before;
}

void TicketRepository::setStatus(const QList<qint64> &ticketIds, TicketStatus status,
                                 const Actor &actor)
{
    Transaction transaction(m_database);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const qint64 id : ticketIds)
        changeStatus(m_statements, id, status, actor, now);
    transaction.commit();
}

void TicketRepository::changeStatus(StatementCache &statements, qint64 ticketId,
                                    TicketStatus status, const Actor &actor, qint64 nowMs)
{
    const QString name = ticketStatusName(status);
    QSqlQuery &record = statements.prepared(TicketEventLog::recordSql(TicketEvent::Field::Status));
    TicketEventLog::bind(record, ticketId, name, actor, nowMs);
    StatementCache::exec(record, "record the status change");
    record.finish();
    QSqlQuery &update = statements.prepared(QStringLiteral(
        "UPDATE tickets SET status = ?, updated_at = ? WHERE id = ? AND status <> ?"));
    update.bindValue(0, name);
    update.bindValue(1, nowMs);
    update.bindValue(2, ticketId);
    update.bindValue(3, name);
    StatementCache::exec(update, "change the ticket's status");
    update.finish();
}

void TicketRepository::setAssignee(const QList<qint64> &ticketIds, const QString &assignee,
                                   const Actor &actor)
{
    Transaction transaction(m_database);
    for (const qint64 id : ticketIds)
        assign(id, assignee, actor, QDateTime::currentMSecsSinceEpoch());
    transaction.commit();
}

void TicketRepository::assign(qint64 ticketId, const QString &assignee, const Actor &actor,
                              qint64 nowMs)
{
    const std::optional<QString> after =
        assignee.isEmpty() ? std::nullopt : std::optional<QString>(assignee);
    QSqlQuery &record = prepared(TicketEventLog::recordSql(TicketEvent::Field::Assignee));
    TicketEventLog::bind(record, ticketId, after, actor, nowMs);
    StatementCache::exec(record, "record the assignment");
    record.finish();
    QSqlQuery &update =
        prepared(QStringLiteral("UPDATE tickets SET assignee = ?, updated_at = ? WHERE id = ? "
                                "AND COALESCE(assignee, '') <> COALESCE(?, '')"));
    const QVariant value = after ? QVariant(*after) : QVariant(QMetaType::fromType<QString>());
    update.bindValue(0, value);
    update.bindValue(1, nowMs);
    update.bindValue(2, ticketId);
    update.bindValue(3, value);
    StatementCache::exec(update, "assign the ticket");
    update.finish();
}

TicketRepository::ChangeOutcome TicketRepository::change(qint64 ticketId,
                                                         const TicketChange &change,
                                                         const Actor &actor,
                                                         std::optional<qint64> expectedVersion)
{
    return Transaction::retryingConflicts(m_database, [&] {
        Transaction transaction(m_database);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        // Compares the version and, on PostgreSQL, locks the row until the commit, so that a
        // second change naming the same version waits and then finds it gone.
        QSqlQuery &claim = prepared(
            expectedVersion
                ? QStringLiteral("UPDATE tickets SET updated_at = ? WHERE id = ? AND version = ?")
                : QStringLiteral("UPDATE tickets SET updated_at = ? WHERE id = ?"));
        claim.bindValue(0, now);
        claim.bindValue(1, ticketId);
        if (expectedVersion)
            claim.bindValue(2, *expectedVersion);
        StatementCache::exec(claim, "claim the ticket for a change");
        const bool claimed = claim.numRowsAffected() == 1;
        claim.finish();
        if (!claimed)
            return find(ticketId) ? ChangeOutcome::Stale : ChangeOutcome::NotFound;

        if (change.status)
            changeStatus(m_statements, ticketId, *change.status, actor, now);
        if (change.assignee)
            assign(ticketId, *change.assignee, actor, now);
        if (change.category) {
            // A verdict is recorded even when it confirms the category: it is a decision.
            QSqlQuery &record =
                prepared(TicketEventLog::recordSql(TicketEvent::Field::Category, true));
            TicketEventLog::bind(record, ticketId, QString(categoryName(*change.category)), actor,
                                 now, true);
            StatementCache::exec(record, "record the verdict");
            record.finish();
            QSqlQuery &verdict = prepared(ClassificationRepository::verdictSql());
            ClassificationRepository::bindVerdict(verdict, ticketId, *change.category, actor, now);
            StatementCache::exec(verdict, "store the verdict");
            verdict.finish();
        }
        transaction.commit();
        return ChangeOutcome::Changed;
    });
}

QList<TicketEvent> TicketRepository::events(qint64 ticketId)
{
    QSqlQuery &query =
        prepared(TicketEventLog::selectSql() + QStringLiteral("WHERE ticket_id = ? ORDER BY id"));
    query.bindValue(0, ticketId);
    StatementCache::exec(query, "read the ticket's history");
    QList<TicketEvent> events;
    while (query.next())
        events.append(TicketEventLog::event(query));
    query.finish();
    return events;
}

qint64 TicketRepository::newestId()
{
    QSqlQuery &query = prepared(QStringLiteral("SELECT COALESCE(MAX(id), 0) FROM tickets"));
    StatementCache::exec(query, "find the newest ticket");
    const qint64 id = query.next() ? query.value(0).toLongLong() : 0;
    query.finish();
    return id;
}

qint64 TicketRepository::dataVersion()
{
    // This connection's own writes are left out: whoever made them already knows.
    if (const auto version = m_database.dialect().writeVersion(m_statements))
        return version->byOthers;
    // A clock reading repeats within a millisecond; a counter never does.
    static std::atomic<qint64> s_unknownVersion{0};
    return --s_unknownVersion;
}
