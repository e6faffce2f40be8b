#include "classificationqueue.h"

#include "classificationrepository.h"
#include "database.h"
#include "sqlrow.h"
#include "timestamps.h"
#include "transaction.h"

#include <QSqlQuery>

ClassificationQueue::ClassificationQueue(const Database &database)
    : m_database(database)
    , m_statements(database.connection())
{}

QList<ClassificationQueue::Entry> ClassificationQueue::due(int limit, const QSet<qint64> &busy,
                                                           const QDateTime &now)
{
    QList<Entry> entries;
    entries.reserve(limit);
    // Jobs never tried (next_attempt_at 0) newest first along the primary key, then retries
    // that are due, oldest due first along their partial index: a single ORDER BY over both
    // would sort the whole backlog.
    // Busy jobs are still in the table, so each asks for enough rows to fill the batch.
    QSqlQuery &fresh = m_statements.prepared(
        QStringLiteral("SELECT j.ticket_id, j.attempts, t.form, t.subject, t.body "
                       "FROM classification_jobs j JOIN tickets t ON t.id = j.ticket_id "
                       "WHERE j.next_attempt_at = 0 ORDER BY j.ticket_id DESC LIMIT ?"));
    fresh.bindValue(0, qint64(limit) + busy.size());
    StatementCache::exec(fresh, "read the classification queue");
    readEntries(fresh, limit, busy, &entries);
    if (entries.size() < limit) {
        QSqlQuery &retries = m_statements.prepared(
            QStringLiteral("SELECT j.ticket_id, j.attempts, t.form, t.subject, t.body "
                           "FROM classification_jobs j JOIN tickets t ON t.id = j.ticket_id "
                           "WHERE j.next_attempt_at > 0 AND j.next_attempt_at <= ? ORDER BY "
                           "j.next_attempt_at LIMIT ?"));
        retries.bindValue(0, Timestamps::toMs(now));
        retries.bindValue(1, qint64(limit) + busy.size());
        StatementCache::exec(retries, "read the classification queue");
        readEntries(retries, limit, busy, &entries);
    }
    return entries;
}

void ClassificationQueue::readEntries(QSqlQuery &query, int limit, const QSet<qint64> &busy,
                                      QList<Entry> *entries)
{
    while (entries->size() < limit && query.next()) {
        const qint64 ticketId = query.value(0).toLongLong();
        if (busy.contains(ticketId))
            continue;
        const TicketForm form =
            ticketFormFromName(query.value(2).toString()).value_or(TicketForm::Text);
        entries->append(
            Entry{ticketId, ticketText(form, query.value(3).toString(), query.value(4).toString()),
                  query.value(1).toInt()});
    }
    query.finish();
}

QList<qint64> ClassificationQueue::complete(const QList<Classification> &results)
{
    QList<qint64> stored;
    if (results.isEmpty())
        return stored;
    Transaction transaction(m_database);
    QSqlQuery &remove = m_statements.prepared(
        QStringLiteral("DELETE FROM classification_jobs WHERE ticket_id = ?"));
    QSqlQuery &insert = m_statements.prepared(ClassificationRepository::insertSql());
    for (const Classification &result : results) {
        remove.bindValue(0, result.ticketId);
        StatementCache::exec(remove, "remove a classification job");
        if (remove.numRowsAffected() != 1)
            continue;
        ClassificationRepository::bind(insert, result);
        StatementCache::exec(insert, "store a classification");
        stored.append(result.ticketId);
    }
    remove.finish();
    insert.finish();
    transaction.commit();
    return stored;
}

void ClassificationQueue::fail(const QList<Failure> &failures)
{
    if (failures.isEmpty())
        return;
    Transaction transaction(m_database);
    QSqlQuery &update = m_statements.prepared(
        QStringLiteral("UPDATE classification_jobs SET state = 'failed', attempts = attempts + 1, "
                       "last_error = ?, next_attempt_at = ?, updated_at = ? WHERE ticket_id = ?"));
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    for (const Failure &failure : failures) {
        update.bindValue(0, SqlRow::text(failure.reason));
        update.bindValue(1, failure.retryAt.isValid() ? QVariant(Timestamps::toMs(failure.retryAt))
                                                      : QVariant(QMetaType::fromType<qint64>()));
        update.bindValue(2, nowMs);
        update.bindValue(3, failure.ticketId);
        StatementCache::exec(update, "record a failed classification");
    }
    update.finish();
    transaction.commit();
}

qint64 ClassificationQueue::retryExhausted(const QDateTime &now)
{
    Transaction transaction(m_database);
    QSqlQuery &update = m_statements.prepared(QStringLiteral(
        "UPDATE classification_jobs SET next_attempt_at = ? WHERE next_attempt_at IS NULL"));
    update.bindValue(0, Timestamps::toMs(now));
    StatementCache::exec(update, "retry failed classifications");
    const qint64 count = update.numRowsAffected();
    update.finish();
    transaction.commit();
    return count;
}

ClassificationQueue::Counts ClassificationQueue::counts()
{
    QSqlQuery &query = m_statements.prepared(
        QStringLiteral("SELECT state, COUNT(*) FROM classification_jobs GROUP BY state"));
    StatementCache::exec(query, "count classification jobs");
    Counts counts;
    while (query.next()) {
        if (query.value(0).toString() == QLatin1String("failed"))
            counts.failed = query.value(1).toLongLong();
        else
            counts.pending = query.value(1).toLongLong();
    }
    query.finish();
    return counts;
}
