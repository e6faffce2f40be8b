#include "webhookrepository.h"

#include "database.h"
#include "sqldialect.h"
#include "sqlrow.h"
#include "timestamps.h"
#include "transaction.h"
#include "webhookjson.h"

#include <QJsonDocument>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {

const QString kWebhookColumns =
    u"SELECT id, url, event_types, created_by, created_at, removed_at FROM webhooks"_s;

Webhook webhook(const QSqlQuery &query)
{
    Webhook webhook;
    webhook.id = query.value(0).toLongLong();
    webhook.url = QUrl(query.value(1).toString());
    webhook.eventTypes = query.value(2).toString().split(u' ', Qt::SkipEmptyParts);
    webhook.createdBy = query.value(3).toString();
    webhook.createdAt = Timestamps::fromMs(query.value(4).toLongLong());
    webhook.removedAt = SqlRow::timeOrInvalid(query, 5);
    return webhook;
}

const QString kDeliveryColumns =
    u"SELECT id, webhook_id, event_id, event_type, ticket_id, state, attempts, created_at, "
    "next_attempt_at, last_attempt_at, last_status, last_error, delivered_at "
    "FROM webhook_deliveries"_s;

WebhookDelivery delivery(const QSqlQuery &query)
{
    WebhookDelivery delivery;
    delivery.id = query.value(0).toLongLong();
    delivery.webhookId = query.value(1).toLongLong();
    delivery.eventId = query.value(2).toLongLong();
    delivery.eventType = query.value(3).toString();
    delivery.ticketId = query.value(4).toLongLong();
    delivery.state = WebhookJson::stateFromName(query.value(5).toString())
                         .value_or(WebhookDelivery::State::Pending);
    delivery.attempts = query.value(6).toInt();
    delivery.createdAt = Timestamps::fromMs(query.value(7).toLongLong());
    delivery.nextAttemptAt = SqlRow::timeOrInvalid(query, 8);
    delivery.lastAttemptAt = SqlRow::timeOrInvalid(query, 9);
    delivery.lastStatus = query.value(10).toInt();
    delivery.lastError = query.value(11).toString();
    delivery.deliveredAt = SqlRow::timeOrInvalid(query, 12);
    return delivery;
}

} // namespace

WebhookRepository::WebhookRepository(const Database &database)
    : m_database(database)
    , m_db(database.connection())
    , m_statements(m_db)
    , m_events(database)
{}

void WebhookRepository::add(Webhook &webhook, const QString &sealedSecret)
{
    if (!webhook.createdAt.isValid())
        webhook.createdAt = QDateTime::currentDateTimeUtc();
    Transaction::retryingConflicts(m_database, [&] {
        Transaction transaction(m_database);
        // Read in the transaction that stores it: on SQLite no event can commit in between; on
        // PostgreSQL one committing meanwhile is at most sent although it came first.
        const qint64 latest = m_events.latestPosition();
        QSqlQuery &insert = m_statements.prepared(
            u"INSERT INTO webhooks (url, event_types, sealed_secret, created_by, created_at, "
            "queued_through) VALUES (?, ?, ?, ?, ?, ?)"_s);
        insert.bindValue(0, webhook.url.toString());
        insert.bindValue(1, webhook.eventTypes.join(u' '));
        insert.bindValue(2, sealedSecret);
        insert.bindValue(3, SqlRow::text(webhook.createdBy));
        insert.bindValue(4, Timestamps::toMs(webhook.createdAt));
        insert.bindValue(5, latest);
        StatementCache::exec(insert, "store the webhook");
        webhook.id = insert.lastInsertId().toLongLong();
        insert.finish();
        transaction.commit();
    });
}

QList<Webhook> WebhookRepository::list()
{
    QSqlQuery &query = m_statements.prepared(
        kWebhookColumns + u" ORDER BY removed_at IS NOT NULL, created_at DESC, id DESC"_s);
    StatementCache::exec(query, "list the webhooks");
    QList<Webhook> webhooks;
    while (query.next())
        webhooks.append(webhook(query));
    query.finish();
    return webhooks;
}

std::optional<Webhook> WebhookRepository::find(qint64 id)
{
    QSqlQuery &query = m_statements.prepared(kWebhookColumns + u" WHERE id = ?"_s);
    query.bindValue(0, id);
    StatementCache::exec(query, "read the webhook");
    std::optional<Webhook> found;
    if (query.next())
        found = webhook(query);
    query.finish();
    return found;
}

std::optional<QString> WebhookRepository::liveSealedSecret()
{
    QSqlQuery &query = m_statements.prepared(
        u"SELECT sealed_secret FROM webhooks WHERE removed_at IS NULL LIMIT 1"_s);
    StatementCache::exec(query, "read a webhook's sealed secret");
    std::optional<QString> sealed;
    if (query.next())
        sealed = query.value(0).toString();
    query.finish();
    return sealed;
}

bool WebhookRepository::remove(qint64 id, const QDateTime &at)
{
    return Transaction::retryingConflicts(m_database, [&] {
        Transaction transaction(m_database);
        QSqlQuery &mark = m_statements.prepared(
            u"UPDATE webhooks SET removed_at = ? WHERE id = ? AND removed_at IS NULL"_s);
        mark.bindValue(0, Timestamps::toMs(at));
        mark.bindValue(1, id);
        StatementCache::exec(mark, "remove the webhook");
        const bool removed = mark.numRowsAffected() == 1;
        mark.finish();
        if (!removed)
            return false;
        QSqlQuery &cancel = m_statements.prepared(
            u"UPDATE webhook_deliveries SET state = 'cancelled', next_attempt_at = NULL "
            "WHERE webhook_id = ? AND state = 'pending'"_s);
        cancel.bindValue(0, id);
        StatementCache::exec(cancel, "cancel the webhook's deliveries");
        cancel.finish();
        transaction.commit();
        return true;
    });
}

int WebhookRepository::queueNewEvents(int limit, const QDateTime &now)
{
    // Most rounds find nothing new: that is told by one read, without locking the webhooks.
    QSqlQuery &pending = m_statements.prepared(
        u"SELECT 1 FROM ticket_change_events WHERE %1 > (SELECT MIN(queued_through) FROM "
        "webhooks WHERE removed_at IS NULL) LIMIT 1"_s.arg(
            m_database.dialect().eventPositionColumn()));
    StatementCache::exec(pending, "look for events to queue for webhooks");
    const bool anything = pending.next();
    pending.finish();
    if (!anything)
        return 0;
    return Transaction::retryingConflicts(m_database, [&] {
        Transaction transaction(m_database);
        // Another node queueing for a webhook holds its row; this one leaves it to that node.
        QSqlQuery &webhooks = m_statements.prepared(
            u"SELECT id, event_types, queued_through FROM webhooks WHERE removed_at IS NULL "
            "ORDER BY id"_s +
            m_database.dialect().skipLockedClause());
        StatementCache::exec(webhooks, "read the webhooks to queue for");
        struct Mark
        {
            qint64 id;
            QStringList types;
            qint64 through;
        };
        QList<Mark> marks;
        while (webhooks.next())
            marks.append({webhooks.value(0).toLongLong(),
                          webhooks.value(1).toString().split(u' ', Qt::SkipEmptyParts),
                          webhooks.value(2).toLongLong()});
        webhooks.finish();

        int mostRead = 0;
        for (const Mark &mark : std::as_const(marks)) {
            const QList<ChangeEvent> events = m_events.after(mark.through, limit);
            if (events.isEmpty())
                continue;
            mostRead = std::max(mostRead, int(events.size()));
            for (const ChangeEvent &event : events) {
                if (event.internal || !mark.types.contains(event.type))
                    continue;
                QSqlQuery &insert = m_statements.prepared(
                    u"INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, "
                    "ticket_id, body, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (webhook_id, event_id) DO NOTHING"_s);
                insert.bindValue(0, mark.id);
                insert.bindValue(1, event.position);
                insert.bindValue(2, event.type);
                insert.bindValue(3, event.ticketId);
                insert.bindValue(4,
                                 QString::fromUtf8(
                                     QJsonDocument(event.toJson()).toJson(QJsonDocument::Compact)));
                insert.bindValue(5, Timestamps::toMs(now));
                insert.bindValue(6, Timestamps::toMs(now));
                StatementCache::exec(insert, "queue a webhook delivery");
                insert.finish();
            }
            QSqlQuery &advance =
                m_statements.prepared(u"UPDATE webhooks SET queued_through = ? WHERE id = ?"_s);
            advance.bindValue(0, events.last().position);
            advance.bindValue(1, mark.id);
            StatementCache::exec(advance, "mark the webhook's queued events");
            advance.finish();
        }
        transaction.commit();
        return mostRead;
    });
}

QList<WebhookRepository::Attempt> WebhookRepository::claimDue(int limit, const QDateTime &now,
                                                              const QDateTime &leaseUntil)
{
    return Transaction::retryingConflicts(m_database, [&] {
        Transaction transaction(m_database);
        // One statement chooses and takes them, so no other claim slips in between.
        QSqlQuery &claim = m_statements.prepared(
            u"UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = ?, "
            "next_attempt_at = ? WHERE id IN (SELECT id FROM webhook_deliveries "
            "WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?"_s +
            m_database.dialect().skipLockedClause() +
            u") RETURNING id, webhook_id, event_id, body, attempts"_s);
        claim.bindValue(0, Timestamps::toMs(now));
        claim.bindValue(1, Timestamps::toMs(leaseUntil));
        claim.bindValue(2, Timestamps::toMs(now));
        claim.bindValue(3, limit);
        StatementCache::exec(claim, "take due webhook deliveries");
        QList<Attempt> attempts;
        while (claim.next()) {
            Attempt attempt;
            attempt.deliveryId = claim.value(0).toLongLong();
            attempt.webhookId = claim.value(1).toLongLong();
            attempt.eventId = claim.value(2).toLongLong();
            attempt.body = claim.value(3).toString().toUtf8();
            attempt.attempts = claim.value(4).toInt();
            attempts.append(attempt);
        }
        claim.finish();
        // RETURNING may not name a joined table; the few webhooks are read after.
        QSqlQuery &target =
            m_statements.prepared(u"SELECT url, sealed_secret FROM webhooks WHERE id = ?"_s);
        for (Attempt &attempt : attempts) {
            target.bindValue(0, attempt.webhookId);
            StatementCache::exec(target, "read a webhook's address");
            if (target.next()) {
                attempt.url = QUrl(target.value(0).toString());
                attempt.sealedSecret = target.value(1).toString();
            }
            target.finish();
        }
        transaction.commit();
        return attempts;
    });
}

bool WebhookRepository::hasDue(const QDateTime &now)
{
    QSqlQuery &query = m_statements.prepared(
        u"SELECT 1 FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ? "
        "LIMIT 1"_s);
    query.bindValue(0, Timestamps::toMs(now));
    StatementCache::exec(query, "look for due webhook deliveries");
    const bool due = query.next();
    query.finish();
    return due;
}

void WebhookRepository::markDelivered(const Attempt &attempt, int status, const QDateTime &at)
{
    Transaction::retryingConflicts(m_database, [&] {
        Transaction transaction(m_database);
        QSqlQuery &mark = m_statements.prepared(
            u"UPDATE webhook_deliveries SET state = 'delivered', delivered_at = ?, "
            "last_status = ?, last_error = NULL, next_attempt_at = NULL "
            "WHERE id = ? AND attempts = ? AND state = 'pending'"_s);
        mark.bindValue(0, Timestamps::toMs(at));
        mark.bindValue(1, status);
        mark.bindValue(2, attempt.deliveryId);
        mark.bindValue(3, attempt.attempts);
        StatementCache::exec(mark, "mark a webhook delivery done");
        mark.finish();
        transaction.commit();
    });
}

void WebhookRepository::markAttemptFailed(const Attempt &attempt, int status, const QString &error,
                                          const QDateTime &retryAt)
{
    Transaction::retryingConflicts(m_database, [&] {
        Transaction transaction(m_database);
        QSqlQuery &mark = m_statements.prepared(
            u"UPDATE webhook_deliveries SET state = ?, next_attempt_at = ?, last_status = ?, "
            "last_error = ? WHERE id = ? AND attempts = ? AND state = 'pending'"_s);
        mark.bindValue(0, retryAt.isValid() ? u"pending"_s : u"failed"_s);
        mark.bindValue(1, SqlRow::msOrNull(retryAt));
        mark.bindValue(2, status != 0 ? QVariant(status) : QVariant(QMetaType::fromType<int>()));
        mark.bindValue(3, SqlRow::text(error));
        mark.bindValue(4, attempt.deliveryId);
        mark.bindValue(5, attempt.attempts);
        StatementCache::exec(mark, "note a failed webhook delivery");
        mark.finish();
        transaction.commit();
    });
}

void WebhookRepository::releaseClaim(const Attempt &attempt, const QDateTime &retryAt,
                                     const QString &note)
{
    Transaction::retryingConflicts(m_database, [&] {
        Transaction transaction(m_database);
        QSqlQuery &release = m_statements.prepared(
            u"UPDATE webhook_deliveries SET attempts = attempts - 1, next_attempt_at = ?, "
            "last_error = ? WHERE id = ? AND attempts = ? AND state = 'pending'"_s);
        release.bindValue(0, Timestamps::toMs(retryAt));
        release.bindValue(1, SqlRow::text(note));
        release.bindValue(2, attempt.deliveryId);
        release.bindValue(3, attempt.attempts);
        StatementCache::exec(release, "hand back a webhook delivery");
        release.finish();
        transaction.commit();
    });
}

QList<WebhookDelivery> WebhookRepository::deliveries(qint64 webhookId,
                                                     std::optional<WebhookDelivery::State> state,
                                                     qint64 beforeId, int limit)
{
    // Only the conditions asked for, so that each parameter has one plain type.
    QString sql = kDeliveryColumns + u" WHERE webhook_id = ?"_s;
    if (state)
        sql += u" AND state = ?"_s;
    if (beforeId > 0)
        sql += u" AND id < ?"_s;
    sql += u" ORDER BY id DESC LIMIT ?"_s;
    QSqlQuery &query = m_statements.prepared(sql);
    int parameter = 0;
    query.bindValue(parameter++, webhookId);
    if (state)
        query.bindValue(parameter++, QString(WebhookJson::stateName(*state)));
    if (beforeId > 0)
        query.bindValue(parameter++, beforeId);
    query.bindValue(parameter, limit);
    StatementCache::exec(query, "read the webhook's deliveries");
    QList<WebhookDelivery> found;
    while (query.next())
        found.append(delivery(query));
    query.finish();
    return found;
}

qint64 WebhookRepository::trimSettledBefore(const QDateTime &cutoff)
{
    return Transaction::retryingConflicts(m_database, [&] {
        Transaction transaction(m_database);
        QSqlQuery &remove = m_statements.prepared(
            u"DELETE FROM webhook_deliveries WHERE created_at < ? AND state <> 'pending'"_s);
        remove.bindValue(0, Timestamps::toMs(cutoff));
        StatementCache::exec(remove, "trim the webhook deliveries");
        const qint64 removed = remove.numRowsAffected();
        remove.finish();
        transaction.commit();
        return removed;
    });
}
