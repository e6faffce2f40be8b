#include "changeeventrepository.h"

#include "database.h"
#include "sqldialect.h"
#include "timestamps.h"
#include "transaction.h"

#include <QJsonDocument>
#include <QSqlQuery>

ChangeEventRepository::ChangeEventRepository(const Database &database)
    : m_database(database)
    , m_db(database.connection())
    , m_statements(m_db)
    , m_position(database.dialect().eventPositionColumn())
{}

QList<ChangeEvent> ChangeEventRepository::after(qint64 position, int limit)
{
    QSqlQuery &query = m_statements.prepared(
        QStringLiteral("SELECT %1, type, ticket_id, internal, data, created_at "
                       "FROM ticket_change_events WHERE %1 > ? ORDER BY %1 LIMIT ?")
            .arg(m_position));
    query.bindValue(0, position);
    query.bindValue(1, limit);
    StatementCache::exec(query, "read the change events");
    QList<ChangeEvent> events;
    while (query.next()) {
        ChangeEvent event;
        event.position = query.value(0).toLongLong();
        event.type = query.value(1).toString();
        event.ticketId = query.value(2).toLongLong();
        // SQLite answers 0 or 1, PostgreSQL a boolean.
        event.internal = query.value(3).toBool();
        event.data = QJsonDocument::fromJson(query.value(4).toString().toUtf8()).object();
        event.at = Timestamps::fromMs(query.value(5).toLongLong());
        events.append(event);
    }
    query.finish();
    return events;
}

qint64 ChangeEventRepository::latestPosition()
{
    QSqlQuery &query = m_statements.prepared(
        QStringLiteral("SELECT MAX(%1) FROM ticket_change_events").arg(m_position));
    StatementCache::exec(query, "read the newest change event");
    const qint64 latest = query.next() ? query.value(0).toLongLong() : 0;
    query.finish();
    return std::max(latest, trimmedThrough());
}

qint64 ChangeEventRepository::trimmedThrough()
{
    QSqlQuery &query =
        m_statements.prepared(QStringLiteral("SELECT through FROM ticket_change_events_trimmed"));
    StatementCache::exec(query, "read how far the change events were trimmed");
    const qint64 through = query.next() ? query.value(0).toLongLong() : 0;
    query.finish();
    return through;
}

qint64 ChangeEventRepository::trimBefore(const QDateTime &cutoff)
{
    const qint64 cutoffMs = Timestamps::toMs(cutoff);
    // Positions follow commits, and times follow them closely but not exactly: everything up to
    // the newest position among the old ones goes, so what stays has no hole.
    QSqlQuery &newest = m_statements.prepared(
        QStringLiteral("SELECT MAX(%1) FROM ticket_change_events WHERE created_at < ?")
            .arg(m_position));
    newest.bindValue(0, cutoffMs);
    StatementCache::exec(newest, "find the change events to trim");
    qint64 through = newest.next() ? newest.value(0).toLongLong() : 0;
    newest.finish();
    // The events are the webhooks' outbox too: none goes before every live webhook queued it.
    QSqlQuery &queued = m_statements.prepared(
        QStringLiteral("SELECT MIN(queued_through) FROM webhooks WHERE removed_at IS NULL"));
    StatementCache::exec(queued, "find how far the webhooks queued the change events");
    if (queued.next() && !queued.value(0).isNull())
        through = std::min(through, queued.value(0).toLongLong());
    queued.finish();
    qint64 removed = 0;
    // In batches, each its own transaction, so that weeks of events never hold the writers up
    // for long.
    for (qint64 done = trimmedThrough(); done < through;) {
        const qint64 upTo = std::min(through, done + kTrimBatch);
        removed += Transaction::retryingConflicts(m_database, [&] {
            Transaction transaction(m_database);
            QSqlQuery &remove = m_statements.prepared(
                QStringLiteral("DELETE FROM ticket_change_events WHERE %1 <= ?").arg(m_position));
            remove.bindValue(0, upTo);
            StatementCache::exec(remove, "trim the change events");
            const qint64 count = remove.numRowsAffected();
            remove.finish();
            QSqlQuery &mark = m_statements.prepared(QStringLiteral(
                "UPDATE ticket_change_events_trimmed SET through = ? WHERE through < ?"));
            mark.bindValue(0, upTo);
            mark.bindValue(1, upTo);
            StatementCache::exec(mark, "remember how far the change events were trimmed");
            mark.finish();
            transaction.commit();
            return count;
        });
        done = upTo;
    }
    return removed;
}
