#include "fakellmserver.h"
#include "llmclient.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QMutex>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Behaviour = FakeLlmServer::Behaviour;
using State = CircuitBreaker::State;

Q_DECLARE_METATYPE(FakeLlmServer::Behaviour)

namespace {

// Everything logged while a test runs, to prove the API key never reaches a log.
QMutex s_logMutex;
QStringList s_log;
QtMessageHandler s_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        const QMutexLocker locker(&s_logMutex);
        s_log.append(message);
    }
    if (s_previousHandler)
        s_previousHandler(type, context, message);
}

} // namespace

class TestLlmClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void scriptedAnswers_data();
    void scriptedAnswers();
    void resetBeforeAnswerIsRetried();
    void requestCarriesModelKeyAndJsonMode();
    void noAuthorizationHeaderWithoutKey();
    void personalDataIsRedactedBeforeSending();
    void retryAfterIsHonoured();
    void retryAfterBeyondTheLimitFailsFast();
    void retryAfterHoldsBackOtherTickets();
    void breakerOpensAfterRepeatedFailures();
    void breakerHalfOpenProbeClosesOnSuccess();
    void breakerProbeFailureReopens();
    void breakerFollowsTheInjectedClock();
    void openBreakerRefusesQueuedTickets();
    void openBreakerStopsRetries();
    void concurrencyLimitIsRespected();
    void classifyFromAnotherThread();
    void unconfiguredClientFailsAtOnce();
    void destroyingTheClientFinishesPendingTickets();
    void apiKeyNeverLeaks();

private:
    LlmSettings settings() const;
    static LlmOutcome waitFor(QFuture<LlmOutcome> future);

    std::unique_ptr<FakeLlmServer> m_server;
};

void TestLlmClient::init()
{
    m_server = std::make_unique<FakeLlmServer>();
    QVERIFY(m_server->isListening());
}

void TestLlmClient::cleanup()
{
    m_server.reset();
}

LlmSettings TestLlmClient::settings() const
{
    // Small times so that every retry path runs in milliseconds.
    LlmSettings settings;
    settings.baseUrl = m_server->baseUrl();
    settings.model = u"test-model"_s;
    settings.timeout = 400ms;
    settings.maxAttempts = 3;
    settings.backoffBase = 10ms;
    settings.backoffMax = 40ms;
    settings.retryAfterMax = 3s;
    settings.breakerFailureThreshold = 3;
    settings.breakerOpenDuration = 300ms;
    settings.maxConcurrentRequests = 4;
    return settings;
}

LlmOutcome TestLlmClient::waitFor(QFuture<LlmOutcome> future)
{
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, 10000))
        return LlmOutcome{std::nullopt, u"test: no outcome within 10 s"_s, -1, 0};
    return future.result();
}

void TestLlmClient::scriptedAnswers_data()
{
    QTest::addColumn<QList<Behaviour>>("script");
    QTest::addColumn<bool>("succeeds");
    QTest::addColumn<int>("attempts");
    QTest::addColumn<QString>("errorMentions");

    const Behaviour ok = Behaviour::correct();
    QTest::newRow("correct") << QList{ok} << true << 1 << QString();
    QTest::newRow("fenced answer")
        << QList{Behaviour::content(
               u"```json\n"_s + FakeLlmServer::predictionJson(FakeLlmServer::defaultPrediction()) +
               u"\n```"_s)}
        << true << 1 << QString();
    QTest::newRow("slow within the timeout")
        << QList{Behaviour::slow(100ms)} << true << 1 << QString();
    QTest::newRow("slow beyond the timeout, then correct")
        << QList{Behaviour::slow(2000ms), ok} << true << 2 << QString();
    QTest::newRow("500, then correct")
        << QList{Behaviour::internalError(), ok} << true << 2 << QString();
    QTest::newRow("500, 502, then correct")
        << QList{Behaviour::internalError(), Behaviour::httpStatus(502), ok} << true << 3
        << QString();
    QTest::newRow("429, then correct")
        << QList{Behaviour::tooManyRequests("0"), ok} << true << 2 << QString();
    QTest::newRow("503, then correct")
        << QList{Behaviour::unavailable("0"), ok} << true << 2 << QString();
    QTest::newRow("408, then correct")
        << QList{Behaviour::httpStatus(408), ok} << true << 2 << QString();
    QTest::newRow("malformed json, then correct")
        << QList{Behaviour::malformedJson(), ok} << true << 2 << QString();
    QTest::newRow("wrong category, then correct")
        << QList{Behaviour::wrongCategory(), ok} << true << 2 << QString();
    QTest::newRow("reset connection, then correct")
        << QList{Behaviour::resetConnection(), ok} << true << 2 << QString();

    QTest::newRow("500 every time")
        << QList{Behaviour::internalError(), Behaviour::internalError(), Behaviour::internalError()}
        << false << 3 << u"HTTP 500: The server had an error."_s;
    QTest::newRow("wrong category every time")
        << QList{Behaviour::wrongCategory(), Behaviour::wrongCategory(), Behaviour::wrongCategory()}
        << false << 3 << u"category"_s;
    QTest::newRow("malformed every time")
        << QList{Behaviour::malformedJson(), Behaviour::malformedJson(), Behaviour::malformedJson()}
        << false << 3 << u"not a JSON object"_s;
    QTest::newRow("reset every time")
        << QList{Behaviour::resetConnection(), Behaviour::resetConnection(),
                 Behaviour::resetConnection()}
        << false << 3 << u"Network error"_s;
    QTest::newRow("timeout every time")
        << QList{Behaviour::slow(2000ms), Behaviour::slow(2000ms), Behaviour::slow(2000ms)} << false
        << 3 << u"No answer within 400 ms"_s;

    // Configuration errors fail the same way however often they are tried.
    QTest::newRow("400 is not retried")
        << QList{Behaviour::httpStatus(400, R"({"error": {"message": "Unsupported parameter"}})")}
        << false << 1 << u"HTTP 400: Unsupported parameter"_s;
    QTest::newRow("401 is not retried")
        << QList{Behaviour::httpStatus(401)} << false << 1 << u"HTTP 401"_s;
    QTest::newRow("403 is not retried")
        << QList{Behaviour::httpStatus(403)} << false << 1 << u"HTTP 403"_s;
    QTest::newRow("404 is not retried")
        << QList{Behaviour::httpStatus(404, R"({"error": {"message": "model not found"}})")}
        << false << 1 << u"model not found"_s;
    QTest::newRow("redirect is not followed")
        << QList{Behaviour::httpStatus(307, {}, {{"Location", "http://elsewhere.invalid/v1"}})}
        << false << 1 << u"redirect"_s;
}

void TestLlmClient::scriptedAnswers()
{
    QFETCH(QList<Behaviour>, script);
    QFETCH(bool, succeeds);
    QFETCH(int, attempts);
    QFETCH(QString, errorMentions);

    for (const Behaviour &behaviour : script)
        m_server->enqueue(behaviour);
    // Anything beyond the script would show up as an extra request and a wrong count.
    m_server->setDefaultBehaviour(Behaviour::httpStatus(418));

    LlmClient client(settings());
    const LlmOutcome outcome = waitFor(client.classify(u"I was charged twice this month."_s));

    QCOMPARE(outcome.succeeded(), succeeds);
    QCOMPARE(outcome.attempts, attempts);
    QCOMPARE(m_server->requestCount(), attempts);
    if (succeeds) {
        QVERIFY(outcome.error.isEmpty());
        const Prediction expected = FakeLlmServer::defaultPrediction();
        QCOMPARE(outcome.prediction->category, expected.category);
        QCOMPARE(outcome.prediction->confidence, expected.confidence);
        QCOMPARE(outcome.prediction->priority, expected.priority);
        QCOMPARE(outcome.prediction->summary, expected.summary);
        QVERIFY(client.lastError().isEmpty());
    } else {
        QVERIFY2(outcome.error.contains(errorMentions), qPrintable(outcome.error));
        QCOMPARE(client.lastError(), outcome.error);
    }
    QVERIFY(outcome.elapsedMs >= 0);
    // One ticket, success or not, is far from the breaker's threshold.
    QCOMPARE(client.breakerState(), State::Closed);
}

void TestLlmClient::resetBeforeAnswerIsRetried()
{
    // Qt resends a request whose connection dies before the answer starts, below this client;
    // whoever retries, the ticket is classified and nothing is sent more often than allowed.
    m_server->enqueue(Behaviour::resetBeforeAnswer());
    m_server->enqueue(Behaviour::resetBeforeAnswer());
    m_server->enqueue(Behaviour::correct());
    m_server->setDefaultBehaviour(Behaviour::httpStatus(418));
    LlmClient client(settings());
    const LlmOutcome outcome = waitFor(client.classify(u"Printer offline"_s));
    QVERIFY2(outcome.succeeded(), qPrintable(outcome.error));
    QCOMPARE(m_server->requestCount(), 3);
    QVERIFY(outcome.attempts >= 1 && outcome.attempts <= 3);
}

void TestLlmClient::requestCarriesModelKeyAndJsonMode()
{
    LlmSettings llmSettings = settings();
    llmSettings.apiKey = u"sk-test-0123456789"_s;
    LlmClient client(llmSettings);
    QVERIFY(waitFor(client.classify(u"Printer offline"_s)).succeeded());

    QCOMPARE(m_server->requestCount(), 1);
    const FakeLlmServer::ReceivedRequest &request = m_server->requests().first();
    QCOMPARE(request.method, QByteArray("POST"));
    QCOMPARE(request.path, QByteArray("/v1/chat/completions"));
    QCOMPARE(request.header("Authorization"), QByteArray("Bearer sk-test-0123456789"));
    QVERIFY(request.header("Content-Type").startsWith("application/json"));
    QCOMPARE(request.model(), u"test-model"_s);
    QCOMPARE(request.userMessage(), u"Printer offline"_s);
    QCOMPARE(request.json().value("response_format"_L1).toObject().value("type"_L1).toString(),
             u"json_object"_s);
    QCOMPARE(client.modelName(), u"test-model"_s);
    QCOMPARE(LlmClient::promptVersion(), u"prompt-v1"_s);
}

void TestLlmClient::noAuthorizationHeaderWithoutKey()
{
    LlmClient client(settings());
    QVERIFY(waitFor(client.classify(u"Printer offline"_s)).succeeded());
    QCOMPARE(m_server->requestCount(), 1);
    QVERIFY(m_server->requests().first().header("Authorization").isEmpty());
}

void TestLlmClient::personalDataIsRedactedBeforeSending()
{
    LlmClient client(settings());
    const QString ticket = u"Hi, I am jane.doe@example.com, call me on +49 30 1234567. "
                           "Card 4111 1111 1111 1111 was charged twice, "
                           "IBAN DE89 3704 0044 0532 0130 00."_s;
    QVERIFY(waitFor(client.classify(ticket)).succeeded());

    QCOMPARE(m_server->requestCount(), 1);
    const QString sent = m_server->requests().first().userMessage();
    const QByteArray raw = m_server->requests().first().body;
    for (const char *secret :
         {"jane.doe", "example.com", "1234567", "4111", "DE89", "3704 0044", "0532"}) {
        QVERIFY2(!sent.contains(QLatin1StringView(secret)), secret);
        QVERIFY2(!raw.contains(secret), secret);
    }
    for (const auto placeholder : {"<email>"_L1, "<tel_num>"_L1, "<card_num>"_L1, "<acc_num>"_L1})
        QVERIFY2(sent.contains(placeholder), qPrintable(sent));
    QVERIFY(sent.contains(u"was charged twice"_s));
}

void TestLlmClient::retryAfterIsHonoured()
{
    // Backoff alone would wait at most 40 ms; only the header explains a pause of a second.
    m_server->enqueue(Behaviour::tooManyRequests("1"));
    m_server->enqueue(Behaviour::correct());
    LlmClient client(settings());
    const LlmOutcome outcome = waitFor(client.classify(u"Refund please"_s));
    QVERIFY(outcome.succeeded());
    QCOMPARE(outcome.attempts, 2);
    QVERIFY2(outcome.elapsedMs >= 950, QByteArray::number(outcome.elapsedMs).constData());
    QVERIFY2(outcome.elapsedMs < 3000, QByteArray::number(outcome.elapsedMs).constData());

    // The same without a Retry-After: backoff only.
    m_server->enqueue(Behaviour::httpStatus(429));
    m_server->enqueue(Behaviour::correct());
    const LlmOutcome backedOff = waitFor(client.classify(u"Refund please"_s));
    QVERIFY(backedOff.succeeded());
    QCOMPARE(backedOff.attempts, 2);
    QVERIFY2(backedOff.elapsedMs < 900, QByteArray::number(backedOff.elapsedMs).constData());
}

void TestLlmClient::retryAfterHoldsBackOtherTickets()
{
    m_server->enqueue(Behaviour::tooManyRequests("1"));
    m_server->setDefaultBehaviour(Behaviour::correct());
    LlmSettings oneAtATime = settings();
    oneAtATime.maxConcurrentRequests = 1;
    LlmClient client(oneAtATime);
    QElapsedTimer timer;
    timer.start();
    QList<qint64> receivedAt;
    connect(m_server.get(), &FakeLlmServer::requestReceived, this,
            [&] { receivedAt.append(timer.elapsed()); });
    const QFuture<LlmOutcome> first = client.classify(u"Refund please"_s);
    const QFuture<LlmOutcome> second = client.classify(u"Invoice missing"_s);
    QVERIFY(waitFor(first).succeeded());
    QVERIFY(waitFor(second).succeeded());
    QCOMPARE(receivedAt.size(), 3);
    // The second ticket waited out the pause the server asked for, though it never got a 429.
    QVERIFY2(receivedAt.at(1) >= 950, QByteArray::number(receivedAt.at(1)).constData());
    QCOMPARE(waitFor(second).attempts, 1);
}

void TestLlmClient::retryAfterBeyondTheLimitFailsFast()
{
    m_server->enqueue(Behaviour::unavailable("120"));
    m_server->enqueue(Behaviour::correct());
    LlmClient client(settings());
    const LlmOutcome outcome = waitFor(client.classify(u"Refund please"_s));
    QVERIFY(!outcome.succeeded());
    QCOMPARE(outcome.attempts, 1);
    QCOMPARE(m_server->requestCount(), 1);
    QVERIFY2(outcome.error.contains(u"120 s"_s), qPrintable(outcome.error));
    QVERIFY2(outcome.elapsedMs < 2000, QByteArray::number(outcome.elapsedMs).constData());
}

void TestLlmClient::breakerOpensAfterRepeatedFailures()
{
    m_server->setDefaultBehaviour(Behaviour::internalError());
    LlmClient client(settings());
    QSignalSpy spy(&client, &LlmClient::breakerStateChanged);

    for (int ticket = 0; ticket < 2; ++ticket) {
        QCOMPARE(waitFor(client.classify(u"VPN down"_s)).attempts, 3);
        QCOMPARE(client.breakerState(), State::Closed);
    }
    QCOMPARE(spy.count(), 0);
    const LlmOutcome third = waitFor(client.classify(u"VPN down"_s));
    QCOMPARE(third.attempts, 3);
    QCOMPARE(client.breakerState(), State::Open);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).value<State>(), State::Open);
    QCOMPARE(m_server->requestCount(), 9);

    // Open: answered at once, without a request.
    QFuture<LlmOutcome> refused = client.classify(u"VPN down"_s);
    QVERIFY(refused.isFinished());
    QCOMPARE(refused.result().attempts, 0);
    QVERIFY(!refused.result().succeeded());
    QVERIFY2(refused.result().error.contains(u"circuit breaker"_s),
             qPrintable(refused.result().error));
    QCOMPARE(m_server->requestCount(), 9);
    // The last real failure stays visible; the refusal does not replace it.
    QVERIFY2(client.lastError().contains(u"HTTP 500"_s), qPrintable(client.lastError()));
}

void TestLlmClient::breakerHalfOpenProbeClosesOnSuccess()
{
    LlmSettings llmSettings = settings();
    llmSettings.maxAttempts = 1;
    m_server->setDefaultBehaviour(Behaviour::internalError());
    LlmClient client(llmSettings);
    QSignalSpy spy(&client, &LlmClient::breakerStateChanged);
    for (int ticket = 0; ticket < 3; ++ticket)
        waitFor(client.classify(u"VPN down"_s));
    QCOMPARE(client.breakerState(), State::Open);

    // Half-open is announced when the open time is over, not only when the next ticket comes.
    QTRY_COMPARE(spy.count(), 2);
    QCOMPARE(spy.at(1).at(0).value<State>(), State::HalfOpen);
    QCOMPARE(client.breakerState(), State::HalfOpen);

    m_server->setDefaultBehaviour(Behaviour::slow(100ms));
    QFuture<LlmOutcome> probe = client.classify(u"VPN down"_s);
    // While the probe is out, nobody else gets through.
    QFuture<LlmOutcome> second = client.classify(u"VPN down"_s);
    QVERIFY(second.isFinished());
    QCOMPARE(second.result().attempts, 0);

    const LlmOutcome probeOutcome = waitFor(probe);
    QVERIFY(probeOutcome.succeeded());
    QCOMPARE(probeOutcome.attempts, 1);
    QCOMPARE(client.breakerState(), State::Closed);
    QCOMPARE(spy.count(), 3);
    QCOMPARE(spy.at(2).at(0).value<State>(), State::Closed);
    QCOMPARE(m_server->requestCount(), 4);

    // Closed again: tickets flow.
    QVERIFY(waitFor(client.classify(u"VPN down"_s)).succeeded());
}

void TestLlmClient::breakerProbeFailureReopens()
{
    LlmSettings llmSettings = settings();
    llmSettings.maxAttempts = 1;
    m_server->setDefaultBehaviour(Behaviour::resetConnection());
    LlmClient client(llmSettings);
    QSignalSpy spy(&client, &LlmClient::breakerStateChanged);
    for (int ticket = 0; ticket < 3; ++ticket)
        waitFor(client.classify(u"VPN down"_s));
    QTRY_COMPARE(client.breakerState(), State::HalfOpen);

    const LlmOutcome probe = waitFor(client.classify(u"VPN down"_s));
    QVERIFY(!probe.succeeded());
    QCOMPARE(probe.attempts, 1);
    QCOMPARE(client.breakerState(), State::Open);
    QCOMPARE(waitFor(client.classify(u"VPN down"_s)).attempts, 0);

    QList<State> states;
    for (const auto &arguments : spy)
        states.append(arguments.at(0).value<State>());
    QCOMPARE(states, (QList{State::Open, State::HalfOpen, State::Open}));
    QCOMPARE(m_server->requestCount(), 4);
}

void TestLlmClient::breakerFollowsTheInjectedClock()
{
    LlmSettings llmSettings = settings();
    llmSettings.maxAttempts = 1;
    llmSettings.breakerFailureThreshold = 1;
    llmSettings.breakerOpenDuration = 1h;
    std::chrono::milliseconds now{0};
    LlmClient client(
        llmSettings, [&now] { return now; }, [] { return 0.5; });
    m_server->enqueue(Behaviour::internalError());

    QVERIFY(!waitFor(client.classify(u"VPN down"_s)).succeeded());
    QCOMPARE(client.breakerState(), State::Open);
    now += 59min;
    QCOMPARE(waitFor(client.classify(u"VPN down"_s)).attempts, 0);
    now += 1min;
    QCOMPARE(client.breakerState(), State::HalfOpen);
    QVERIFY(waitFor(client.classify(u"VPN down"_s)).succeeded());
    QCOMPARE(client.breakerState(), State::Closed);
    QCOMPARE(m_server->requestCount(), 2);
}

void TestLlmClient::openBreakerRefusesQueuedTickets()
{
    // One request at a time and one failure opens the breaker: the tickets queued behind the
    // first never reach the failing server.
    LlmSettings llmSettings = settings();
    llmSettings.maxAttempts = 1;
    llmSettings.maxConcurrentRequests = 1;
    llmSettings.breakerFailureThreshold = 1;
    llmSettings.breakerOpenDuration = 10s;
    m_server->setDefaultBehaviour(Behaviour::internalError());
    LlmClient client(llmSettings);

    QList<QFuture<LlmOutcome>> futures;
    for (int ticket = 0; ticket < 4; ++ticket)
        futures.append(client.classify(u"VPN down"_s));
    QCOMPARE(waitFor(futures.at(0)).attempts, 1);
    for (qsizetype i = 1; i < futures.size(); ++i) {
        const LlmOutcome outcome = waitFor(futures.at(i));
        QCOMPARE(outcome.attempts, 0);
        QVERIFY(outcome.error.contains(u"circuit breaker"_s));
    }
    QCOMPARE(m_server->requestCount(), 1);
}

void TestLlmClient::openBreakerStopsRetries()
{
    // Two tickets in flight: one fails for good and opens the breaker, so the other, whose
    // failure would be retried, stops instead of knocking again.
    LlmSettings llmSettings = settings();
    llmSettings.breakerFailureThreshold = 1;
    llmSettings.breakerOpenDuration = 10s;
    Behaviour slowError = Behaviour::internalError();
    slowError.delay = 150ms;
    m_server->enqueue(slowError);
    m_server->enqueue(Behaviour::httpStatus(401));
    m_server->setDefaultBehaviour(Behaviour::correct());
    LlmClient client(llmSettings);

    QFuture<LlmOutcome> first = client.classify(u"one"_s);
    QFuture<LlmOutcome> second = client.classify(u"two"_s);
    const LlmOutcome outcomes[] = {waitFor(first), waitFor(second)};
    QStringList errors;
    for (const LlmOutcome &outcome : outcomes) {
        QVERIFY(!outcome.succeeded());
        QCOMPARE(outcome.attempts, 1);
        errors << outcome.error;
    }
    QCOMPARE(m_server->requestCount(), 2);
    QCOMPARE(client.breakerState(), State::Open);
    QCOMPARE(errors.filter(u"HTTP 401"_s).size(), 1);
    QCOMPARE(errors.filter(u"circuit breaker opened meanwhile"_s).size(), 1);
}

void TestLlmClient::concurrencyLimitIsRespected()
{
    LlmSettings llmSettings = settings();
    llmSettings.maxConcurrentRequests = 2;
    m_server->setDefaultBehaviour(Behaviour::slow(80ms));
    LlmClient client(llmSettings);

    QList<QFuture<LlmOutcome>> futures;
    for (int ticket = 0; ticket < 6; ++ticket)
        futures.append(client.classify(u"Ticket %1"_s.arg(ticket)));
    for (const auto &future : futures) {
        const LlmOutcome outcome = waitFor(future);
        QVERIFY2(outcome.succeeded(), qPrintable(outcome.error));
        QCOMPARE(outcome.attempts, 1);
    }
    QCOMPARE(m_server->requestCount(), 6);
    QCOMPARE(m_server->maxConcurrentRequests(), 2);
}

void TestLlmClient::classifyFromAnotherThread()
{
    LlmClient client(settings());
    QFuture<LlmOutcome> future;
    std::unique_ptr<QThread> worker(
        QThread::create([&] { future = client.classify(u"Printer offline"_s); }));
    worker->start();
    QVERIFY(worker->wait(5000));
    const LlmOutcome outcome = waitFor(future);
    QVERIFY2(outcome.succeeded(), qPrintable(outcome.error));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestLlmClient::unconfiguredClientFailsAtOnce()
{
    LlmSettings llmSettings = settings();
    llmSettings.model.clear();
    LlmClient client(llmSettings);
    QFuture<LlmOutcome> future = client.classify(u"Printer offline"_s);
    QVERIFY(future.isFinished());
    QVERIFY(!future.result().succeeded());
    QCOMPARE(future.result().attempts, 0);
    QCOMPARE(m_server->requestCount(), 0);
    QCOMPARE(client.breakerState(), State::Closed);
}

void TestLlmClient::destroyingTheClientFinishesPendingTickets()
{
    m_server->setDefaultBehaviour(Behaviour::slow(2000ms));
    QFuture<LlmOutcome> inFlight;
    QFuture<LlmOutcome> queued;
    {
        LlmSettings llmSettings = settings();
        llmSettings.maxConcurrentRequests = 1;
        LlmClient client(llmSettings);
        inFlight = client.classify(u"one"_s);
        queued = client.classify(u"two"_s);
        QTRY_COMPARE(m_server->requestCount(), 1);
    }
    QVERIFY(inFlight.isFinished());
    QVERIFY(queued.isFinished());
    QVERIFY(!inFlight.result().succeeded());
    QVERIFY(inFlight.result().error.contains(u"shut down"_s));
    QVERIFY(!queued.result().succeeded());
    QCOMPARE(queued.result().attempts, 0);
}

void TestLlmClient::apiKeyNeverLeaks()
{
    const QString key = u"sk-leak-check-7f3a9c2e51"_s;
    LlmSettings llmSettings = settings();
    llmSettings.apiKey = key;
    llmSettings.timeout = 150ms;
    llmSettings.maxAttempts = 2;
    llmSettings.retryAfterMax = 500ms;
    llmSettings.breakerFailureThreshold = 100;

    QLoggingCategory::setFilterRules(u"supportconsole.ai.debug=true"_s);
    {
        const QMutexLocker locker(&s_logMutex);
        s_log.clear();
    }
    s_previousHandler = qInstallMessageHandler(captureMessage);

    QStringList errors;
    {
        LlmClient client(llmSettings);
        const QList<Behaviour> failures{
            Behaviour::unauthorizedEchoingKey(), Behaviour::internalError(),
            Behaviour::malformedJson(),          Behaviour::wrongCategory(),
            Behaviour::resetConnection(),        Behaviour::slow(1000ms),
            Behaviour::tooManyRequests("30"),    Behaviour::httpStatus(404),
        };
        for (const Behaviour &failure : failures) {
            m_server->setDefaultBehaviour(failure);
            const LlmOutcome outcome = waitFor(client.classify(u"Ticket"_s));
            QVERIFY(!outcome.succeeded());
            errors << outcome.error << client.lastError();
        }
        QCOMPARE(m_server->requests().first().header("Authorization"), "Bearer " + key.toUtf8());

        // And a server that is not there at all.
        LlmSettings nowhere = llmSettings;
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress(QHostAddress::LocalHost), 0));
        nowhere.baseUrl = QUrl(u"http://127.0.0.1:%1/v1"_s.arg(closed.serverPort()));
        closed.close();
        LlmClient refused(nowhere);
        const LlmOutcome outcome = waitFor(refused.classify(u"Ticket"_s));
        QVERIFY(!outcome.succeeded());
        errors << outcome.error << refused.lastError();
    }

    qInstallMessageHandler(s_previousHandler);
    QLoggingCategory::setFilterRules(QString());
    QStringList log;
    {
        const QMutexLocker locker(&s_logMutex);
        log = s_log;
    }

    // The server did quote the key back; the client must have scrubbed it.
    QVERIFY2(errors.first().contains(u"<api key>"_s), qPrintable(errors.first()));
    QVERIFY(log.size() > 10);
    const QString everything = errors.join(u'\n') + u'\n' + log.join(u'\n');
    QVERIFY(everything.contains(u"HTTP 500"_s));
    QVERIFY(!everything.contains(key));
    // Not even a recognisable part of it.
    QVERIFY(!everything.contains(key.right(10)));
}

QTEST_GUILESS_MAIN(TestLlmClient)
#include "tst_llmclient.moc"
