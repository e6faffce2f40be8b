#include "classificationqueue.h"

#include "classificationrepository.h"
#include "database.h"
#include "sqlrow.h"
#include "timestamps.h"
#include "transaction.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QSysInfo>

#include <algorithm>

ClassificationQueue::ClassificationQueue(const Database &database, QString leaseOwner,
                                         std::chrono::milliseconds leaseDuration)
    : m_database(database)
    , m_statements(database.connection())
    , m_leaseOwner(std::move(leaseOwner))
    , m_leaseDuration(leaseDuration)
{}

QString ClassificationQueue::newLeaseOwner()
{
    // The host and pid alone could repeat: a container's host name and pid are often the same
    // on every replica. The random part cannot, in practice.
    return QStringLiteral("%1:%2:%3")
        .arg(QSysInfo::machineHostName())
        .arg(QCoreApplication::applicationPid())
        .arg(QRandomGenerator::system()->generate64(), 16, 16, QLatin1Char('0'));
}

QString ClassificationQueue::claimSql(const QString &dueCondition, const QString &order) const
{
    // One statement leases the batch, so no other claim can slip between choosing the jobs and
    // leasing them. The ticket's text comes back with each job: RETURNING may not name a joined
    // table in SQLite, but may look one row up by its key.
    return QStringLiteral("UPDATE classification_jobs SET lease_owner = ?, lease_until = ? "
                          "WHERE ticket_id IN (SELECT ticket_id FROM classification_jobs WHERE %1 "
                          "AND (lease_until IS NULL OR lease_until < ?) ORDER BY %2 LIMIT ?%3) "
                          "RETURNING ticket_id, attempts, next_attempt_at, "
                          "(SELECT form FROM tickets WHERE id = classification_jobs.ticket_id), "
                          "(SELECT subject FROM tickets WHERE id = classification_jobs.ticket_id), "
                          "(SELECT body FROM tickets WHERE id = classification_jobs.ticket_id)")
        .arg(dueCondition, order, m_database.dialect().skipLockedClause());
}

QList<ClassificationQueue::Entry> ClassificationQueue::claim(int limit, const QDateTime &now)
{
    QList<Entry> entries;
    if (limit <= 0)
        return entries;
    entries.reserve(limit);
    const qint64 nowMs = Timestamps::toMs(now);
    const qint64 leaseUntil = nowMs + m_leaseDuration.count();
    Transaction transaction(m_database);
    // Jobs never tried (next_attempt_at 0) newest first along the primary key, then retries
    // that are due, oldest due first along their partial index: a single ORDER BY over both
    // would sort the whole backlog. The few leased jobs each walk meets are skipped as it goes.
    QSqlQuery &fresh = m_statements.prepared(
        claimSql(QStringLiteral("next_attempt_at = 0"), QStringLiteral("ticket_id DESC")));
    fresh.bindValue(0, m_leaseOwner);
    fresh.bindValue(1, leaseUntil);
    fresh.bindValue(2, nowMs);
    fresh.bindValue(3, qint64(limit));
    StatementCache::exec(fresh, "lease new classification jobs");
    readClaimed(fresh, &entries);
    if (entries.size() < limit) {
        QSqlQuery &retries = m_statements.prepared(
            claimSql(QStringLiteral("next_attempt_at > 0 AND next_attempt_at <= ?"),
                     QStringLiteral("next_attempt_at")));
        retries.bindValue(0, m_leaseOwner);
        retries.bindValue(1, leaseUntil);
        retries.bindValue(2, nowMs);
        retries.bindValue(3, nowMs);
        retries.bindValue(4, qint64(limit) - entries.size());
        StatementCache::exec(retries, "lease due classification retries");
        readClaimed(retries, &entries);
    }
    transaction.commit();
    return entries;
}

void ClassificationQueue::readClaimed(QSqlQuery &query, QList<Entry> *entries)
{
    struct Claimed
    {
        qint64 nextAttemptAt = 0;
        Entry entry;
    };
    QList<Claimed> claimed;
    while (query.next()) {
        const TicketForm form =
            ticketFormFromName(query.value(3).toString()).value_or(TicketForm::Text);
        claimed.append(
            {query.value(2).toLongLong(),
             Entry{query.value(0).toLongLong(),
                   ticketText(form, query.value(4).toString(), query.value(5).toString()),
                   query.value(1).toInt()}});
    }
    query.finish();
    // RETURNING promises no order; restore the one the jobs were chosen in (new jobs all have
    // next_attempt_at 0).
    std::sort(claimed.begin(), claimed.end(), [](const Claimed &a, const Claimed &b) {
        if (a.nextAttemptAt != b.nextAttemptAt)
            return a.nextAttemptAt < b.nextAttemptAt;
        return a.entry.ticketId > b.entry.ticketId;
    });
    for (Claimed &job : claimed)
        entries->append(std::move(job.entry));
}

QList<qint64> ClassificationQueue::renew(const QList<qint64> &ticketIds, const QDateTime &now)
{
    QList<qint64> lost;
    if (ticketIds.isEmpty())
        return lost;
    Transaction transaction(m_database);
    const qint64 leaseUntil = Timestamps::toMs(now) + m_leaseDuration.count();
    const QSet<qint64> held =
        heldJobs(QStringLiteral("UPDATE classification_jobs SET lease_until = ? WHERE lease_owner "
                                "= ? AND ticket_id IN "),
                 {leaseUntil}, ticketIds, "renew classification jobs' leases");
    transaction.commit();
    for (qint64 ticketId : ticketIds) {
        if (!held.contains(ticketId))
            lost.append(ticketId);
    }
    return lost;
}

void ClassificationQueue::release(const QList<qint64> &ticketIds)
{
    if (ticketIds.isEmpty())
        return;
    Transaction transaction(m_database);
    QSqlQuery &update = m_statements.prepared(
        QStringLiteral("UPDATE classification_jobs SET lease_owner = NULL, lease_until = NULL "
                       "WHERE ticket_id = ? AND lease_owner = ?"));
    for (qint64 ticketId : ticketIds) {
        update.bindValue(0, ticketId);
        update.bindValue(1, m_leaseOwner);
        StatementCache::exec(update, "release a classification job's lease");
    }
    update.finish();
    transaction.commit();
}

QList<qint64> ClassificationQueue::complete(const QList<Classification> &results)
{
    if (results.isEmpty())
        return {};
    // Nodes storing results at once meet on the same counter rows; the one PostgreSQL picks to
    // break a deadlock stores its batch again instead of failing it.
    return Transaction::retryingConflicts(m_database, [&] { return store(results); });
}

QList<qint64> ClassificationQueue::store(const QList<Classification> &results)
{
    QList<qint64> stored;
    QList<qint64> ticketIds;
    ticketIds.reserve(results.size());
    for (const Classification &result : results)
        ticketIds.append(result.ticketId);
    Transaction transaction(m_database);
    // The lease is checked by owner, not by time: a lease that expired but was not taken over
    // still means nobody else worked on the job, so the result is as good as any.
    const QSet<qint64> held = heldJobs(
        QStringLiteral("DELETE FROM classification_jobs WHERE lease_owner = ? AND ticket_id IN "),
        {}, ticketIds, "remove classification jobs");
    QList<const Classification *> kept;
    kept.reserve(results.size());
    for (const Classification &result : results) {
        if (held.contains(result.ticketId))
            kept.append(&result);
    }
    if (const std::optional<SqlDialect::BatchSql> sql = m_database.dialect().batchSql();
        sql && !kept.isEmpty()) {
        QSqlQuery &insert = m_statements.prepared(sql->insertClassifications);
        ClassificationRepository::bindArrays(insert, kept, sql->array);
        StatementCache::exec(insert, "store classifications");
        insert.finish();
        for (const Classification *result : std::as_const(kept))
            stored.append(result->ticketId);
    } else {
        // Many rows per INSERT: a statement per result made storing a large backlog's results
        // take seconds, a round trip each.
        constexpr qsizetype kRowsPerInsert = 32;
        for (qsizetype first = 0; first < kept.size(); first += kRowsPerInsert) {
            const qsizetype rows = std::min(kRowsPerInsert, kept.size() - first);
            QSqlQuery &insert =
                m_statements.prepared(ClassificationRepository::insertSql(int(rows)));
            for (qsizetype row = 0; row < rows; ++row)
                ClassificationRepository::bind(insert, *kept.at(first + row), int(row));
            StatementCache::exec(insert, "store classifications");
            insert.finish();
            for (qsizetype row = 0; row < rows; ++row)
                stored.append(kept.at(first + row)->ticketId);
        }
    }
    transaction.commit();
    return stored;
}

QSet<qint64> ClassificationQueue::heldJobs(const QString &statement, const QVariantList &leading,
                                           const QList<qint64> &ticketIds, const char *what)
{
    // A fixed number of ids per statement, the last one repeated to fill it, so that one
    // prepared statement serves every batch size.
    constexpr qsizetype kIdsPerStatement = 128;
    const QString sql = statement + u'(' + QStringLiteral("?, ").repeated(kIdsPerStatement - 1) +
                        QStringLiteral("?) RETURNING ticket_id");
    QSet<qint64> held;
    held.reserve(ticketIds.size());
    for (qsizetype first = 0; first < ticketIds.size(); first += kIdsPerStatement) {
        QSqlQuery &query = m_statements.prepared(sql);
        int placeholder = 0;
        for (const QVariant &value : leading)
            query.bindValue(placeholder++, value);
        query.bindValue(placeholder++, m_leaseOwner);
        for (qsizetype i = 0; i < kIdsPerStatement; ++i) {
            const qsizetype index = std::min(first + i, ticketIds.size() - 1);
            query.bindValue(placeholder++, ticketIds.at(index));
        }
        StatementCache::exec(query, what);
        while (query.next())
            held.insert(query.value(0).toLongLong());
        query.finish();
    }
    return held;
}

QList<qint64> ClassificationQueue::fail(const QList<Failure> &failures)
{
    QList<qint64> recorded;
    if (failures.isEmpty())
        return recorded;
    Transaction transaction(m_database);
    QSqlQuery &update = m_statements.prepared(
        QStringLiteral("UPDATE classification_jobs SET state = 'failed', attempts = attempts + 1, "
                       "last_error = ?, next_attempt_at = ?, updated_at = ?, lease_owner = NULL, "
                       "lease_until = NULL WHERE ticket_id = ? AND lease_owner = ?"));
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    for (const Failure &failure : failures) {
        update.bindValue(0, SqlRow::text(failure.reason));
        update.bindValue(1, failure.retryAt.isValid() ? QVariant(Timestamps::toMs(failure.retryAt))
                                                      : QVariant(QMetaType::fromType<qint64>()));
        update.bindValue(2, nowMs);
        update.bindValue(3, failure.ticketId);
        update.bindValue(4, m_leaseOwner);
        StatementCache::exec(update, "record a failed classification");
        if (update.numRowsAffected() == 1)
            recorded.append(failure.ticketId);
    }
    update.finish();
    transaction.commit();
    return recorded;
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
