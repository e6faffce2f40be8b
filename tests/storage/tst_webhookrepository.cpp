#include "changeeventrepository.h"
#include "database.h"
#include "messagerepository.h"
#include "storageerror.h"
#include "temporarydatabase.h"
#include "ticketrepository.h"
#include "webhookrepository.h"

#include <QJsonDocument>
#include <QSet>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace Qt::StringLiterals;

class TestWebhookRepository : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void addedWebhookReceivesOnlyLaterEvents();
    void queueingFollowsTypesAndLeavesInternalNotesOut();
    void queueingInBatchesMissesNothing();
    void claimTakesDueDeliveriesOnceUntilTheLeaseEnds();
    void attemptsSettleOrWaitForTheirRetry();
    void onlyTheLatestClaimSettlesADelivery();
    void aClaimHandedBackIsNotCounted();
    void concurrentClaimsTakeEachDeliveryOnce();
    void removingCancelsPendingDeliveriesAndKeepsTheLog();
    void logPagesNewestFirstAndFiltersByState();
    void eventsAreTrimmedOnlyOnceEveryLiveWebhookQueuedThem();
    void settledDeliveriesAreTrimmedByAge();

private:
    Webhook webhook(const QStringList &types = ChangeEvent::types());
    qint64 createTicket(const QString &text = u"The printer is on fire"_s);

    std::unique_ptr<TemporaryDatabase> m_temporary;
    std::unique_ptr<WebhookRepository> m_webhooks;
    const QDateTime m_now = QDateTime::currentDateTimeUtc();
};

void TestWebhookRepository::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
    m_webhooks = std::make_unique<WebhookRepository>(m_temporary->database());
}

void TestWebhookRepository::cleanup()
{
    m_webhooks.reset();
    m_temporary.reset();
}

Webhook TestWebhookRepository::webhook(const QStringList &types)
{
    Webhook webhook;
    webhook.url = QUrl(u"https://crm.example.com/hooks"_s);
    webhook.eventTypes = types;
    webhook.createdBy = u"admin"_s;
    m_webhooks->add(webhook, u"c2VhbGVk"_s);
    return webhook;
}

qint64 TestWebhookRepository::createTicket(const QString &text)
{
    return TicketRepository(m_temporary->database())
        .create(TicketDraft::fromText(text, TicketSource::Api))
        .id;
}

void TestWebhookRepository::addedWebhookReceivesOnlyLaterEvents()
{
    createTicket(u"Before the webhook"_s);
    const Webhook added = webhook({u"ticket.created"_s});
    QVERIFY(added.id > 0);
    const std::optional<Webhook> found = m_webhooks->find(added.id);
    QVERIFY(found);
    QCOMPARE(found->url, added.url);
    QCOMPARE(found->eventTypes, QStringList{u"ticket.created"_s});
    QCOMPARE(found->createdBy, u"admin"_s);
    QVERIFY(found->isLive());

    QCOMPARE(m_webhooks->queueNewEvents(100, m_now), 0);
    const qint64 ticket = createTicket(u"After the webhook"_s);
    QCOMPARE(m_webhooks->queueNewEvents(100, m_now), 1);
    const QList<WebhookDelivery> log = m_webhooks->deliveries(added.id, {}, 0, 10);
    QCOMPARE(log.size(), 1);
    QCOMPARE(log.first().ticketId, ticket);
    QCOMPARE(log.first().eventType, u"ticket.created"_s);
    QCOMPARE(log.first().state, WebhookDelivery::State::Pending);
    QCOMPARE(log.first().attempts, 0);
    QCOMPARE(log.first().eventId, ChangeEventRepository(m_temporary->database()).latestPosition());
    // Queued once: a second round finds nothing new.
    QCOMPARE(m_webhooks->queueNewEvents(100, m_now), 0);
    QCOMPARE(m_webhooks->deliveries(added.id, {}, 0, 10).size(), 1);
}

void TestWebhookRepository::queueingFollowsTypesAndLeavesInternalNotesOut()
{
    const Webhook replies = webhook({u"ticket.replied"_s});
    const Webhook everything = webhook();
    const qint64 ticket = createTicket();
    MessageRepository messages(m_temporary->database());
    const Actor ada = Actor::user(u"ada"_s);
    TicketMessage reply;
    reply.ticketId = ticket;
    reply.authorName = ada.name;
    reply.body = u"We are on it."_s;
    QVERIFY(messages.add(reply, ada));
    TicketMessage note = reply;
    note.visibility = MessageVisibility::Internal;
    note.body = u"Customer's password is hunter2"_s;
    QVERIFY(messages.add(note, ada));
    m_webhooks->queueNewEvents(100, m_now);

    const QList<WebhookDelivery> toReplies = m_webhooks->deliveries(replies.id, {}, 0, 10);
    QCOMPARE(toReplies.size(), 1);
    QCOMPARE(toReplies.first().eventType, u"ticket.replied"_s);
    QStringList types;
    for (const WebhookDelivery &delivery : m_webhooks->deliveries(everything.id, {}, 0, 10))
        types.prepend(delivery.eventType);
    QCOMPARE(types, (QStringList{u"ticket.created"_s, u"ticket.replied"_s}));

    // The note's event is in the log, and queued for nobody.
    qint64 noteEvent = 0;
    for (const ChangeEvent &event : ChangeEventRepository(m_temporary->database()).after(0, 100)) {
        if (event.internal)
            noteEvent = event.position;
    }
    QVERIFY(noteEvent > 0);
    // What is sent is the event as GET /events tells it.
    const QList<WebhookRepository::Attempt> taken =
        m_webhooks->claimDue(10, m_now, m_now.addSecs(15));
    QCOMPARE(taken.size(), 3);
    for (const WebhookRepository::Attempt &attempt : taken) {
        QVERIFY(attempt.eventId != noteEvent);
        const QJsonObject body = QJsonDocument::fromJson(attempt.body).object();
        QCOMPARE(body[u"id"_s].toInteger(), attempt.eventId);
        QCOMPARE(body[u"ticket_id"_s].toInteger(), ticket);
        QCOMPARE(attempt.url, QUrl(u"https://crm.example.com/hooks"_s));
        QCOMPARE(attempt.sealedSecret, u"c2VhbGVk"_s);
        if (body[u"type"_s].toString() == u"ticket.replied"_s)
            QCOMPARE(body[u"visibility"_s].toString(), u"public"_s);
    }
}

void TestWebhookRepository::queueingInBatchesMissesNothing()
{
    const Webhook added = webhook({u"ticket.created"_s});
    QList<qint64> tickets;
    for (int i = 0; i < 7; ++i)
        tickets.append(createTicket(u"Ticket %1"_s.arg(i)));
    QCOMPARE(m_webhooks->queueNewEvents(3, m_now), 3);
    QCOMPARE(m_webhooks->queueNewEvents(3, m_now), 3);
    QCOMPARE(m_webhooks->queueNewEvents(3, m_now), 1);
    QCOMPARE(m_webhooks->queueNewEvents(3, m_now), 0);
    QList<qint64> queued;
    for (const WebhookDelivery &delivery : m_webhooks->deliveries(added.id, {}, 0, 100))
        queued.prepend(delivery.ticketId);
    QCOMPARE(queued, tickets);
}

void TestWebhookRepository::claimTakesDueDeliveriesOnceUntilTheLeaseEnds()
{
    webhook({u"ticket.created"_s});
    createTicket(u"One"_s);
    createTicket(u"Two"_s);
    m_webhooks->queueNewEvents(100, m_now);

    const QDateTime leaseEnd = m_now.addSecs(15);
    QVERIFY(!m_webhooks->hasDue(m_now.addMSecs(-1)));
    QVERIFY(m_webhooks->hasDue(m_now));
    const QList<WebhookRepository::Attempt> first = m_webhooks->claimDue(1, m_now, leaseEnd);
    QCOMPARE(first.size(), 1);
    QCOMPARE(first.first().attempts, 1);
    const QList<WebhookRepository::Attempt> second = m_webhooks->claimDue(10, m_now, leaseEnd);
    QCOMPARE(second.size(), 1);
    QVERIFY(second.first().deliveryId != first.first().deliveryId);
    QVERIFY(m_webhooks->claimDue(10, m_now, leaseEnd).isEmpty());
    QVERIFY(!m_webhooks->hasDue(m_now));
    QVERIFY(m_webhooks->claimDue(10, leaseEnd.addMSecs(-1), leaseEnd.addSecs(15)).isEmpty());

    // A node that died mid-attempt: once its lease is over, another takes the delivery again.
    const QList<WebhookRepository::Attempt> again =
        m_webhooks->claimDue(10, leaseEnd, leaseEnd.addSecs(15));
    QCOMPARE(again.size(), 2);
    for (const WebhookRepository::Attempt &attempt : again)
        QCOMPARE(attempt.attempts, 2);
}

void TestWebhookRepository::attemptsSettleOrWaitForTheirRetry()
{
    const Webhook added = webhook({u"ticket.created"_s});
    createTicket(u"Delivered"_s);
    createTicket(u"Retried"_s);
    createTicket(u"Given up"_s);
    m_webhooks->queueNewEvents(100, m_now);
    QList<WebhookRepository::Attempt> taken = m_webhooks->claimDue(3, m_now, m_now.addSecs(15));
    QCOMPARE(taken.size(), 3);
    std::sort(taken.begin(), taken.end(),
              [](const auto &a, const auto &b) { return a.eventId < b.eventId; });

    m_webhooks->markDelivered(taken.at(0), 204, m_now.addSecs(1));
    const QDateTime retryAt = m_now.addSecs(60);
    m_webhooks->markAttemptFailed(taken.at(1), 503, u"The receiver answered 503."_s, retryAt);
    m_webhooks->markAttemptFailed(taken.at(2), 0, u"Connection refused"_s, {});

    const QList<WebhookDelivery> log = m_webhooks->deliveries(added.id, {}, 0, 10);
    QCOMPARE(log.size(), 3);
    const WebhookDelivery &delivered = log.at(2);
    QCOMPARE(delivered.state, WebhookDelivery::State::Delivered);
    QCOMPARE(delivered.lastStatus, 204);
    QCOMPARE(delivered.deliveredAt, m_now.addSecs(1));
    QVERIFY(!delivered.nextAttemptAt.isValid());
    const WebhookDelivery &retried = log.at(1);
    QCOMPARE(retried.state, WebhookDelivery::State::Pending);
    QCOMPARE(retried.lastStatus, 503);
    QCOMPARE(retried.lastError, u"The receiver answered 503."_s);
    QCOMPARE(retried.nextAttemptAt, retryAt);
    QCOMPARE(retried.attempts, 1);
    const WebhookDelivery &failed = log.at(0);
    QCOMPARE(failed.state, WebhookDelivery::State::Failed);
    QCOMPARE(failed.lastStatus, 0);
    QCOMPARE(failed.lastError, u"Connection refused"_s);

    // Only the one waiting for its retry comes back, and only when it is due.
    QVERIFY(m_webhooks->claimDue(10, retryAt.addMSecs(-1), retryAt.addSecs(15)).isEmpty());
    const QList<WebhookRepository::Attempt> due =
        m_webhooks->claimDue(10, retryAt, retryAt.addSecs(15));
    QCOMPARE(due.size(), 1);
    QCOMPARE(due.first().deliveryId, retried.id);
    QCOMPARE(due.first().attempts, 2);
    // A settled delivery is not unsettled by a late report.
    WebhookRepository::Attempt late;
    late.deliveryId = delivered.id;
    late.attempts = delivered.attempts;
    m_webhooks->markAttemptFailed(late, 500, u"late"_s, retryAt);
    QCOMPARE(m_webhooks->deliveries(added.id, WebhookDelivery::State::Delivered, 0, 10).size(), 1);
}

// A node whose claim ran out while its attempt hung reports late: the node that took the
// delivery since decides what it comes to.
void TestWebhookRepository::onlyTheLatestClaimSettlesADelivery()
{
    const Webhook added = webhook({u"ticket.created"_s});
    createTicket();
    m_webhooks->queueNewEvents(100, m_now);
    const QDateTime leaseEnd = m_now.addSecs(15);
    const WebhookRepository::Attempt stale = m_webhooks->claimDue(1, m_now, leaseEnd).first();
    const WebhookRepository::Attempt current =
        m_webhooks->claimDue(1, leaseEnd, leaseEnd.addSecs(15)).first();
    QCOMPARE(current.deliveryId, stale.deliveryId);
    m_webhooks->markAttemptFailed(stale, 500, u"late"_s, m_now.addSecs(1));
    WebhookDelivery shown = m_webhooks->deliveries(added.id, {}, 0, 1).first();
    QCOMPARE(shown.nextAttemptAt, leaseEnd.addSecs(15));
    QVERIFY(shown.lastError.isEmpty());
    m_webhooks->markDelivered(current, 200, leaseEnd);
    shown = m_webhooks->deliveries(added.id, {}, 0, 1).first();
    QCOMPARE(shown.state, WebhookDelivery::State::Delivered);
    QCOMPARE(shown.attempts, 2);
}

void TestWebhookRepository::aClaimHandedBackIsNotCounted()
{
    const Webhook added = webhook({u"ticket.created"_s});
    createTicket();
    m_webhooks->queueNewEvents(100, m_now);
    const WebhookRepository::Attempt taken =
        m_webhooks->claimDue(1, m_now, m_now.addSecs(15)).first();
    const QDateTime later = m_now.addSecs(60);
    m_webhooks->releaseClaim(taken, later, u"not my key"_s);
    const WebhookDelivery shown = m_webhooks->deliveries(added.id, {}, 0, 1).first();
    QCOMPARE(shown.attempts, 0);
    QCOMPARE(shown.nextAttemptAt, later);
    QCOMPARE(shown.lastError, u"not my key"_s);
    QCOMPARE(shown.state, WebhookDelivery::State::Pending);
    QVERIFY(m_webhooks->claimDue(1, later.addMSecs(-1), later.addSecs(15)).isEmpty());
    QCOMPARE(m_webhooks->claimDue(1, later, later.addSecs(15)).first().attempts, 1);
}

// Nodes claiming at the same time, each on its own connection: every delivery is taken by one.
void TestWebhookRepository::concurrentClaimsTakeEachDeliveryOnce()
{
    webhook({u"ticket.created"_s});
    constexpr int kTickets = 200;
    for (int i = 0; i < kTickets; ++i)
        createTicket(u"Ticket %1"_s.arg(i));
    const Database &database = m_temporary->database();
    constexpr int kNodes = 4;
    QList<QList<qint64>> takenBy(kNodes);
    std::atomic<int> failures = 0;
    QList<QThread *> nodes;
    for (int n = 0; n < kNodes; ++n) {
        nodes.append(QThread::create([&database, &takenBy, &failures, n, now = m_now] {
            try {
                WebhookRepository repository(database);
                for (;;) {
                    repository.queueNewEvents(50, now);
                    const QList<WebhookRepository::Attempt> taken =
                        repository.claimDue(7, now, now.addSecs(15));
                    if (taken.isEmpty() && !repository.hasDue(now))
                        break;
                    for (const WebhookRepository::Attempt &attempt : taken)
                        takenBy[n].append(attempt.deliveryId);
                }
            } catch (const StorageError &) {
                ++failures;
            }
            database.closeThreadConnection();
        }));
        nodes.last()->start();
    }
    for (QThread *node : nodes) {
        QVERIFY(node->wait(60'000));
        delete node;
    }
    QCOMPARE(failures.load(), 0);
    QSet<qint64> all;
    qsizetype count = 0;
    for (const QList<qint64> &taken : takenBy) {
        count += taken.size();
        for (qint64 id : taken)
            all.insert(id);
    }
    QCOMPARE(count, kTickets);
    QCOMPARE(all.size(), kTickets);
}

void TestWebhookRepository::removingCancelsPendingDeliveriesAndKeepsTheLog()
{
    const Webhook removed = webhook({u"ticket.created"_s});
    const Webhook kept = webhook({u"ticket.created"_s});
    createTicket();
    m_webhooks->queueNewEvents(100, m_now);
    QVERIFY(m_webhooks->remove(removed.id, m_now));
    QVERIFY(!m_webhooks->remove(removed.id, m_now));
    QVERIFY(!m_webhooks->remove(9999, m_now));

    const std::optional<Webhook> found = m_webhooks->find(removed.id);
    QVERIFY(found && !found->isLive());
    QCOMPARE(found->removedAt, m_now);
    const QList<WebhookDelivery> log = m_webhooks->deliveries(removed.id, {}, 0, 10);
    QCOMPARE(log.size(), 1);
    QCOMPARE(log.first().state, WebhookDelivery::State::Cancelled);
    const QList<WebhookRepository::Attempt> taken =
        m_webhooks->claimDue(10, m_now, m_now.addSecs(15));
    QCOMPARE(taken.size(), 1);
    QCOMPARE(taken.first().webhookId, kept.id);

    // Nothing more is queued for it, and it is listed after the live one.
    createTicket(u"Later"_s);
    m_webhooks->queueNewEvents(100, m_now);
    QCOMPARE(m_webhooks->deliveries(removed.id, {}, 0, 10).size(), 1);
    const QList<Webhook> listed = m_webhooks->list();
    QCOMPARE(listed.size(), 2);
    QCOMPARE(listed.at(0).id, kept.id);
    QCOMPARE(listed.at(1).id, removed.id);
}

void TestWebhookRepository::logPagesNewestFirstAndFiltersByState()
{
    const Webhook added = webhook({u"ticket.created"_s});
    for (int i = 0; i < 5; ++i)
        createTicket(u"Ticket %1"_s.arg(i));
    m_webhooks->queueNewEvents(100, m_now);
    const QList<WebhookRepository::Attempt> taken =
        m_webhooks->claimDue(2, m_now, m_now.addSecs(15));
    for (const WebhookRepository::Attempt &attempt : taken)
        m_webhooks->markDelivered(attempt, 200, m_now);

    const QList<WebhookDelivery> first = m_webhooks->deliveries(added.id, {}, 0, 3);
    QCOMPARE(first.size(), 3);
    QVERIFY(first.at(0).id > first.at(1).id && first.at(1).id > first.at(2).id);
    const QList<WebhookDelivery> rest = m_webhooks->deliveries(added.id, {}, first.last().id, 3);
    QCOMPARE(rest.size(), 2);
    QVERIFY(rest.first().id < first.last().id);
    QCOMPARE(m_webhooks->deliveries(added.id, WebhookDelivery::State::Delivered, 0, 10).size(), 2);
    QCOMPARE(m_webhooks->deliveries(added.id, WebhookDelivery::State::Pending, 0, 10).size(), 3);
    QVERIFY(m_webhooks->deliveries(added.id, WebhookDelivery::State::Failed, 0, 10).isEmpty());
    QVERIFY(m_webhooks->deliveries(added.id + 1, {}, 0, 10).isEmpty());
}

void TestWebhookRepository::eventsAreTrimmedOnlyOnceEveryLiveWebhookQueuedThem()
{
    const Webhook behind = webhook({u"ticket.created"_s});
    for (int i = 0; i < 3; ++i)
        createTicket(u"Ticket %1"_s.arg(i));
    ChangeEventRepository events(m_temporary->database());
    const QDateTime future = QDateTime::currentDateTimeUtc().addDays(1);
    // The webhook has not queued them: they stay, however old.
    QCOMPARE(events.trimBefore(future), 0);
    QCOMPARE(events.after(0, 100).size(), 3);
    m_webhooks->queueNewEvents(2, m_now);
    QCOMPARE(events.trimBefore(future), 2);
    QCOMPARE(events.after(0, 100).size(), 1);
    // A removed webhook holds nothing back.
    QVERIFY(m_webhooks->remove(behind.id, m_now));
    QCOMPARE(events.trimBefore(future), 1);
    QCOMPARE(m_webhooks->deliveries(behind.id, {}, 0, 10).size(), 2);
}

void TestWebhookRepository::settledDeliveriesAreTrimmedByAge()
{
    const Webhook added = webhook({u"ticket.created"_s});
    createTicket(u"Delivered"_s);
    createTicket(u"Pending"_s);
    const QDateTime old = m_now.addDays(-8);
    m_webhooks->queueNewEvents(100, old);
    const QList<WebhookRepository::Attempt> taken = m_webhooks->claimDue(1, old, old.addSecs(15));
    QCOMPARE(taken.size(), 1);
    m_webhooks->markDelivered(taken.first(), 200, old);
    QCOMPARE(m_webhooks->trimSettledBefore(m_now.addDays(-7)), 1);
    const QList<WebhookDelivery> left = m_webhooks->deliveries(added.id, {}, 0, 10);
    QCOMPARE(left.size(), 1);
    QCOMPARE(left.first().state, WebhookDelivery::State::Pending);
}

QTEST_GUILESS_MAIN(TestWebhookRepository)
#include "tst_webhookrepository.moc"
