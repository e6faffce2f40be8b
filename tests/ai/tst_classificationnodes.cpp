#include "classificationqueue.h"
#include "classificationrepository.h"
#include "classificationservice.h"
#include "fakellmserver.h"
#include "temporarydatabase.h"
#include "ticketrepository.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

// Several nodes classifying from one database, each a ClassificationService with its own lease
// owner: every ticket is classified by one of them, a dead node's jobs go to another after the
// lease, and a slow answer keeps its lease.
class TestClassificationNodes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void twoNodesClassifyABacklogOnce();
    void deadNodesJobsAreTakenOverAfterTheLease();
    void slowRemoteAnswerKeepsItsLease();

private:
    QList<qint64> createTickets(int count);
    ClassificationOptions rulesOptions() const;
    qint64 pendingCount();
    static qint64 signalled(const QSignalSpy &spy);

    std::unique_ptr<TemporaryDatabase> m_temporary;
    std::unique_ptr<TicketRepository> m_tickets;
};

void TestClassificationNodes::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
    m_tickets = std::make_unique<TicketRepository>(m_temporary->database());
    // A node warns when it loses a lease or drops a result; in these tests nothing may be
    // classified twice, so neither may happen.
    QTest::failOnWarning(QRegularExpression(u"lease|Dropped"_s));
}

void TestClassificationNodes::cleanup()
{
    m_tickets.reset();
    m_temporary.reset();
}

QList<qint64> TestClassificationNodes::createTickets(int count)
{
    // Through the repository, not TicketWriter: the backlog of a node that imported it.
    QList<qint64> ids;
    for (int i = 0; i < count; ++i)
        ids.append(m_tickets
                       ->create(TicketDraft::fromText(u"My invoice is wrong, number %1"_s.arg(i),
                                                      TicketSource::Api))
                       .id);
    return ids;
}

ClassificationOptions TestClassificationNodes::rulesOptions() const
{
    ClassificationOptions options;
    options.order = {ClassificationProvider::Rules};
    options.idlePollInterval = 50ms;
    // Small batches, so that the nodes take turns many times over the backlog.
    options.batchSize = 8;
    return options;
}

qint64 TestClassificationNodes::pendingCount()
{
    return ClassificationQueue(m_temporary->database()).counts().pending;
}

qint64 TestClassificationNodes::signalled(const QSignalSpy &spy)
{
    qint64 count = 0;
    for (const QList<QVariant> &arguments : spy)
        count += arguments.at(0).value<QList<qint64>>().size();
    return count;
}

void TestClassificationNodes::twoNodesClassifyABacklogOnce()
{
    const QList<qint64> ids = createTickets(500);
    ClassificationService first(m_temporary->database(), rulesOptions());
    ClassificationService second(m_temporary->database(), rulesOptions());
    QSignalSpy storedByFirst(&first, &ClassificationService::classificationsStored);
    QSignalSpy storedBySecond(&second, &ClassificationService::classificationsStored);
    first.start();
    second.start();
    QTRY_COMPARE_WITH_TIMEOUT(pendingCount(), 0, 30'000);
    first.stop();
    second.stop();

    qInfo("first node: %lld, second node: %lld", signalled(storedByFirst),
          signalled(storedBySecond));
    QCOMPARE(signalled(storedByFirst) + signalled(storedBySecond), 500);
    QVERIFY2(signalled(storedByFirst) > 0 && signalled(storedBySecond) > 0,
             "one node took the whole backlog; nothing ran concurrently");
    ClassificationRepository classifications(m_temporary->database());
    for (qint64 id : ids)
        QCOMPARE(classifications.history(id).size(), 1);
}

void TestClassificationNodes::deadNodesJobsAreTakenOverAfterTheLease()
{
    const QList<qint64> ids = createTickets(20);
    constexpr auto kLease = 500ms;
    QElapsedTimer sinceClaim;
    {
        // A node that takes the backlog and is killed before it answers.
        ClassificationQueue dead(m_temporary->database(), u"dead-node"_s, kLease);
        sinceClaim.start();
        QCOMPARE(dead.claim(100, QDateTime::currentDateTimeUtc()).size(), 20);
    }
    ClassificationOptions options = rulesOptions();
    options.idlePollInterval = 20ms;
    ClassificationService survivor(m_temporary->database(), options);
    survivor.start();
    QTRY_COMPARE_WITH_TIMEOUT(pendingCount(), 0, 10'000);
    QVERIFY(sinceClaim.elapsed() >= kLease.count());
    survivor.stop();
    ClassificationRepository classifications(m_temporary->database());
    for (qint64 id : ids)
        QCOMPARE(classifications.history(id).size(), 1);
}

void TestClassificationNodes::slowRemoteAnswerKeepsItsLease()
{
    FakeLlmServer server;
    QVERIFY(server.isListening());
    // Four leases long: only renewals keep the job from the other node meanwhile.
    constexpr auto kLease = 600ms;
    server.setDefaultBehaviour(FakeLlmServer::Behaviour::slow(4 * kLease));
    const qint64 id = createTickets(1).first();

    ClassificationOptions options;
    options.order = {ClassificationProvider::Remote, ClassificationProvider::Rules};
    options.idlePollInterval = 20ms;
    options.leaseDuration = kLease;
    options.llm.baseUrl = server.baseUrl();
    options.llm.model = u"fake-model"_s;
    options.llm.timeout = 10s;
    options.llm.maxAttempts = 1;
    ClassificationService slow(m_temporary->database(), options);
    slow.start();
    QTRY_COMPARE(server.requestCount(), 1);

    ClassificationQueue other(m_temporary->database(), u"other-node"_s, kLease);
    QElapsedTimer waited;
    waited.start();
    while (m_tickets->find(id)->classificationState() != ClassificationState::Classified) {
        QVERIFY(other.claim(10, QDateTime::currentDateTimeUtc()).isEmpty());
        QVERIFY2(waited.elapsed() < 20'000, "the remote answer never got stored");
        QTest::qWait(50);
    }
    QVERIFY(waited.elapsed() >= 2 * kLease.count());
    slow.stop();
    QCOMPARE(m_tickets->find(id)->classification->provider, ClassificationProvider::Remote);
    QCOMPARE(ClassificationRepository(m_temporary->database()).history(id).size(), 1);
    QCOMPARE(server.requestCount(), 1);
}

QTEST_GUILESS_MAIN(TestClassificationNodes)
#include "tst_classificationnodes.moc"
