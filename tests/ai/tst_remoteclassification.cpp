#include "classificationqueue.h"
#include "classificationservice.h"
#include "fakellmserver.h"
#include "temporarydatabase.h"
#include "ticketrepository.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

using Behaviour = FakeLlmServer::Behaviour;

// The remote provider inside the real pipeline, against a fake OpenAI-compatible server: each
// ticket still gets a classification, from the right provider, after the right number of
// attempts, and the circuit breaker opens and closes.
class TestRemoteClassification : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void serverBehaviour_data();
    void serverBehaviour();
    void breakerOpensAndCloses();
    void remoteOnlyFailureIsVisible();
    void localOnlyCategoryNeverLeavesTheMachine();
    void personalDataIsRedactedBeforeSending();
    void localOnlyHoldsWithoutALocalProviderInTheOrder();
    void restartWithRequestsInFlightCarriesOn();

private:
    ClassificationOptions options() const;
    qint64 createTicket(const QString &text = u"The app crashes when I open settings"_s);
    Ticket classified(qint64 id);

    std::unique_ptr<TemporaryDatabase> m_temporary;
    std::unique_ptr<TicketRepository> m_tickets;
    std::unique_ptr<FakeLlmServer> m_server;
};

void TestRemoteClassification::init()
{
    m_temporary = std::make_unique<TemporaryDatabase>();
    m_tickets = std::make_unique<TicketRepository>(m_temporary->database());
    m_server = std::make_unique<FakeLlmServer>();
    QVERIFY(m_server->isListening());
}

void TestRemoteClassification::cleanup()
{
    m_server.reset();
    m_tickets.reset();
    m_temporary.reset();
}

ClassificationOptions TestRemoteClassification::options() const
{
    ClassificationOptions options;
    options.order = {ClassificationProvider::Remote, ClassificationProvider::Rules};
    options.idlePollInterval = 20ms;
    options.llm.baseUrl = m_server->baseUrl();
    options.llm.model = u"fake-model"_s;
    options.llm.timeout = 300ms;
    options.llm.maxAttempts = 2;
    options.llm.backoffBase = 10ms;
    options.llm.backoffMax = 20ms;
    options.llm.breakerFailureThreshold = 100;
    return options;
}

qint64 TestRemoteClassification::createTicket(const QString &text)
{
    return m_tickets->create(TicketDraft::fromText(text, TicketSource::Api)).id;
}

Ticket TestRemoteClassification::classified(qint64 id)
{
    [&] {
        QTRY_COMPARE_WITH_TIMEOUT(m_tickets->find(id)->classificationState(),
                                  ClassificationState::Classified, 10'000);
    }();
    return *m_tickets->find(id);
}

void TestRemoteClassification::serverBehaviour_data()
{
    QTest::addColumn<QList<Behaviour>>("script");
    QTest::addColumn<QString>("provider");
    QTest::addColumn<int>("attempts");
    QTest::addColumn<qint64>("minimumMs");

    const Behaviour correct = Behaviour::correct();
    QTest::newRow("correct") << QList{correct} << u"remote"_s << 1 << qint64(0);
    QTest::newRow("500, then correct")
        << QList{Behaviour::internalError(), correct} << u"remote"_s << 2 << qint64(0);
    QTest::newRow("429 with Retry-After, then correct")
        << QList{Behaviour::tooManyRequests("1"), correct} << u"remote"_s << 2 << qint64(900);
    QTest::newRow("503 with Retry-After, then correct")
        << QList{Behaviour::unavailable("1"), correct} << u"remote"_s << 2 << qint64(900);
    QTest::newRow("reset, then correct")
        << QList{Behaviour::resetConnection(), correct} << u"remote"_s << 2 << qint64(0);
    QTest::newRow("slower than the timeout")
        << QList{Behaviour::slow(2s), Behaviour::slow(2s)} << u"rules"_s << 2 << qint64(500);
    QTest::newRow("500 twice") << QList{Behaviour::internalError(), Behaviour::internalError()}
                               << u"rules"_s << 2 << qint64(0);
    QTest::newRow("malformed JSON twice")
        << QList{Behaviour::malformedJson(), Behaviour::malformedJson()} << u"rules"_s << 2
        << qint64(0);
    QTest::newRow("wrong category twice")
        << QList{Behaviour::wrongCategory(), Behaviour::wrongCategory()} << u"rules"_s << 2
        << qint64(0);
    QTest::newRow("reset twice") << QList{Behaviour::resetConnection(),
                                          Behaviour::resetConnection()}
                                 << u"rules"_s << 2 << qint64(0);
}

void TestRemoteClassification::serverBehaviour()
{
    QFETCH(QList<Behaviour>, script);
    QFETCH(QString, provider);
    QFETCH(int, attempts);
    QFETCH(qint64, minimumMs);

    for (const Behaviour &behaviour : script)
        m_server->enqueue(behaviour);
    m_server->setDefaultBehaviour(Behaviour::internalError());
    const qint64 id = createTicket();
    ClassificationService service(m_temporary->database(), options());
    service.start();

    const Ticket ticket = classified(id);
    const Classification &result = *ticket.classification;
    QCOMPARE(classificationProviderName(result.provider), provider);
    QCOMPARE(result.attempts, attempts);
    QCOMPARE(m_server->requestCount(), attempts);
    QVERIFY2(result.processingMs >= minimumMs, qPrintable(QString::number(result.processingMs)));
    if (provider == u"remote"_s) {
        QVERIFY(!result.fallback);
        QCOMPARE(result.model, u"fake-model"_s);
        QCOMPARE(result.modelVersion, u"prompt-v1"_s);
        QCOMPARE(result.category, Category::Billing);
        QCOMPARE(result.priority, Priority::High);
        QCOMPARE(result.confidence, 0.87);
        QCOMPARE(result.summary, u"The customer was charged twice and wants a refund."_s);
    } else {
        QVERIFY(result.fallback);
        QCOMPARE(result.model, u"rules-v1"_s);
        QCOMPARE(result.category, Category::Technical);
    }
    QCOMPARE(m_server->requests().first().model(), u"fake-model"_s);
}

void TestRemoteClassification::breakerOpensAndCloses()
{
    ClassificationOptions settings = options();
    settings.llm.maxAttempts = 1;
    settings.llm.maxConcurrentRequests = 1;
    settings.llm.breakerFailureThreshold = 2;
    settings.llm.breakerOpenDuration = 700ms;
    m_server->setDefaultBehaviour(Behaviour::internalError());
    QList<qint64> ids;
    for (int i = 0; i < 5; ++i)
        ids.append(createTicket());

    ClassificationService service(m_temporary->database(), settings);
    service.start();
    for (qint64 id : std::as_const(ids)) {
        const Classification result = *classified(id).classification;
        QCOMPARE(result.provider, ClassificationProvider::Rules);
        QVERIFY(result.fallback);
    }
    // Two failures open the breaker; the other tickets fall back without a request.
    QCOMPARE(m_server->requestCount(), 2);
    QTRY_COMPARE(service.status().providers.at(0).state, u"open"_s);
    QVERIFY(service.status().providers.at(0).lastError.contains(u"500"_s));

    // After the open period one probe goes through; its success closes the breaker.
    m_server->setDefaultBehaviour(Behaviour::correct());
    QTRY_COMPARE_WITH_TIMEOUT(service.status().providers.at(0).state, u"half_open"_s, 3'000);
    const qint64 probe = createTicket();
    service.wake();
    const Classification result = *classified(probe).classification;
    QCOMPARE(result.provider, ClassificationProvider::Remote);
    QCOMPARE(result.attempts, 1);
    QTRY_COMPARE(service.status().providers.at(0).state, u"closed"_s);
    QCOMPARE(m_server->requestCount(), 3);
}

void TestRemoteClassification::remoteOnlyFailureIsVisible()
{
    ClassificationOptions settings = options();
    settings.order = {ClassificationProvider::Remote};
    m_server->setDefaultBehaviour(Behaviour::internalError());
    const qint64 id = createTicket();
    ClassificationService service(m_temporary->database(), settings);
    service.start();

    QTRY_COMPARE(m_tickets->find(id)->classificationState(), ClassificationState::Failed);
    const Ticket ticket = *m_tickets->find(id);
    QVERIFY2(ticket.job->lastError.startsWith(u"remote: "_s), qPrintable(ticket.job->lastError));
    QVERIFY(ticket.job->lastError.contains(u"500"_s));
    QCOMPARE(ticket.job->attempts, 1);
    QVERIFY(ticket.job->nextAttemptAt > QDateTime::currentDateTimeUtc());
    QVERIFY(!ticket.classification);
}

void TestRemoteClassification::localOnlyCategoryNeverLeavesTheMachine()
{
    ClassificationOptions settings = options();
    settings.localOnlyCategories = {Category::Billing};
    const qint64 billing = createTicket(u"Please refund the duplicate charge on my invoice"_s);
    const qint64 technical = createTicket(u"The server crashes with an error after the update"_s);
    ClassificationService service(m_temporary->database(), settings);
    service.start();

    const Classification local = *classified(billing).classification;
    QCOMPARE(local.provider, ClassificationProvider::Rules);
    QCOMPARE(local.category, Category::Billing);
    QVERIFY(!local.fallback);
    QCOMPARE(classified(technical).classification->provider, ClassificationProvider::Remote);
    QCOMPARE(m_server->requestCount(), 1);
    QVERIFY(m_server->requests().first().userMessage().contains(u"server crashes"_s));
}

void TestRemoteClassification::personalDataIsRedactedBeforeSending()
{
    const qint64 id = createTicket(
        u"Please call me on +44 20 7946 0958 or mail jane.doe@example.com about card 4111 1111 1111 1111"_s);
    ClassificationService service(m_temporary->database(), options());
    service.start();
    QCOMPARE(classified(id).classification->provider, ClassificationProvider::Remote);

    const QString sent = m_server->requests().first().userMessage();
    QVERIFY2(!sent.contains(u"jane.doe"_s), qPrintable(sent));
    QVERIFY(!sent.contains(u"4111"_s));
    QVERIFY(!sent.contains(u"7946"_s));
    QVERIFY(sent.contains(u"<email>"_s));
    QVERIFY(sent.contains(u"<card_num>"_s));
    QVERIFY(sent.contains(u"<tel_num>"_s));
}

void TestRemoteClassification::localOnlyHoldsWithoutALocalProviderInTheOrder()
{
    ClassificationOptions settings = options();
    settings.order = {ClassificationProvider::Remote};
    settings.localOnlyCategories = {Category::Billing};
    const qint64 billing = createTicket(u"Please refund the duplicate charge on my invoice"_s);
    ClassificationService service(m_temporary->database(), settings);
    service.start();

    const Classification result = *classified(billing).classification;
    QCOMPARE(result.provider, ClassificationProvider::Rules);
    QCOMPARE(result.category, Category::Billing);
    QCOMPARE(m_server->requestCount(), 0);
}

void TestRemoteClassification::restartWithRequestsInFlightCarriesOn()
{
    m_server->setDefaultBehaviour(Behaviour::slow(300ms));
    QList<qint64> ids;
    for (int i = 0; i < 20; ++i)
        ids.append(createTicket());
    ClassificationService service(m_temporary->database(), options());
    service.start();
    QTRY_VERIFY(m_server->requestCount() >= 2);
    service.stop();
    service.start();
    for (qint64 id : std::as_const(ids))
        QCOMPARE(classified(id).classificationState(), ClassificationState::Classified);
}

QTEST_GUILESS_MAIN(TestRemoteClassification)
#include "tst_remoteclassification.moc"
