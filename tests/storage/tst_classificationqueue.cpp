#include "classificationqueue.h"
#include "classificationrepository.h"
#include "database.h"
#include "storageerror.h"
#include "temporarydatabase.h"
#include "ticketrepository.h"

#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <barrier>
#include <future>
#include <thread>

using namespace Qt::StringLiterals;

class TestClassificationQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void everyStoredTicketIsQueued();
    void claimIsNewestFirstAndSkipsLeasedJobs();
    void claimTakesDueRetriesAfterNewJobs();
    void completeStoresOnceAndDequeues();
    void failureIsVisibleAndRetriedLater();
    void exhaustedFailureIsNeverDue();
    void machineResultDoesNotOverrideAnAgent();
    void machineResultRacingAVerdictLeavesTheVerdict();
    void needsReviewFollowsTheCurrentResult();
    void reviewFilterListsOnlyFlaggedTickets();
    void batchKeepsEveryCountExact();

    void concurrentClaimsNeverShareATicket();
    void expiredLeaseIsTakenOver();
    void renewedLeaseIsKept();
    void resultOfANonHolderIsDropped();
    void failureReleasesTheLease();
    void releasedJobIsTakenAtOnce();

private:
    qint64 createTicket(const QString &text);
    QList<qint64> createTickets(int count);
    QList<qint64> claimAll(const QDateTime &now = QDateTime::currentDateTimeUtc());
    static QList<qint64> ids(const QList<ClassificationQueue::Entry> &entries);
    Classification result(qint64 ticketId, Category category, double confidence,
                          ClassificationProvider provider = ClassificationProvider::Rules) const;

    std::unique_ptr<TemporaryDatabase> m_temporary;
    std::unique_ptr<TicketRepository> m_tickets;
    std::unique_ptr<ClassificationQueue> m_queue;
};

void TestClassificationQueue::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
    m_tickets = std::make_unique<TicketRepository>(m_temporary->database());
    m_queue = std::make_unique<ClassificationQueue>(m_temporary->database(), u"node-a"_s);
}

void TestClassificationQueue::cleanup()
{
    m_queue.reset();
    m_tickets.reset();
    m_temporary.reset();
}

qint64 TestClassificationQueue::createTicket(const QString &text)
{
    return m_tickets->create(TicketDraft::fromText(text, TicketSource::Api)).id;
}

QList<qint64> TestClassificationQueue::createTickets(int count)
{
    QList<qint64> created;
    created.reserve(count);
    for (int i = 0; i < count; ++i)
        created.append(createTicket(u"Ticket number %1"_s.arg(i)));
    return created;
}

QList<qint64> TestClassificationQueue::claimAll(const QDateTime &now)
{
    return ids(m_queue->claim(1000, now));
}

QList<qint64> TestClassificationQueue::ids(const QList<ClassificationQueue::Entry> &entries)
{
    QList<qint64> ticketIds;
    for (const ClassificationQueue::Entry &entry : entries)
        ticketIds.append(entry.ticketId);
    return ticketIds;
}

Classification TestClassificationQueue::result(qint64 ticketId, Category category,
                                               double confidence,
                                               ClassificationProvider provider) const
{
    Classification classification;
    classification.ticketId = ticketId;
    classification.category = category;
    classification.confidence = confidence;
    classification.provider = provider;
    classification.model = u"test-model"_s;
    classification.needsReview = confidence < 0.6;
    return classification;
}

void TestClassificationQueue::everyStoredTicketIsQueued()
{
    const qint64 id = createTicket(u"Printer is offline"_s);
    const std::optional<Ticket> ticket = m_tickets->find(id);
    QVERIFY(ticket);
    QVERIFY(ticket->job);
    QCOMPARE(ticket->classificationState(), ClassificationState::Pending);
    QCOMPARE(m_queue->counts().pending, 1);
    QCOMPARE(m_queue->counts().failed, 0);
}

void TestClassificationQueue::claimIsNewestFirstAndSkipsLeasedJobs()
{
    const qint64 first = createTicket(u"first"_s);
    const qint64 second = createTicket(u"second"_s);
    const qint64 third = createTicket(u"Subject line"_s);
    const qint64 fourth = createTicket(u"fourth"_s);

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QList<ClassificationQueue::Entry> newest = m_queue->claim(1, now);
    QCOMPARE(ids(newest), QList<qint64>{fourth});

    // The leased job is left out, this owner's own included.
    const QList<ClassificationQueue::Entry> claimed = m_queue->claim(10, now);
    QCOMPARE(ids(claimed), (QList<qint64>{third, second, first}));
    QCOMPARE(claimed.at(0).text, u"Subject line"_s);
    QCOMPARE(claimed.at(0).failedAttempts, 0);
    QVERIFY(m_queue->claim(10, now).isEmpty());
    // Leased jobs are still pending.
    QCOMPARE(m_queue->counts().pending, 4);
}

void TestClassificationQueue::claimTakesDueRetriesAfterNewJobs()
{
    const QList<qint64> created = createTickets(4);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QCOMPARE(claimAll(now).size(), 4);
    // Retries due in another order than their tickets' ids.
    QCOMPARE(m_queue->fail({{created.at(0), u"later"_s, now.addSecs(3)},
                            {created.at(1), u"sooner"_s, now.addSecs(1)},
                            {created.at(2), u"not yet"_s, now.addSecs(3600)}}),
             (QList<qint64>{created.at(0), created.at(1), created.at(2)}));
    const qint64 fresh = createTicket(u"new"_s);

    const QList<ClassificationQueue::Entry> claimed = m_queue->claim(3, now.addSecs(10));
    QCOMPARE(ids(claimed), (QList<qint64>{fresh, created.at(1), created.at(0)}));
    QCOMPARE(claimed.at(1).failedAttempts, 1);
}

void TestClassificationQueue::completeStoresOnceAndDequeues()
{
    const qint64 id = createTicket(u"I was charged twice"_s);
    const Classification verdict = result(id, Category::Billing, 0.9);

    QCOMPARE(claimAll(), QList<qint64>{id});
    QCOMPARE(m_queue->complete({verdict}), QList<qint64>{id});
    // A second console that classified the same ticket meanwhile finds the job gone.
    QCOMPARE(m_queue->complete({verdict}), QList<qint64>{});

    ClassificationRepository classifications(m_temporary->database());
    QCOMPARE(classifications.history(id).size(), 1);
    const std::optional<Ticket> ticket = m_tickets->find(id);
    QVERIFY(!ticket->job);
    QCOMPARE(ticket->classificationState(), ClassificationState::Classified);
    QCOMPARE(ticket->category, Category::Billing);
    QCOMPARE(ticket->classification->model, u"test-model"_s);
    QCOMPARE(m_queue->counts().pending, 0);
    QVERIFY(claimAll().isEmpty());
}

void TestClassificationQueue::failureIsVisibleAndRetriedLater()
{
    const qint64 id = createTicket(u"Cannot log in"_s);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime retryAt = now.addSecs(60);
    QCOMPARE(claimAll(now), QList<qint64>{id});
    QCOMPARE(m_queue->fail({{id, u"remote: HTTP 503"_s, retryAt}}), QList<qint64>{id});

    const std::optional<Ticket> ticket = m_tickets->find(id);
    QCOMPARE(ticket->classificationState(), ClassificationState::Failed);
    QCOMPARE(ticket->job->attempts, 1);
    QCOMPARE(ticket->job->lastError, u"remote: HTTP 503"_s);
    QCOMPARE(ticket->job->nextAttemptAt, retryAt);
    QCOMPARE(m_queue->counts().failed, 1);

    QVERIFY(m_queue->claim(10, now).isEmpty());
    const QList<ClassificationQueue::Entry> later = m_queue->claim(10, retryAt);
    QCOMPARE(later.size(), 1);
    QCOMPARE(later.at(0).failedAttempts, 1);

    QCOMPARE(m_queue->complete({result(id, Category::Technical, 0.8)}), QList<qint64>{id});
    QCOMPARE(m_tickets->find(id)->classificationState(), ClassificationState::Classified);
}

void TestClassificationQueue::exhaustedFailureIsNeverDue()
{
    const qint64 id = createTicket(u"Cannot log in"_s);
    QCOMPARE(claimAll(), QList<qint64>{id});
    m_queue->fail({{id, u"no provider"_s, QDateTime()}});
    QVERIFY(m_queue->claim(10, QDateTime::currentDateTimeUtc().addYears(10)).isEmpty());
    QVERIFY(!m_tickets->find(id)->job->nextAttemptAt.isValid());
}

void TestClassificationQueue::machineResultDoesNotOverrideAnAgent()
{
    const qint64 id = createTicket(u"Refund please"_s);
    ClassificationRepository classifications(m_temporary->database());
    Classification agent = result(id, Category::Billing, 1.0, ClassificationProvider::Agent);
    agent.needsReview = false;
    classifications.add(agent);

    QCOMPARE(claimAll(), QList<qint64>{id});
    QCOMPARE(m_queue->complete({result(id, Category::Technical, 0.3)}), QList<qint64>{id});
    const std::optional<Ticket> ticket = m_tickets->find(id);
    QCOMPARE(ticket->category, Category::Billing);
    QVERIFY(!ticket->needsReview);
    // The ticket shows the verdict its category comes from; the machine's is in the history.
    QCOMPARE(ticket->classification->provider, ClassificationProvider::Agent);
    QCOMPARE(classifications.history(id).size(), 2);
}

// An agent's verdict being stored on another node while this one stores a machine result for
// the same ticket: the verdict commits while the result waits for the ticket, and it stands.
void TestClassificationQueue::machineResultRacingAVerdictLeavesTheVerdict()
{
    const qint64 id = createTicket(u"Refund please"_s);
    QCOMPARE(claimAll(), QList<qint64>{id});
    std::promise<void> verdictWritten;
    std::thread agentNode([&] {
        const Database other(m_temporary->database().config());
        {
            QSqlDatabase db = other.connection();
            other.dialect().beginWrite(db);
            QSqlQuery insert(db);
            insert.prepare(ClassificationRepository::insertSql());
            ClassificationRepository::bind(
                insert, result(id, Category::Billing, 1.0, ClassificationProvider::Agent));
            const bool inserted = insert.exec();
            verdictWritten.set_value();
            // Long enough for the machine result's statement to start and wait.
            QThread::msleep(300);
            if (inserted)
                db.commit();
            else
                db.rollback();
        }
        other.closeThreadConnection();
    });
    verdictWritten.get_future().wait();
    m_queue->complete({result(id, Category::Technical, 0.3)});
    agentNode.join();

    const std::optional<Ticket> ticket = m_tickets->find(id);
    QCOMPARE(ticket->classification->provider, ClassificationProvider::Agent);
    QCOMPARE(ticket->category, Category::Billing);
    QVERIFY(!ticket->needsReview);
    QCOMPARE(ClassificationRepository(m_temporary->database()).history(id).size(), 2);
}

void TestClassificationQueue::needsReviewFollowsTheCurrentResult()
{
    const qint64 id = createTicket(u"Something odd"_s);
    QCOMPARE(claimAll(), QList<qint64>{id});
    m_queue->complete({result(id, Category::General, 0.4)});
    QVERIFY(m_tickets->find(id)->needsReview);

    ClassificationRepository classifications(m_temporary->database());
    Classification agent = result(id, Category::Technical, 1.0, ClassificationProvider::Agent);
    classifications.add(agent);
    const std::optional<Ticket> ticket = m_tickets->find(id);
    QVERIFY(!ticket->needsReview);
    QCOMPARE(ticket->category, Category::Technical);
}

void TestClassificationQueue::reviewFilterListsOnlyFlaggedTickets()
{
    const qint64 sure = createTicket(u"Invoice missing"_s);
    const qint64 unsure = createTicket(u"Hello there"_s);
    const qint64 pending = createTicket(u"Not yet classified"_s);
    QCOMPARE(claimAll().size(), 3);
    m_queue->complete(
        {result(sure, Category::Billing, 0.95), result(unsure, Category::General, 0.35)});

    TicketQuery query;
    query.needsReview = true;
    TicketPage page = m_tickets->list(query);
    QCOMPARE(page.total, 1);
    QCOMPARE(page.items.size(), 1);
    QCOMPARE(page.items.at(0).id, unsure);

    query.needsReview = false;
    page = m_tickets->list(query);
    QCOMPARE(page.total, 2);
    QCOMPARE(page.items.at(0).id, pending);
    QCOMPARE(page.items.at(1).id, sure);

    query.category = Category::General;
    query.needsReview = true;
    QCOMPARE(m_tickets->list(query).total, 1);
}

// Nodes sharing one database: each claims on its own connection while the others do.
namespace {

// A query's rows, each as one line, sorted: equal for two queries that return the same set.
QStringList rowsOf(QSqlDatabase db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql))
        qFatal("%s", qPrintable(sql));
    QStringList rows;
    while (query.next()) {
        QStringList values;
        for (int i = 0; i < query.record().count(); ++i)
            values.append(query.value(i).toString());
        rows.append(values.join(u'|'));
    }
    rows.sort();
    return rows;
}

} // namespace

// A batch holds results for tickets classified before, and for one an agent sorted: the
// ticket's category, the per-day counts and the confidence histogram all come out as counted
// afresh from the tickets and their history.
void TestClassificationQueue::batchKeepsEveryCountExact()
{
    const QList<qint64> tickets = createTickets(40);
    ClassificationRepository classifications(m_temporary->database());
    for (int i = 0; i < 10; ++i)
        classifications.add(result(tickets.at(i), Category::General, 0.15 + i * 0.05));
    Classification agent =
        result(tickets.at(3), Category::Billing, 1.0, ClassificationProvider::Agent);
    classifications.add(agent);

    QCOMPARE(claimAll().size(), 40);
    QList<Classification> batch;
    for (int i = 0; i < 40; ++i)
        batch.append(result(tickets.at(i), kAllCategories.at(i % 3), 0.05 + (i % 19) * 0.05));
    QCOMPARE(m_queue->complete(batch).size(), 40);
    m_tickets->setStatus(tickets.mid(20, 7), TicketStatus::Resolved, Actor::user(u"alice"_s));

    for (int i = 0; i < 40; ++i) {
        const Category expected = i == 3 ? Category::Billing : kAllCategories.at(i % 3);
        QCOMPARE(m_tickets->find(tickets.at(i))->category, expected);
    }
    QSqlDatabase db = m_temporary->database().connection();
    QCOMPARE(rowsOf(db, u"SELECT day, category, status, n FROM ticket_counts WHERE n <> 0"_s),
             rowsOf(db, u"SELECT created_at / 86400000, COALESCE(category, ''), status, COUNT(*) "
                        "FROM tickets GROUP BY 1, 2, 3"_s));
    // The histogram's buckets counted here, from each ticket's newest machine result.
    QMap<QString, int> histogram;
    QSqlQuery latest(db);
    QVERIFY(latest.exec(u"SELECT t.created_at / 86400000, c.category, c.confidence "
                        "FROM classifications c JOIN tickets t ON t.id = c.ticket_id "
                        "WHERE c.id = (SELECT MAX(m.id) FROM classifications m "
                        "WHERE m.ticket_id = c.ticket_id AND m.provider <> 'agent')"_s));
    while (latest.next()) {
        const int bucket = std::min(int(latest.value(2).toDouble() * 10), 9);
        ++histogram[u"%1|%2|%3"_s.arg(latest.value(0).toString(), latest.value(1).toString())
                        .arg(bucket)];
    }
    QStringList expected;
    for (auto it = histogram.cbegin(); it != histogram.cend(); ++it)
        expected.append(it.key() + u'|' + QString::number(it.value()));
    expected.sort();
    QCOMPARE(rowsOf(db, u"SELECT day, category, bucket, n FROM confidence_counts WHERE n <> 0"_s),
             expected);
}

void TestClassificationQueue::concurrentClaimsNeverShareATicket()
{
    constexpr int kNodes = 4;
    const QList<qint64> backlog = createTickets(1000);
    const DatabaseConfig config = m_temporary->database().config();

    struct Node
    {
        QList<qint64> claimed;
        QList<qint64> stored;
        QString error;
    };
    std::array<Node, kNodes> nodes;
    // Every node takes its first batch before any takes a second: SQLite's busy handler sleeps,
    // so the first writer could otherwise drain the backlog before the others get a turn.
    std::barrier firstClaims(kNodes);
    std::vector<std::unique_ptr<QThread>> threads;
    for (int n = 0; n < kNodes; ++n) {
        threads.emplace_back(QThread::create([&config, &firstClaims, node = &nodes.at(n)] {
            // A Database of its own, as another process would have: no write mutex in common.
            const Database database(config);
            bool first = true;
            try {
                ClassificationQueue queue(database, ClassificationQueue::newLeaseOwner());
                for (;;) {
                    const QList<ClassificationQueue::Entry> batch =
                        queue.claim(16, QDateTime::currentDateTimeUtc());
                    if (std::exchange(first, false))
                        firstClaims.arrive_and_wait();
                    if (batch.isEmpty())
                        break;
                    QList<Classification> results;
                    for (const ClassificationQueue::Entry &entry : batch) {
                        node->claimed.append(entry.ticketId);
                        Classification result;
                        result.ticketId = entry.ticketId;
                        result.category = Category::General;
                        result.confidence = 0.5;
                        result.model = u"test-model"_s;
                        results.append(result);
                    }
                    node->stored += queue.complete(results);
                }
            } catch (const StorageError &error) {
                node->error = error.message();
                if (first)
                    firstClaims.arrive_and_drop();
            }
            database.closeThreadConnection();
        }));
    }
    for (const std::unique_ptr<QThread> &thread : threads)
        thread->start();
    for (const std::unique_ptr<QThread> &thread : threads)
        QVERIFY(thread->wait(QDeadlineTimer(120'000)));

    QList<qint64> everyClaim;
    int nodesThatClaimed = 0;
    for (const Node &node : nodes) {
        QVERIFY2(node.error.isEmpty(), qPrintable(node.error));
        // Each node stored every result it classified: nobody took its jobs meanwhile.
        QCOMPARE(node.stored, node.claimed);
        everyClaim += node.claimed;
        nodesThatClaimed += node.claimed.isEmpty() ? 0 : 1;
    }
    std::sort(everyClaim.begin(), everyClaim.end());
    QList<qint64> expected = backlog;
    std::sort(expected.begin(), expected.end());
    // Every ticket claimed, and none twice.
    QCOMPARE(everyClaim, expected);
    QCOMPARE(nodesThatClaimed, kNodes);
    QCOMPARE(m_queue->counts().pending, 0);
    ClassificationRepository classifications(m_temporary->database());
    for (qint64 id : std::as_const(backlog))
        QCOMPARE(classifications.history(id).size(), 1);
}

void TestClassificationQueue::expiredLeaseIsTakenOver()
{
    const qint64 id = createTicket(u"A node died with this one in hand"_s);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QCOMPARE(claimAll(now), QList<qint64>{id});

    ClassificationQueue other(m_temporary->database(), u"node-b"_s);
    const qint64 lease = m_queue->leaseDuration().count();
    QVERIFY(other.claim(10, now.addMSecs(lease - 1)).isEmpty());
    QCOMPARE(ids(other.claim(10, now.addMSecs(lease + 1))), QList<qint64>{id});

    // The first node was only slow: its result comes too late and is dropped.
    QCOMPARE(m_queue->complete({result(id, Category::Billing, 0.9)}), QList<qint64>{});
    QCOMPARE(m_queue->renew({id}, now.addMSecs(lease + 2)), QList<qint64>{id});
    QCOMPARE(other.complete({result(id, Category::Technical, 0.8)}), QList<qint64>{id});
    ClassificationRepository classifications(m_temporary->database());
    QCOMPARE(classifications.history(id).size(), 1);
    QCOMPARE(m_tickets->find(id)->category, Category::Technical);
}

void TestClassificationQueue::renewedLeaseIsKept()
{
    const qint64 id = createTicket(u"A slow remote answer"_s);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QCOMPARE(claimAll(now), QList<qint64>{id});
    const qint64 lease = m_queue->leaseDuration().count();
    QCOMPARE(m_queue->renew({id}, now.addMSecs(lease / 2)), QList<qint64>{});

    ClassificationQueue other(m_temporary->database(), u"node-b"_s);
    QVERIFY(other.claim(10, now.addMSecs(lease + 1)).isEmpty());
    QCOMPARE(m_queue->complete({result(id, Category::Billing, 0.9)}), QList<qint64>{id});
    QVERIFY(other.claim(10, now.addMSecs(10 * lease)).isEmpty());
}

void TestClassificationQueue::resultOfANonHolderIsDropped()
{
    const qint64 id = createTicket(u"Held by node a"_s);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QCOMPARE(claimAll(now), QList<qint64>{id});

    ClassificationQueue other(m_temporary->database(), u"node-b"_s);
    QCOMPARE(other.complete({result(id, Category::Billing, 0.9)}), QList<qint64>{});
    QCOMPARE(other.fail({{id, u"not mine"_s, now}}), QList<qint64>{});
    QCOMPARE(other.renew({id}, now), QList<qint64>{id});
    other.release({id});
    const std::optional<Ticket> ticket = m_tickets->find(id);
    QCOMPARE(ticket->classificationState(), ClassificationState::Pending);
    QCOMPARE(ticket->job->attempts, 0);
    QVERIFY(ClassificationRepository(m_temporary->database()).history(id).isEmpty());

    QCOMPARE(m_queue->complete({result(id, Category::Technical, 0.8)}), QList<qint64>{id});
    QCOMPARE(ClassificationRepository(m_temporary->database()).history(id).size(), 1);
}

void TestClassificationQueue::failureReleasesTheLease()
{
    const qint64 id = createTicket(u"Cannot log in"_s);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QCOMPARE(claimAll(now), QList<qint64>{id});
    const QDateTime retryAt = now.addSecs(1);
    QCOMPARE(m_queue->fail({{id, u"remote: HTTP 503"_s, retryAt}}), QList<qint64>{id});

    // Due long before the failed attempt's lease would have run out, and any node may retry.
    ClassificationQueue other(m_temporary->database(), u"node-b"_s);
    QCOMPARE(ids(other.claim(10, retryAt)), QList<qint64>{id});
}

void TestClassificationQueue::releasedJobIsTakenAtOnce()
{
    const QList<qint64> created = createTickets(3);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QCOMPARE(claimAll(now).size(), 3);
    m_queue->release({created.at(0), created.at(2)});

    ClassificationQueue other(m_temporary->database(), u"node-b"_s);
    QCOMPARE(ids(other.claim(10, now)), (QList<qint64>{created.at(2), created.at(0)}));
}

QTEST_GUILESS_MAIN(TestClassificationQueue)
#include "tst_classificationqueue.moc"
