#include "autoresolverepository.h"

#include "database.h"
#include "messagerepository.h"
#include "sqlrow.h"
#include "ticketrepository.h"
#include "timestamps.h"
#include "transaction.h"

#include <QSqlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

AutoResolveRepository::AutoResolveRepository(const Database &database)
    : m_database(database)
    , m_db(database.connection())
    , m_statements(m_db)
{}

QList<AutoResolveRule> AutoResolveRepository::rules()
{
    QSqlQuery &query = m_statements.prepared(
        u"SELECT category, threshold, updated_by, updated_at FROM auto_resolve_rules"_s);
    StatementCache::exec(query, "read the auto-resolve rules");
    QList<AutoResolveRule> rules;
    while (query.next()) {
        const std::optional<Category> category = categoryFromName(query.value(0).toString());
        if (!category)
            continue;
        rules.append({*category, query.value(1).toDouble(), query.value(2).toString(),
                      Timestamps::fromMs(query.value(3).toLongLong())});
    }
    query.finish();
    std::sort(rules.begin(), rules.end(), [](const AutoResolveRule &a, const AutoResolveRule &b) {
        return a.category < b.category;
    });
    return rules;
}

void AutoResolveRepository::setRules(const QList<RuleChange> &changes, const Actor &actor)
{
    Transaction transaction(m_database);
    for (const auto &[category, threshold] : changes)
        writeRule(category, threshold, actor);
    transaction.commit();
}

void AutoResolveRepository::writeRule(Category category, std::optional<double> threshold,
                                      const Actor &actor)
{
    Q_ASSERT(!threshold || AutoResolveRule::isValidThreshold(*threshold));
    if (threshold) {
        QSqlQuery &upsert = m_statements.prepared(
            u"INSERT INTO auto_resolve_rules (category, threshold, updated_by, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (category) DO UPDATE SET "
            "threshold = excluded.threshold, updated_by = excluded.updated_by, "
            "updated_at = excluded.updated_at"_s);
        upsert.bindValue(0, QString(categoryName(category)));
        upsert.bindValue(1, *threshold);
        upsert.bindValue(2, SqlRow::text(actor.displayName()));
        upsert.bindValue(3, QDateTime::currentMSecsSinceEpoch());
        StatementCache::exec(upsert, "set the auto-resolve rule");
        upsert.finish();
    } else {
        QSqlQuery &remove =
            m_statements.prepared(u"DELETE FROM auto_resolve_rules WHERE category = ?"_s);
        remove.bindValue(0, QString(categoryName(category)));
        StatementCache::exec(remove, "turn auto-resolve off");
        remove.finish();
    }
}

std::optional<TicketMessage> AutoResolveRepository::resolve(const Answer &answer,
                                                            const Actor &actor)
{
    TicketMessage reply;
    reply.ticketId = answer.ticketId;
    reply.author = MessageAuthor::Agent;
    reply.authorName = actor.name;
    reply.visibility = MessageVisibility::Public;
    reply.body = answer.reply;
    reply.delivery = DeliveryStatus::Pending;
    reply.draft = DraftOrigin{QString(kProvider), QString(DraftOrigin::kLocalModel), 0};
    // Made from stored text, which a neutral salutation may have lengthened past the limit.
    if (!reply.validate().isEmpty())
        return std::nullopt;

    return Transaction::retryingConflicts(m_database, [&]() -> std::optional<TicketMessage> {
        reply.createdAt = QDateTime::currentDateTimeUtc();
        const qint64 nowMs = Timestamps::toMs(reply.createdAt);
        Transaction transaction(m_database);
        // Also locks the ticket on PostgreSQL, where a writer that held it first and committed
        // meanwhile is seen only through the row itself: a team reply through first_reply_at
        // (its trigger sets it in the reply's transaction), a verdict or a newer result through
        // classification_id, a claim through assignee and status. The subquery alone would read
        // the messages as they were when the statement began.
        QSqlQuery &untouched = m_statements.prepared(
            u"UPDATE tickets SET updated_at = ? WHERE id = ? AND status = 'open' "
            "AND assignee IS NULL AND category = ? AND classification_id = ? "
            "AND first_reply_at IS NULL AND NOT EXISTS (SELECT 1 FROM ticket_messages m "
            "WHERE m.ticket_id = tickets.id AND m.visibility = 'public' "
            "AND m.author_kind <> 'customer')"_s);
        untouched.bindValue(0, nowMs);
        untouched.bindValue(1, answer.ticketId);
        untouched.bindValue(2, QString(categoryName(answer.category)));
        untouched.bindValue(3, answer.classificationId);
        StatementCache::exec(untouched, "check the ticket is still untouched");
        const bool free = untouched.numRowsAffected() == 1;
        untouched.finish();
        if (!free)
            return std::nullopt;

        TicketMessage sent = reply;
        QSqlQuery &insert = m_statements.prepared(MessageRepository::insertStatement());
        MessageRepository::bindInsert(insert, sent);
        StatementCache::exec(insert, "store the reused reply");
        sent.id = insert.lastInsertId().toLongLong();
        insert.finish();
        TicketRepository::changeStatus(m_statements, answer.ticketId, TicketStatus::Resolved, actor,
                                       nowMs);
        QSqlQuery &record = m_statements.prepared(
            u"INSERT INTO auto_resolutions (ticket_id, category, source_ticket_id, message_id, "
            "confidence, similarity, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?)"_s);
        record.bindValue(0, answer.ticketId);
        record.bindValue(1, QString(categoryName(answer.category)));
        record.bindValue(2, answer.sourceTicketId);
        record.bindValue(3, sent.id);
        record.bindValue(4, answer.confidence);
        record.bindValue(5, answer.similarity);
        record.bindValue(6, nowMs);
        StatementCache::exec(record, "record the auto-resolution");
        record.finish();
        transaction.commit();
        return sent;
    });
}
