#include "classificationqueue.h"
#include "classificationrepository.h"
#include "database.h"
#include "storageerror.h"
#include "temporarydatabase.h"
#include "ticketrepository.h"

#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

class TestClassificationQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void everyStoredTicketIsQueued();
    void dueIsNewestFirstAndSkipsBusyJobs();
    void completeStoresOnceAndDequeues();
    void failureIsVisibleAndRetriedLater();
    void exhaustedFailureIsNeverDue();
    void machineResultDoesNotOverrideAnAgent();
    void needsReviewFollowsTheCurrentResult();
    void reviewFilterListsOnlyFlaggedTickets();

private:
    qint64 createTicket(const QString &text);
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
    m_queue = std::make_unique<ClassificationQueue>(m_temporary->database());
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

void TestClassificationQueue::dueIsNewestFirstAndSkipsBusyJobs()
{
    const qint64 first = createTicket(u"first"_s);
    const qint64 second = createTicket(u"second"_s);
    const qint64 third = createTicket(u"Subject line"_s);

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QList<ClassificationQueue::Entry> due = m_queue->due(10, {}, now);
    QCOMPARE(due.size(), 3);
    QCOMPARE(due.at(0).ticketId, third);
    QCOMPARE(due.at(1).ticketId, second);
    QCOMPARE(due.at(2).ticketId, first);
    QCOMPARE(due.at(0).text, u"Subject line"_s);
    QCOMPARE(due.at(0).failedAttempts, 0);

    const QList<ClassificationQueue::Entry> notBusy = m_queue->due(1, {third}, now);
    QCOMPARE(notBusy.size(), 1);
    QCOMPARE(notBusy.at(0).ticketId, second);
}

void TestClassificationQueue::completeStoresOnceAndDequeues()
{
    const qint64 id = createTicket(u"I was charged twice"_s);
    const Classification verdict = result(id, Category::Billing, 0.9);

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
    QVERIFY(m_queue->due(10, {}, QDateTime::currentDateTimeUtc()).isEmpty());
}

void TestClassificationQueue::failureIsVisibleAndRetriedLater()
{
    const qint64 id = createTicket(u"Cannot log in"_s);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime retryAt = now.addSecs(60);
    m_queue->fail({{id, u"remote: HTTP 503"_s, retryAt}});

    const std::optional<Ticket> ticket = m_tickets->find(id);
    QCOMPARE(ticket->classificationState(), ClassificationState::Failed);
    QCOMPARE(ticket->job->attempts, 1);
    QCOMPARE(ticket->job->lastError, u"remote: HTTP 503"_s);
    QCOMPARE(ticket->job->nextAttemptAt, retryAt);
    QCOMPARE(m_queue->counts().failed, 1);

    QVERIFY(m_queue->due(10, {}, now).isEmpty());
    const QList<ClassificationQueue::Entry> later = m_queue->due(10, {}, retryAt);
    QCOMPARE(later.size(), 1);
    QCOMPARE(later.at(0).failedAttempts, 1);

    QCOMPARE(m_queue->complete({result(id, Category::Technical, 0.8)}), QList<qint64>{id});
    QCOMPARE(m_tickets->find(id)->classificationState(), ClassificationState::Classified);
}

void TestClassificationQueue::exhaustedFailureIsNeverDue()
{
    const qint64 id = createTicket(u"Cannot log in"_s);
    m_queue->fail({{id, u"no provider"_s, QDateTime()}});
    QVERIFY(m_queue->due(10, {}, QDateTime::currentDateTimeUtc().addYears(10)).isEmpty());
    QVERIFY(!m_tickets->find(id)->job->nextAttemptAt.isValid());
}

void TestClassificationQueue::machineResultDoesNotOverrideAnAgent()
{
    const qint64 id = createTicket(u"Refund please"_s);
    ClassificationRepository classifications(m_temporary->database());
    Classification agent = result(id, Category::Billing, 1.0, ClassificationProvider::Agent);
    agent.needsReview = false;
    classifications.add(agent);

    QCOMPARE(m_queue->complete({result(id, Category::Technical, 0.3)}), QList<qint64>{id});
    const std::optional<Ticket> ticket = m_tickets->find(id);
    QCOMPARE(ticket->category, Category::Billing);
    QVERIFY(!ticket->needsReview);
    // The ticket shows the verdict its category comes from; the machine's is in the history.
    QCOMPARE(ticket->classification->provider, ClassificationProvider::Agent);
    QCOMPARE(classifications.history(id).size(), 2);
}

void TestClassificationQueue::needsReviewFollowsTheCurrentResult()
{
    const qint64 id = createTicket(u"Something odd"_s);
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

QTEST_GUILESS_MAIN(TestClassificationQueue)
#include "tst_classificationqueue.moc"
