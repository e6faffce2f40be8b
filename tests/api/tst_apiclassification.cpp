#include "fakellmserver.h"
#include "localmodeltrainer.h"
#include "runningserver.h"
#include "trainingfixture.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

// The API and the classification pipeline together: a POST answers at once with a pending
// classification, the result shows up on GET, "Prefer: wait" waits for it, /health reports it.
class TestApiClassification : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void postAnswersPendingAndGetShowsTheResult();
    void preferWaitReturnsTheClassifiedTicket();
    void preferWaitIsClamped();
    void preferWaitZeroAnswersAtOnce();
    void preferWaitAcceptsSpacesAndQuotes();
    void preferWaitTimesOutWithThePendingTicket();
    void aWaitIsNotIdleTime();
    void clientLeavingDuringAWaitHarmsNothing();
    void stoppingAnswersWaitingClients();
    void healthReportsProvidersAndQueue();
    void healthDetailShowsTheLearnedModelToACredential();
    void needsReviewFilter();
    void needsReviewFilterRejectsOtherValues();

private:
    static ClassificationOptions rulesOnly(double reviewThreshold = 0.6);
    static QByteArray ticketBody(const QString &text);
    // The remote provider first, answered by a fake LLM that the test makes slow.
    static ClassificationOptions remoteFirst(const FakeLlmServer &llm);
    // A raw POST /requests asking to wait, for tests that must drop or outlive the connection.
    static QByteArray waitingPost(const RunningServer &server, const QString &text,
                                  int waitSeconds);
};

ClassificationOptions TestApiClassification::rulesOnly(double reviewThreshold)
{
    ClassificationOptions options;
    options.order = {ClassificationProvider::Rules};
    options.reviewThreshold = reviewThreshold;
    options.idlePollInterval = 1h; // only the API's wake-up can explain a prompt result
    return options;
}

QByteArray TestApiClassification::ticketBody(const QString &text)
{
    return QJsonDocument(QJsonObject{{u"text"_s, text}}).toJson(QJsonDocument::Compact);
}

ClassificationOptions TestApiClassification::remoteFirst(const FakeLlmServer &llm)
{
    ClassificationOptions options = rulesOnly();
    options.order = {ClassificationProvider::Remote, ClassificationProvider::Rules};
    options.llm.baseUrl = llm.baseUrl();
    options.llm.model = u"slow-model"_s;
    options.llm.timeout = 10s;
    return options;
}

QByteArray TestApiClassification::waitingPost(const RunningServer &server, const QString &text,
                                              int waitSeconds)
{
    const QByteArray body = ticketBody(text);
    return "POST /requests HTTP/1.1\r\nHost: localhost:" + QByteArray::number(server.port()) +
           "\r\nAuthorization: Bearer " + server.token() +
           "\r\nContent-Type: application/json\r\nPrefer: wait=" + QByteArray::number(waitSeconds) +
           "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

void TestApiClassification::postAnswersPendingAndGetShowsTheResult()
{
    RunningServer server(rulesOnly());
    const HttpClient::Response created = server.client().postJson(
        u"/requests"_s, ticketBody(u"Hi. I was charged twice for my subscription this month."_s));
    QCOMPARE(created.status, 201);
    QCOMPARE(created.json().value(u"classification"_s).toObject().value(u"status"_s).toString(),
             u"pending"_s);
    QVERIFY(created.header("Preference-Applied").isEmpty());
    const QString location = QString::fromLatin1(created.header("Location"));

    QTRY_COMPARE_WITH_TIMEOUT(server.client()
                                  .get(location)
                                  .json()
                                  .value(u"classification"_s)
                                  .toObject()
                                  .value(u"status"_s)
                                  .toString(),
                              u"classified"_s, 5'000);
    const QJsonObject ticket = server.client().get(location).json();
    QCOMPARE(ticket.value(u"category"_s).toString(), u"billing"_s);
    const QJsonObject classification = ticket.value(u"classification"_s).toObject();
    QCOMPARE(classification.value(u"category"_s).toString(), u"billing"_s);
    QCOMPARE(classification.value(u"provider"_s).toString(), u"rules"_s);
    QCOMPARE(classification.value(u"model"_s).toString(), u"rules-v1"_s);
    QCOMPARE(classification.value(u"fallback"_s), QJsonValue(false));
    QCOMPARE(classification.value(u"summary"_s).toString(),
             u"I was charged twice for my subscription this month."_s);
    QVERIFY(classification.value(u"confidence"_s).toDouble() > 0.0);
    QVERIFY(!classification.value(u"priority"_s).toString().isEmpty());
    QVERIFY(classification.value(u"processing_ms"_s).isDouble());
}

void TestApiClassification::preferWaitReturnsTheClassifiedTicket()
{
    RunningServer server(rulesOnly());
    QElapsedTimer timer;
    timer.start();
    const HttpClient::Response created = server.client().postJson(
        u"/requests"_s, ticketBody(u"The app crashes on start"_s), {{"Prefer", "wait=10"}});
    QCOMPARE(created.status, 201);
    QVERIFY2(timer.elapsed() < 5'000, "waited for the timeout instead of the result");
    QCOMPARE(created.header("Preference-Applied"), "wait=10");
    QVERIFY(!created.header("Location").isEmpty());
    const QJsonObject classification = created.json().value(u"classification"_s).toObject();
    QCOMPARE(classification.value(u"status"_s).toString(), u"classified"_s);
    QCOMPARE(classification.value(u"category"_s).toString(), u"technical"_s);
}

void TestApiClassification::preferWaitIsClamped()
{
    RunningServer server(rulesOnly());
    const HttpClient::Response created =
        server.client().postJson(u"/requests"_s, ticketBody(u"Invoice question"_s),
                                 {{"Prefer", "respond-async, wait=3600"}});
    QCOMPARE(created.status, 201);
    QCOMPARE(created.header("Preference-Applied"), "wait=30");
}

void TestApiClassification::preferWaitZeroAnswersAtOnce()
{
    RunningServer server(rulesOnly());
    const HttpClient::Response created = server.client().postJson(
        u"/requests"_s, ticketBody(u"Invoice question"_s), {{"Prefer", "wait=0"}});
    QCOMPARE(created.status, 201);
    QCOMPARE(created.header("Preference-Applied"), "wait=0");
    QCOMPARE(created.json().value(u"classification"_s).toObject().value(u"status"_s).toString(),
             u"pending"_s);
}

void TestApiClassification::preferWaitAcceptsSpacesAndQuotes()
{
    RunningServer server(rulesOnly());
    const HttpClient::Response created =
        server.client().postJson(u"/requests"_s, ticketBody(u"Invoice question"_s),
                                 {{"Prefer", "handling=lenient, wait = \"3\""}});
    QCOMPARE(created.status, 201);
    QCOMPARE(created.header("Preference-Applied"), "wait=3");
    QCOMPARE(created.json().value(u"classification"_s).toObject().value(u"status"_s).toString(),
             u"classified"_s);
}

void TestApiClassification::preferWaitTimesOutWithThePendingTicket()
{
    FakeLlmServer llm;
    llm.setDefaultBehaviour(FakeLlmServer::Behaviour::slow(3s));
    const ClassificationOptions options = remoteFirst(llm);
    RunningServer server(options);

    QElapsedTimer timer;
    timer.start();
    const HttpClient::Response created = server.client().postJson(
        u"/requests"_s, ticketBody(u"Please help"_s), {{"Prefer", "wait=1"}});
    const qint64 elapsed = timer.elapsed();
    QCOMPARE(created.status, 201);
    QVERIFY2(elapsed >= 900 && elapsed < 2'500, qPrintable(QString::number(elapsed)));
    QCOMPARE(created.json().value(u"classification"_s).toObject().value(u"status"_s).toString(),
             u"pending"_s);
    // The API kept serving meanwhile, and the remote answer lands later.
    QTRY_COMPARE_WITH_TIMEOUT(server.client()
                                  .get(QString::fromLatin1(created.header("Location")))
                                  .json()
                                  .value(u"classification"_s)
                                  .toObject()
                                  .value(u"provider"_s)
                                  .toString(),
                              u"remote"_s, 10'000);
}

void TestApiClassification::aWaitIsNotIdleTime()
{
    FakeLlmServer llm;
    llm.setDefaultBehaviour(FakeLlmServer::Behaviour::slow(2500ms));
    ApiService::Options api;
    api.timeouts.idle = 1s;
    RunningServer server(remoteFirst(llm), api);

    // The remote answer takes 2.5 s, more than twice the idle timeout: the connection waits for
    // it rather than being closed as idle.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, server.port());
    QVERIFY(socket.waitForConnected(5'000));
    QElapsedTimer timer;
    timer.start();
    socket.write(waitingPost(server, u"The app crashes on start"_s, 10));
    QByteArray answer;
    QTRY_VERIFY_WITH_TIMEOUT((answer += socket.readAll()).contains("\"provider\":"), 8'000);
    QVERIFY2(timer.elapsed() >= 2'000, qPrintable(QString::number(timer.elapsed())));
    QVERIFY2(answer.startsWith("HTTP/1.1 201"), answer.constData());
    QVERIFY2(answer.contains("\"provider\":\"remote\""), answer.constData());

    // Answered, the connection is idle, and the idle timeout applies again.
    QTRY_VERIFY_WITH_TIMEOUT(socket.state() == QAbstractSocket::UnconnectedState, 3'000);
}

void TestApiClassification::clientLeavingDuringAWaitHarmsNothing()
{
    FakeLlmServer llm;
    llm.setDefaultBehaviour(FakeLlmServer::Behaviour::slow(1500ms));
    const ClassificationOptions options = remoteFirst(llm);
    RunningServer server(options);

    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, server.port());
    QVERIFY(socket.waitForConnected(5'000));
    socket.write(waitingPost(server, u"Leaving early"_s, 2));
    QVERIFY(socket.waitForBytesWritten(5'000));
    QTest::qWait(200);
    socket.abort();

    // Both the classification and the wait's deadline come after the client left.
    QTest::qWait(2'500);
    QCOMPARE(server.client().get(u"/health"_s).status, 200);
    const QJsonObject page = server.client().get(u"/requests"_s).json();
    QCOMPARE(page.value(u"total"_s).toInteger(), 1);
}

void TestApiClassification::stoppingAnswersWaitingClients()
{
    FakeLlmServer llm;
    llm.setDefaultBehaviour(FakeLlmServer::Behaviour::slow(5s));
    const ClassificationOptions options = remoteFirst(llm);
    auto server = std::make_unique<RunningServer>(options);

    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, server->port());
    QVERIFY(socket.waitForConnected(5'000));
    socket.write(waitingPost(*server, u"Waiting while the console stops"_s, 30));
    QVERIFY(socket.waitForBytesWritten(5'000));
    QTRY_VERIFY(llm.requestCount() >= 1);

    server.reset(); // the console stops while the client waits
    QByteArray answer;
    QTRY_VERIFY_WITH_TIMEOUT((answer += socket.readAll()).contains("\r\n\r\n{"), 5'000);
    QVERIFY2(answer.startsWith("HTTP/1.1 201"), answer.constData());
    QVERIFY(answer.contains("\"status\":\"pending\""));
}

void TestApiClassification::healthReportsProvidersAndQueue()
{
    RunningServer server(rulesOnly());
    QTRY_VERIFY(server.classification()->status().running);
    const QJsonObject health = server.client().get(u"/health"_s).json();
    const QJsonObject classification = health.value(u"classification"_s).toObject();
    QCOMPARE(classification.value(u"status"_s).toString(), u"running"_s);
    QVERIFY(classification.contains(u"pending"_s));
    QVERIFY(classification.contains(u"failed"_s));
    const QJsonArray providers = classification.value(u"providers"_s).toArray();
    QCOMPARE(providers.size(), 3);
    QCOMPARE(providers.at(0).toObject().value(u"name"_s).toString(), u"remote"_s);
    QCOMPARE(providers.at(0).toObject().value(u"state"_s).toString(), u"disabled"_s);
    QCOMPARE(providers.at(2).toObject().value(u"name"_s).toString(), u"rules"_s);
    QCOMPARE(providers.at(2).toObject().value(u"state"_s).toString(), u"ready"_s);
    QCOMPARE(providers.at(2).toObject().value(u"model"_s).toString(), u"rules-v1"_s);
}

void TestApiClassification::healthDetailShowsTheLearnedModelToACredential()
{
    ClassificationOptions options = rulesOnly();
    options.order = {ClassificationProvider::Learned, ClassificationProvider::Rules};
    RunningServer server(options);
    QTRY_VERIFY(server.classification()->status().running);
    HttpClient anonymous(server.baseUrl());
    QCOMPARE(anonymous.get(u"/health/detail"_s).status, 401);
    HttpClient::Response detail = server.client().get(u"/health/detail"_s);
    QCOMPARE(detail.status, 200);
    QVERIFY(detail.json().value(u"learned_model"_s).isNull());

    const auto trained =
        LocalModelTrainer().trainAndKeep(TrainingFixture::teamExamples(), server.database());
    QVERIFY(std::holds_alternative<LocalModelTrainer::Report>(trained));
    const LocalModelTrainer::Report &report = std::get<LocalModelTrainer::Report>(trained);
    QVERIFY2(report.replaced, qPrintable(report.decision));
    QTRY_VERIFY_WITH_TIMEOUT(server.classification()->status().learnedModel, 10'000);

    detail = server.client().get(u"/health/detail"_s);
    QCOMPARE(detail.status, 200);
    const QJsonObject learned = detail.json().value(u"learned_model"_s).toObject();
    QCOMPARE(learned.value(u"model"_s).toString(), report.candidate.modelName());
    QCOMPARE(learned.value(u"kind"_s).toString(), u"linear"_s);
    QCOMPARE(learned.value(u"accuracy"_s).toDouble(), report.candidate.accuracy);
    QCOMPARE(learned.value(u"rules_accuracy"_s).toDouble(), report.candidate.rulesAccuracy);
    QCOMPARE(learned.value(u"pinned"_s).toBool(), false);

    // The open /health names the provider's model, never how well it does.
    const QJsonObject health = anonymous.get(u"/health"_s).json();
    QVERIFY(!health.contains(u"learned_model"_s));
    const QJsonObject provider = health.value(u"classification"_s)
                                     .toObject()
                                     .value(u"providers"_s)
                                     .toArray()
                                     .at(1)
                                     .toObject();
    QCOMPARE(provider.value(u"name"_s).toString(), u"learned"_s);
    QCOMPARE(provider.value(u"state"_s).toString(), u"ready"_s);
    QCOMPARE(provider.value(u"model"_s).toString(), report.candidate.modelName());
    QVERIFY(!QJsonDocument(health).toJson().contains("accuracy"));
}

void TestApiClassification::needsReviewFilter()
{
    // A threshold of 1 flags every machine result.
    RunningServer server(rulesOnly(1.0));
    const HttpClient::Response created = server.client().postJson(
        u"/requests"_s, ticketBody(u"Refund my invoice"_s), {{"Prefer", "wait=10"}});
    QCOMPARE(created.json().value(u"needs_review"_s), QJsonValue(true));

    const QJsonObject flagged = server.client().get(u"/requests?needs_review=true"_s).json();
    QCOMPARE(flagged.value(u"total"_s).toInteger(), 1);
    QCOMPARE(flagged.value(u"items"_s).toArray().size(), 1);
    const QJsonObject clear = server.client().get(u"/requests?needs_review=false"_s).json();
    QCOMPARE(clear.value(u"total"_s).toInteger(), 0);
}

void TestApiClassification::needsReviewFilterRejectsOtherValues()
{
    RunningServer server(rulesOnly());
    const HttpClient::Response response = server.client().get(u"/requests?needs_review=yes"_s);
    QCOMPARE(response.status, 400);
    QVERIFY(response.body.contains("needs_review"));
}

QTEST_GUILESS_MAIN(TestApiClassification)
#include "tst_apiclassification.moc"
