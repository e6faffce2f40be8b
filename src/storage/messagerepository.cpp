#include "messagerepository.h"

#include "database.h"
#include "sqldialect.h"
#include "sqlrow.h"
#include "statementcache.h"
#include "storageerror.h"
#include "ticketrepository.h"
#include "timestamps.h"
#include "transaction.h"

using namespace Qt::StringLiterals;

namespace {

const QString kMessageColumns =
    u"id, ticket_id, author_kind, author, visibility, body, delivery, delivery_error, "
    "draft_provider, draft_model, draft_edits, created_at"_s;
const QString kColumns = u"SELECT "_s + kMessageColumns + u" FROM ticket_messages"_s;

QVariant optionalText(const QString &text, bool present)
{
    return present ? QVariant(SqlRow::text(text)) : QVariant(QMetaType::fromType<QString>());
}

TicketMessage message(const QSqlQuery &query)
{
    TicketMessage message;
    message.id = query.value(0).toLongLong();
    message.ticketId = query.value(1).toLongLong();
    // Written by this program only, under CHECK constraints.
    message.author =
        messageAuthorFromName(query.value(2).toString()).value_or(MessageAuthor::Agent);
    message.authorName = query.value(3).toString();
    message.visibility =
        messageVisibilityFromName(query.value(4).toString()).value_or(MessageVisibility::Internal);
    message.body = query.value(5).toString();
    if (!query.isNull(6))
        message.delivery = deliveryStatusFromName(query.value(6).toString());
    message.deliveryError = query.value(7).toString();
    if (!query.isNull(8)) {
        message.draft = DraftOrigin{query.value(8).toString(), query.value(9).toString(),
                                    query.value(10).toLongLong()};
    }
    message.createdAt = Timestamps::fromMs(query.value(11).toLongLong());
    return message;
}

} // namespace

MessageRepository::MessageRepository(const Database &database)
    : m_database(database)
    , m_db(database.connection())
    , m_statements(m_db)
{}

const QString &MessageRepository::insertStatement()
{
    static const QString sql =
        u"INSERT INTO ticket_messages (ticket_id, author_kind, author, visibility, body, delivery, "
        "delivery_error, draft_provider, draft_model, draft_edits, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s;
    return sql;
}

void MessageRepository::bindInsert(QSqlQuery &query, const TicketMessage &message)
{
    query.bindValue(0, message.ticketId);
    query.bindValue(1, QString(messageAuthorName(message.author)));
    query.bindValue(2, SqlRow::text(message.authorName));
    query.bindValue(3, QString(messageVisibilityName(message.visibility)));
    query.bindValue(4, SqlRow::text(message.body));
    query.bindValue(5, message.delivery ? QVariant(QString(deliveryStatusName(*message.delivery)))
                                        : QVariant(QMetaType::fromType<QString>()));
    query.bindValue(6, SqlRow::textOrNull(message.deliveryError));
    query.bindValue(7, optionalText(message.draft ? message.draft->provider : QString(),
                                    message.draft.has_value()));
    query.bindValue(8, optionalText(message.draft ? message.draft->model : QString(),
                                    message.draft.has_value()));
    query.bindValue(9, message.draft ? QVariant(message.draft->edits)
                                     : QVariant(QMetaType::fromType<qlonglong>()));
    query.bindValue(10, Timestamps::toMs(message.createdAt));
}

QList<TicketMessage> MessageRepository::list(qint64 ticketId)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(kColumns + u" WHERE ticket_id = ? ORDER BY id"_s);
    query.addBindValue(ticketId);
    StatementCache::exec(query, "read the ticket's messages");
    QList<TicketMessage> messages;
    while (query.next())
        messages.append(message(query));
    return messages;
}

std::optional<MessageRepository::Added>
MessageRepository::add(TicketMessage message, const Actor &actor,
                       std::optional<TicketStatus> requestedStatus,
                       const std::optional<IdempotencyKey> &idempotency)
{
    Q_ASSERT(message.validate().isEmpty());
    if (!message.createdAt.isValid())
        message.createdAt = QDateTime::currentDateTimeUtc();
    message.delivery = TicketMessage::isDelivered(message.author, message.visibility)
                           ? std::optional(DeliveryStatus::Pending)
                           : std::nullopt;
    message.deliveryError.clear();

    return Transaction::retryingConflicts(m_database, [&]() -> std::optional<Added> {
        Transaction transaction(m_database);
        if (idempotency) {
            // A concurrent request with the same key waits here, then finds this one's message.
            m_database.dialect().lockIdempotencyKey(m_statements, idempotency->key);
            QSqlQuery &known = m_statements.prepared(
                u"SELECT request_hash, message_id FROM message_idempotency_keys "
                "WHERE key = ? AND created_at >= ?"_s);
            known.bindValue(0, idempotency->key);
            known.bindValue(1, QDateTime::currentMSecsSinceEpoch() -
                                   TicketRepository::kIdempotencyKeyLifetimeMs);
            StatementCache::exec(known, "look up the idempotency key");
            const bool found = known.next();
            const QString hash = found ? known.value(0).toString() : QString();
            const qint64 messageId = found ? known.value(1).toLongLong() : 0;
            known.finish();
            if (found) {
                Added answer;
                if (hash != QString::fromLatin1(idempotency->requestHash)) {
                    answer.keyReusedWithOtherRequest = true;
                    return answer;
                }
                std::optional<TicketMessage> first = find(message.ticketId, messageId);
                if (!first)
                    throw StorageError(u"The message of an idempotency key is gone."_s);
                answer.message = std::move(*first);
                answer.replayed = true;
                return answer;
            }
        }
        // Also locks the ticket on PostgreSQL, so that the status decided below is still the
        // ticket's when the transaction commits.
        QSqlQuery &current = m_statements.prepared(
            u"UPDATE tickets SET updated_at = ? WHERE id = ? RETURNING status"_s);
        current.bindValue(0, Timestamps::toMs(message.createdAt));
        current.bindValue(1, message.ticketId);
        StatementCache::exec(current, "look up the ticket");
        const std::optional<TicketStatus> status =
            current.next() ? ticketStatusFromName(current.value(0).toString()) : std::nullopt;
        current.finish();
        if (!status)
            return std::nullopt;
        const TicketStatus before = *status;
        Added added{message, message.statusAfter(before, requestedStatus)};
        QSqlQuery &insert = m_statements.prepared(insertStatement());
        bindInsert(insert, added.message);
        StatementCache::exec(insert, "store the message");
        added.message.id = insert.lastInsertId().toLongLong();
        insert.finish();
        if (added.status) {
            TicketRepository::changeStatus(m_statements, message.ticketId, *added.status, actor,
                                           Timestamps::toMs(message.createdAt));
            if (message.author == MessageAuthor::Customer && before == TicketStatus::Resolved &&
                *added.status == TicketStatus::Open)
                markReopened(message.ticketId, Timestamps::toMs(message.createdAt));
        }
        if (idempotency) {
            // An expired key of the same name makes way.
            QSqlQuery &remember = m_statements.prepared(
                u"INSERT INTO message_idempotency_keys (key, request_hash, message_id, "
                "created_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
                "request_hash = excluded.request_hash, message_id = excluded.message_id, "
                "created_at = excluded.created_at"_s);
            remember.bindValue(0, idempotency->key);
            remember.bindValue(1, QString::fromLatin1(idempotency->requestHash));
            remember.bindValue(2, added.message.id);
            remember.bindValue(3, QDateTime::currentMSecsSinceEpoch());
            StatementCache::exec(remember, "remember the idempotency key");
            remember.finish();
        }
        transaction.commit();
        return added;
    });
}

void MessageRepository::markReopened(qint64 ticketId, qint64 nowMs)
{
    // Only the first time counts: the reopen rate asks whether the machine's answer was enough.
    QSqlQuery &reopened =
        m_statements.prepared(u"UPDATE auto_resolutions SET reopened_at = ? WHERE ticket_id = ? "
                              "AND reopened_at IS NULL"_s);
    reopened.bindValue(0, nowMs);
    reopened.bindValue(1, ticketId);
    StatementCache::exec(reopened, "note that an auto-resolved ticket was reopened");
    reopened.finish();
}

QList<OutgoingReply> MessageRepository::replies(DeliveryStatus delivery, qint64 afterId, int limit)
{
    // A QString, not the QStringBuilder of temporaries that `auto` would deduce.
    static const QString sql = []() -> QString {
        QStringList columns = kMessageColumns.split(u", "_s);
        for (QString &column : columns)
            column.prepend(u"m."_s);
        return u"SELECT "_s + columns.join(u", "_s) +
               u", t.subject, t.requester, t.thread_ref, t.status FROM ticket_messages m "
               "JOIN tickets t ON t.id = m.ticket_id WHERE m.delivery = ? AND m.id > ? "
               "ORDER BY m.id LIMIT ?"_s;
    }();
    QSqlQuery &query = m_statements.prepared(sql);
    query.bindValue(0, QString(deliveryStatusName(delivery)));
    query.bindValue(1, afterId);
    query.bindValue(2, limit);
    StatementCache::exec(query, "list the replies by delivery");
    QList<OutgoingReply> replies;
    while (query.next()) {
        OutgoingReply reply;
        reply.message = message(query);
        reply.subject = query.value(12).toString();
        reply.requester = query.value(13).toString();
        reply.threadRef = query.value(14).toString();
        reply.status =
            ticketStatusFromName(query.value(15).toString()).value_or(TicketStatus::Open);
        replies.append(std::move(reply));
    }
    query.finish();
    return replies;
}

std::optional<TicketMessage> MessageRepository::find(qint64 ticketId, qint64 messageId)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(kColumns + u" WHERE id = ? AND ticket_id = ?"_s);
    query.addBindValue(messageId);
    query.addBindValue(ticketId);
    StatementCache::exec(query, "read the message");
    if (!query.next())
        return std::nullopt;
    return message(query);
}

QList<AnsweredTicket> MessageRepository::similarAnswered(const QStringList &words,
                                                         qint64 excludedTicketId, int candidates)
{
    const SqlDialect &dialect = m_database.dialect();
    const QString search = dialect.allWordsQuery(words);
    if (search.isEmpty() || candidates <= 0)
        return {};
    QSqlQuery &matches = m_statements.prepared(dialect.rankedMatchesSql());
    matches.bindValue(0, search);
    // Not every match has been answered, and the excluded ticket is often the best match of its
    // own words: a few times as many matches leave enough answered ones.
    constexpr int kMatchesPerCandidate = 4;
    matches.bindValue(1, candidates * kMatchesPerCandidate + 1);
    StatementCache::exec(matches, "find similar tickets");
    QList<AnsweredTicket> found;
    QStringList placeholders;
    while (matches.next()) {
        const qint64 id = matches.value(0).toLongLong();
        if (id == excludedTicketId)
            continue;
        AnsweredTicket match;
        match.ticketId = id;
        match.score = matches.value(1).toDouble();
        found.append(match);
        placeholders.append(u"?"_s);
    }
    matches.finish();
    if (found.isEmpty())
        return {};

    // The first public reply from the team: usually the answer, where later ones follow up.
    QSqlQuery answered(m_db);
    answered.setForwardOnly(true);
    answered.prepare(u"SELECT t.id, t.subject, t.body, t.form, m.body, t.category, t.status, "
                     "t.requester, EXISTS (SELECT 1 FROM auto_resolutions a "
                     "WHERE a.ticket_id = t.id), EXISTS (SELECT 1 FROM ticket_messages l "
                     "WHERE l.ticket_id = t.id AND l.id > m.id AND (l.visibility = 'public' "
                     "OR l.author_kind = 'customer')) FROM tickets t "
                     "JOIN ticket_messages m ON m.id = (SELECT MIN(r.id) FROM ticket_messages r "
                     "WHERE r.ticket_id = t.id AND r.visibility = 'public' "
                     "AND r.author_kind <> 'customer') "
                     "WHERE t.id IN ("_s +
                     placeholders.join(u", "_s) + u")"_s);
    for (const AnsweredTicket &ticket : found)
        answered.addBindValue(ticket.ticketId);
    StatementCache::exec(answered, "read the similar tickets' replies");
    QHash<qint64, AnsweredTicket> byId;
    while (answered.next()) {
        AnsweredTicket ticket;
        ticket.ticketId = answered.value(0).toLongLong();
        ticket.subject = answered.value(1).toString();
        const TicketForm form =
            ticketFormFromName(answered.value(3).toString()).value_or(TicketForm::Text);
        ticket.text = ticketText(form, ticket.subject, answered.value(2).toString());
        ticket.reply = answered.value(4).toString();
        if (!answered.isNull(5))
            ticket.category = categoryFromName(answered.value(5).toString());
        const std::optional<TicketStatus> status =
            ticketStatusFromName(answered.value(6).toString());
        // The reply was the answer only when nothing public came after it: a first reply that
        // asked for a screenshot resolved nothing by itself.
        ticket.resolvedByTeam =
            (status == TicketStatus::Resolved || status == TicketStatus::Closed) &&
            !answered.value(8).toBool() && !answered.value(9).toBool();
        ticket.requester = answered.value(7).toString();
        byId.insert(ticket.ticketId, ticket);
    }
    QList<AnsweredTicket> result;
    for (const AnsweredTicket &match : std::as_const(found)) {
        if (result.size() == candidates)
            break;
        if (const auto it = byId.constFind(match.ticketId); it != byId.constEnd()) {
            result.append(*it);
            result.last().score = match.score;
        }
    }
    return result;
}

void MessageRepository::recordDraftOffer(qint64 ticketId, const QString &provider,
                                         const QString &model, const Actor &offeredTo)
{
    QSqlQuery &query = m_statements.prepared(
        u"INSERT INTO draft_offers (ticket_id, provider, model, offered_to, offered_at) "
        "SELECT id, ?, ?, ?, ? FROM tickets WHERE id = ?"_s);
    query.addBindValue(provider);
    query.addBindValue(model);
    query.addBindValue(offeredTo.name);
    query.addBindValue(Timestamps::toMs(QDateTime::currentDateTimeUtc()));
    query.addBindValue(ticketId);
    Transaction transaction(m_database);
    StatementCache::exec(query, "record a draft offered");
    query.finish();
    transaction.commit();
}

bool MessageRepository::setDelivery(qint64 ticketId, qint64 messageId, DeliveryStatus status,
                                    const QString &error)
{
    QSqlQuery query(m_db);
    query.prepare(u"UPDATE ticket_messages SET delivery = ?, delivery_error = ? "
                  "WHERE id = ? AND ticket_id = ? AND delivery IS NOT NULL"_s);
    query.addBindValue(QString(deliveryStatusName(status)));
    query.addBindValue(optionalText(error, status == DeliveryStatus::Failed && !error.isEmpty()));
    query.addBindValue(messageId);
    query.addBindValue(ticketId);
    Transaction transaction(m_database);
    StatementCache::exec(query, "record the reply's delivery");
    const bool updated = query.numRowsAffected() == 1;
    query.finish();
    transaction.commit();
    return updated;
}
