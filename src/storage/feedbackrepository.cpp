#include "feedbackrepository.h"

#include "database.h"
#include "sqlrow.h"
#include "timestamps.h"
#include "transaction.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {

constexpr auto kColumns = "ticket_id, rating, comment, resolved, rated_by, rated_at";

Feedback feedbackFrom(const QSqlQuery &query)
{
    Feedback feedback;
    feedback.ticketId = query.value(0).toLongLong();
    feedback.rating = query.value(1).toInt();
    feedback.comment = query.value(2).toString();
    feedback.resolved = query.value(3).toInt() != 0;
    feedback.ratedBy = query.value(4).toString();
    feedback.ratedAt = Timestamps::fromMs(query.value(5).toLongLong());
    return feedback;
}

void bindFeedback(QSqlQuery &query, const Feedback &feedback)
{
    query.bindValue(0, feedback.ticketId);
    query.bindValue(1, feedback.rating);
    query.bindValue(2, SqlRow::text(feedback.comment));
    query.bindValue(3, feedback.resolved ? 1 : 0);
    query.bindValue(4, SqlRow::text(feedback.ratedBy));
    query.bindValue(5, Timestamps::toMs(feedback.ratedAt));
}

} // namespace

FeedbackRepository::FeedbackRepository(const Database &database)
    : m_database(database)
    , m_db(database.connection())
    , m_statements(m_db)
{}

std::optional<bool> FeedbackRepository::record(const Feedback &feedback)
{
    Q_ASSERT(feedback.validate().isEmpty() && feedback.ratedAt.isValid());
    return Transaction::retryingConflicts(m_database, [&]() -> std::optional<bool> {
        Transaction transaction(m_database);
        // Also locks the ticket on PostgreSQL, so two ratings at once are recorded one by one.
        QSqlQuery &touch =
            m_statements.prepared(u"UPDATE tickets SET updated_at = ? WHERE id = ?"_s);
        touch.bindValue(0, Timestamps::toMs(feedback.ratedAt));
        touch.bindValue(1, feedback.ticketId);
        StatementCache::exec(touch, "look up the rated ticket");
        const bool known = touch.numRowsAffected() == 1;
        touch.finish();
        if (!known)
            return std::nullopt;

        QSqlQuery &earlier =
            m_statements.prepared(u"SELECT 1 FROM ticket_feedback WHERE ticket_id = ?"_s);
        earlier.bindValue(0, feedback.ticketId);
        StatementCache::exec(earlier, "look up the ticket's rating");
        const bool replaced = earlier.next();
        earlier.finish();

        QSqlQuery &store = m_statements.prepared(
            u"INSERT INTO ticket_feedback (%1) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (ticket_id) DO UPDATE SET rating = excluded.rating, "
            "comment = excluded.comment, resolved = excluded.resolved, "
            "rated_by = excluded.rated_by, rated_at = excluded.rated_at"_s.arg(
                QLatin1StringView(kColumns)));
        bindFeedback(store, feedback);
        StatementCache::exec(store, "store the rating");
        store.finish();
        QSqlQuery &keep = m_statements.prepared(
            u"INSERT INTO ticket_feedback_history (%1) VALUES (?, ?, ?, ?, ?, ?)"_s.arg(
                QLatin1StringView(kColumns)));
        bindFeedback(keep, feedback);
        StatementCache::exec(keep, "keep the rating in the history");
        keep.finish();
        transaction.commit();
        return replaced;
    });
}

std::optional<Feedback> FeedbackRepository::current(qint64 ticketId)
{
    QSqlQuery &query = m_statements.prepared(
        u"SELECT %1 FROM ticket_feedback WHERE ticket_id = ?"_s.arg(QLatin1StringView(kColumns)));
    query.bindValue(0, ticketId);
    StatementCache::exec(query, "read the ticket's rating");
    std::optional<Feedback> feedback;
    if (query.next())
        feedback = feedbackFrom(query);
    query.finish();
    return feedback;
}

QList<Feedback> FeedbackRepository::history(qint64 ticketId)
{
    QSqlQuery &query =
        m_statements.prepared(u"SELECT %1 FROM ticket_feedback_history WHERE ticket_id = ? "
                              "ORDER BY id"_s.arg(QLatin1StringView(kColumns)));
    query.bindValue(0, ticketId);
    StatementCache::exec(query, "read the ticket's ratings");
    QList<Feedback> history;
    while (query.next())
        history.append(feedbackFrom(query));
    query.finish();
    return history;
}
