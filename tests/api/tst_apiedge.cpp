#include "apiservice.h"
#include "httpclient.h"
#include "temporarydatabase.h"
#include "testtoken.h"
#include "ticketservice.h"

#include <QElapsedTimer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

// The edge's abuse controls on the real server: rate limits per token and per client, bad
// credentials slowed and then banned without blocking anyone else, clients found behind a
// trusted proxy only. (The request log's discretion is checked on the real program, whose log
// is on: tst_supportconsole.)
class TestApiEdge : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void tokenRateLimitAnswers429WithTheDraftHeaders();
    void addressRateLimitCountsEachClientApart();
    void forwardedForIsBelievedOnlyFromTrustedProxies();
    void badCredentialsAreSlowedThenBannedWhileOthersAreServed();
    void noCorsHeadersUnlessOriginsAreConfigured();
    void configuredOriginsGetCorsAndPreflightsNeedNoToken();
    void corsOriginsMustBeOrigins_data();
    void corsOriginsMustBeOrigins();

private:
    // Served with the given options on an ephemeral loopback port; the client talks to it.
    void start(ApiService::Options options);
    // As if a trusted proxy on 127.0.0.1 forwarded the request of this client.
    static QList<std::pair<QByteArray, QByteArray>> from(const QByteArray &client);

    std::unique_ptr<TemporaryDatabase> m_database;
    std::unique_ptr<TicketService> m_tickets;
    std::unique_ptr<ApiService> m_service;
    std::unique_ptr<HttpClient> m_client;
    QByteArray m_token;
};

void TestApiEdge::init()
{
    m_database = std::make_unique<TemporaryDatabase>();
    m_tickets = std::make_unique<TicketService>(m_database->database());
    m_service = std::make_unique<ApiService>(*m_tickets);
    m_token = makeTestToken(m_database->database());
}

void TestApiEdge::cleanup()
{
    m_client.reset();
    m_service.reset();
    m_tickets.reset();
    m_database.reset();
}

void TestApiEdge::start(ApiService::Options options)
{
    options.port = 0;
    const quint16 port = m_service->start(options);
    QVERIFY2(port != 0, qPrintable(m_service->errorString()));
    m_client = std::make_unique<HttpClient>(QUrl(u"http://127.0.0.1:%1/"_s.arg(port)));
    m_client->setBearerToken(m_token);
}

QList<std::pair<QByteArray, QByteArray>> TestApiEdge::from(const QByteArray &client)
{
    return {{QByteArrayLiteral("X-Forwarded-For"), client}};
}

static ApiService::Options behindProxy()
{
    ApiService::Options options;
    options.trustedProxies = ClientAddressResolver::parseSubnets(u"127.0.0.1"_s).subnets;
    return options;
}

void TestApiEdge::tokenRateLimitAnswers429WithTheDraftHeaders()
{
    ApiService::Options options = behindProxy();
    options.limits.perToken = {"token", 4, 60};
    start(options);
    // A new ticket's answer, which follows its commit, carries the headers too.
    const HttpClient::Response created =
        m_client->send("POST", u"/requests"_s, R"({"text": "hello"})",
                       {{"X-Forwarded-For", "203.0.113.7"}, {"Content-Type", "application/json"}});
    QCOMPARE(created.status, 201);
    QCOMPARE(created.header("RateLimit-Policy"), QByteArray(R"("token";q=4;w=60)"));
    QVERIFY(created.header("RateLimit").startsWith(R"("token";r=3)"));
    for (int i = 0; i < 3; ++i) {
        const HttpClient::Response ok =
            m_client->send("GET", u"/requests"_s, {}, from("203.0.113.7"));
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.header("RateLimit-Policy"), QByteArray(R"("token";q=4;w=60)"));
        QVERIFY2(ok.header("RateLimit")
                     .startsWith(QByteArray(R"("token";r=)" + QByteArray::number(2 - i))),
                 ok.header("RateLimit").constData());
    }
    const HttpClient::Response refused =
        m_client->send("GET", u"/requests"_s, {}, from("203.0.113.7"));
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.errorCode(), u"too_many_requests"_s);
    const int retryAfter = refused.header("Retry-After").toInt();
    QVERIFY2(retryAfter >= 1 && retryAfter <= 20, refused.header("Retry-After").constData());
    QCOMPARE(refused.header("RateLimit-Policy"), QByteArray(R"("token";q=4;w=60)"));
    QVERIFY(refused.header("RateLimit").contains("r=0"));

    // Another token has its own bucket, even from the same client.
    m_client->setBearerToken(makeTestToken(m_database->database(), Scope::TicketsRead, u"b"_s));
    QCOMPARE(m_client->send("GET", u"/requests"_s, {}, from("203.0.113.7")).status, 200);
    // The machine's own clients are not limited unless asked: the benchmark, local scripts.
    m_client->setBearerToken(m_token);
    QCOMPARE(m_client->get(u"/requests"_s).status, 200);
}

void TestApiEdge::addressRateLimitCountsEachClientApart()
{
    ApiService::Options options = behindProxy();
    options.limits.perAddress = {"address", 2, 60};
    start(options);
    QCOMPARE(m_client->send("GET", u"/health"_s, {}, from("198.51.100.1")).status, 200);
    QCOMPARE(m_client->send("GET", u"/health"_s, {}, from("198.51.100.1")).status, 200);
    const HttpClient::Response refused =
        m_client->send("GET", u"/requests"_s, {}, from("198.51.100.1"));
    QCOMPARE(refused.status, 429);
    QVERIFY(!refused.header("Retry-After").isEmpty());
    QCOMPARE(m_client->send("GET", u"/health"_s, {}, from("198.51.100.2")).status, 200);
    // An IPv6 client is counted by its /64: a new address in it is no new client.
    QCOMPARE(m_client->send("GET", u"/health"_s, {}, from("2001:db8:1:2::1")).status, 200);
    QCOMPARE(m_client->send("GET", u"/health"_s, {}, from("2001:db8:1:2::2")).status, 200);
    QCOMPARE(m_client->send("GET", u"/health"_s, {}, from("2001:db8:1:2::3")).status, 429);
}

void TestApiEdge::forwardedForIsBelievedOnlyFromTrustedProxies()
{
    // No trusted proxy: the header is anyone's claim, and the client is the loopback peer,
    // which is not limited.
    ApiService::Options options;
    options.limits.perToken = {"token", 1, 60};
    start(options);
    for (int i = 0; i < 3; ++i) {
        const HttpClient::Response response =
            m_client->send("GET", u"/requests"_s, {}, from("203.0.113.50"));
        QCOMPARE(response.status, 200);
        QVERIFY(response.header("RateLimit").isEmpty());
    }
    // The same limit with the peer trusted: the forwarded client is limited.
    options = behindProxy();
    options.limits.perToken = {"token", 1, 60};
    start(options);
    QCOMPARE(m_client->send("GET", u"/requests"_s, {}, from("203.0.113.50")).status, 200);
    QCOMPARE(m_client->send("GET", u"/requests"_s, {}, from("203.0.113.50")).status, 429);
}

void TestApiEdge::badCredentialsAreSlowedThenBannedWhileOthersAreServed()
{
    CredentialFailureTracker::Policy policy;
    policy.failuresBeforeDelay = 2;
    policy.firstDelay = 800ms;
    policy.maxDelay = 800ms;
    policy.failuresBeforeBan = 4;
    policy.banDuration = 10min;
    m_service->setCredentialFailurePolicy(policy);
    start(behindProxy());
    const QByteArray wrong = "sct_" + QByteArray(43, 'A');
    const auto attempt = [&](const QByteArray &client, const QByteArray &token) {
        return m_client->send("GET", u"/requests"_s, {},
                              {{"X-Forwarded-For", client}, {"Authorization", "Bearer " + token}});
    };

    QElapsedTimer timer;
    for (int i = 0; i < 2; ++i) {
        timer.start();
        QCOMPARE(attempt("192.0.2.66", wrong).status, 401);
        QVERIFY2(timer.elapsed() < 700, "the first failures are answered at once");
    }

    // The third failure waits on a timer; a second client on another connection is answered
    // meanwhile, so the wait blocks no worker.
    HttpClient other(m_client->baseUrl());
    other.setBearerToken(m_token);
    qint64 otherAnsweredAt = -1;
    timer.start();
    QTimer::singleShot(100ms, this, [&] {
        QCOMPARE(other.send("GET", u"/requests"_s, {}, from("192.0.2.1")).status, 200);
        otherAnsweredAt = timer.elapsed();
    });
    const HttpClient::Response slowed = attempt("192.0.2.66", wrong);
    const qint64 slowedAt = timer.elapsed();
    QCOMPARE(slowed.status, 401);
    QVERIFY2(slowedAt >= 750, qPrintable(QString::number(slowedAt)));
    QVERIFY2(otherAnsweredAt >= 0 && otherAnsweredAt < 700,
             qPrintable(QString::number(otherAnsweredAt)));

    // The fourth bans the address: 429 with Retry-After, even for a good token now.
    const HttpClient::Response banned = attempt("192.0.2.66", wrong);
    QCOMPARE(banned.status, 429);
    QVERIFY(banned.header("Retry-After").toInt() > 60);
    const HttpClient::Response stillBanned = attempt("192.0.2.66", m_token);
    QCOMPARE(stillBanned.status, 429);
    QCOMPARE(stillBanned.errorCode(), u"too_many_requests"_s);
    // Others are not.
    QCOMPARE(attempt("192.0.2.67", m_token).status, 200);
}

void TestApiEdge::noCorsHeadersUnlessOriginsAreConfigured()
{
    start({});
    const HttpClient::Response get =
        m_client->send("GET", u"/requests"_s, {}, {{"Origin", "https://crm.example.com"}});
    QCOMPARE(get.status, 200);
    const HttpClient::Response preflight = m_client->send(
        "OPTIONS", u"/requests"_s, {},
        {{"Origin", "https://crm.example.com"}, {"Access-Control-Request-Method", "POST"}});
    QCOMPARE(preflight.status, 204);
    for (const HttpClient::Response *response : {&get, &preflight}) {
        for (const auto &[name, value] : response->headers)
            QVERIFY2(!name.toLower().startsWith("access-control-"), name.constData());
    }
}

void TestApiEdge::configuredOriginsGetCorsAndPreflightsNeedNoToken()
{
    ApiService::Options options;
    options.corsOrigins = {u"https://crm.example.com"_s};
    start(options);
    const QByteArray origin = "https://crm.example.com";

    // The preflight carries no token; the browser asks what the real request may send.
    m_client->setBearerToken({});
    const HttpClient::Response preflight = m_client->send(
        "OPTIONS", u"/requests/1"_s, {},
        {{"Origin", origin},
         {"Access-Control-Request-Method", "PATCH"},
         {"Access-Control-Request-Headers", "authorization, if-match, content-type"}});
    QCOMPARE(preflight.status, 204);
    QCOMPARE(preflight.header("Access-Control-Allow-Origin"), origin);
    QVERIFY(preflight.header("Access-Control-Allow-Methods").contains("PATCH"));
    const QByteArray allowedHeaders = preflight.header("Access-Control-Allow-Headers");
    for (const char *header : {"Authorization", "If-Match", "Content-Type", "Idempotency-Key"})
        QVERIFY2(allowedHeaders.contains(header), allowedHeaders.constData());
    QCOMPARE(preflight.header("Vary"), QByteArray("Origin"));

    // The real request still needs its token; its refusal is readable by the page.
    const HttpClient::Response refused =
        m_client->send("GET", u"/requests"_s, {}, {{"Origin", origin}});
    QCOMPARE(refused.status, 401);
    QCOMPARE(refused.header("Access-Control-Allow-Origin"), origin);
    m_client->setBearerToken(m_token);
    const HttpClient::Response answered =
        m_client->send("GET", u"/requests"_s, {}, {{"Origin", origin}});
    QCOMPARE(answered.status, 200);
    QCOMPARE(answered.header("Access-Control-Allow-Origin"), origin);
    QVERIFY(answered.header("Access-Control-Expose-Headers").contains("ETag"));
    const HttpClient::Response created =
        m_client->send("POST", u"/requests"_s, R"({"text": "from a page"})",
                       {{"Origin", origin}, {"Content-Type", "application/json"}});
    QCOMPARE(created.status, 201);
    QCOMPARE(created.header("Access-Control-Allow-Origin"), origin);

    // Another site's page gets nothing a browser would let it read.
    const HttpClient::Response foreign =
        m_client->send("GET", u"/requests"_s, {}, {{"Origin", "https://evil.example"}});
    QVERIFY(foreign.header("Access-Control-Allow-Origin").isEmpty());
}

void TestApiEdge::corsOriginsMustBeOrigins_data()
{
    QTest::addColumn<QString>("origin");
    QTest::addColumn<bool>("valid");
    QTest::newRow("https") << u"https://crm.example.com"_s << true;
    QTest::newRow("port") << u"http://localhost:3000"_s << true;
    QTest::newRow("trailing slash") << u"https://crm.example.com/"_s << true;
    QTest::newRow("no scheme") << u"crm.example.com"_s << false;
    QTest::newRow("wildcard") << u"*"_s << false;
    QTest::newRow("path") << u"https://crm.example.com/app"_s << false;
    QTest::newRow("other scheme") << u"ftp://crm.example.com"_s << false;
}

void TestApiEdge::corsOriginsMustBeOrigins()
{
    QFETCH(QString, origin);
    QFETCH(bool, valid);
    QCOMPARE(CorsPolicy::problem({origin}).isEmpty(), valid);
}

QTEST_GUILESS_MAIN(TestApiEdge)
#include "tst_apiedge.moc"
