#pragma once

#include "changeeventrepository.h"
#include "statementcache.h"
#include "webhook.h"
#include "webhookdelivery.h"

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>

#include <optional>

class Database;

// Webhooks and their deliveries. The change events are the outbox: queueNewEvents() turns what
// each live webhook has not yet seen into its deliveries, and the dispatcher claims due ones
// for an attempt each. Throws StorageError.
class WebhookRepository final
{
public:
    explicit WebhookRepository(const Database &database);
    Q_DISABLE_COPY_MOVE(WebhookRepository)

    // Fills in the id; the webhook receives the events committed from now on.
    void add(Webhook &webhook, const QString &sealedSecret);
    // Live ones first, then removed ones; newest first within each.
    QList<Webhook> list();
    std::optional<Webhook> find(qint64 id);
    // A live webhook's sealed secret, to check a key against; nothing when none is live.
    std::optional<QString> liveSealedSecret();
    // Stops it and cancels its pending deliveries. False when no live webhook has the id.
    bool remove(qint64 id, const QDateTime &at);

    // Queues, for every live webhook, the events after its mark, up to limit events each, in
    // one transaction, and moves the marks past them. Internal notes' events are never sent.
    // Returns how many events were read for the webhook that read the most: limit means more
    // may be waiting.
    int queueNewEvents(int limit, const QDateTime &now);

    struct Attempt
    {
        qint64 deliveryId = 0;
        qint64 webhookId = 0;
        QUrl url;
        QString sealedSecret;
        qint64 eventId = 0;
        QByteArray body;
        // Counting this one.
        int attempts = 0;
    };
    // Takes up to limit due deliveries, oldest due first, counting an attempt for each and
    // putting the next one off until leaseUntil, so that no other node takes them meanwhile and
    // a node that dies mid-attempt leaves them to be tried again then.
    QList<Attempt> claimDue(int limit, const QDateTime &now, const QDateTime &leaseUntil);
    // Whether any delivery is due, without taking it.
    bool hasDue(const QDateTime &now);
    // What an attempt came to. Only the attempt's own claim is settled: a delivery taken again
    // since (the claim ran out) or no longer pending (its webhook was removed) stays as it is.
    // status 0: no HTTP answer.
    void markDelivered(const Attempt &attempt, int status, const QDateTime &at);
    // retryAt invalid: the attempts are used up, and the delivery has failed.
    void markAttemptFailed(const Attempt &attempt, int status, const QString &error,
                           const QDateTime &retryAt);
    // Hands a claim back uncounted, not to be taken before retryAt, with a note for the log:
    // for a node that cannot make the attempt, through no fault of the delivery.
    void releaseClaim(const Attempt &attempt, const QDateTime &retryAt, const QString &note);

    // A webhook's log, newest first: those with an id below beforeId (0: from the newest), in
    // one state or all.
    QList<WebhookDelivery> deliveries(qint64 webhookId, std::optional<WebhookDelivery::State> state,
                                      qint64 beforeId, int limit);
    // Removes the deliveries created before the cutoff that are no longer pending.
    qint64 trimSettledBefore(const QDateTime &cutoff);

private:
    const Database &m_database;
    QSqlDatabase m_db;
    StatementCache m_statements;
    ChangeEventRepository m_events;
};
