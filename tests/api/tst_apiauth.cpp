// The checks before every API handler, against the real server on an ephemeral port: the Host
// it is addressed by, the bearer token and its scopes, and the idempotency keys each token owns.
#include "integrationtokens.h"
#include "runningserver.h"
#include "testtoken.h"
#include "ticketrepository.h"
#include "timestamps.h"
#include "tokenrepository.h"
#include "tokensecret.h"

#include <QElapsedTimer>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// An answer read off a raw socket, for requests whose Host header QNetworkAccessManager would
// set itself.
struct RawResponse
{
    int status = 0;
    QByteArray head;
    QByteArray body;

    QByteArray header(const QByteArray &name) const
    {
        for (const QByteArray &line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
    QString errorCode() const
    {
        return QJsonDocument::fromJson(body)
            .object()
            .value(u"error"_s)
            .toObject()
            .value(u"code"_s)
            .toString();
    }
};

RawResponse rawRequest(quint16 port, const QByteArray &method, const QByteArray &path,
                       const QByteArray &host, const QByteArray &token = {})
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    if (!socket.waitForConnected(5000))
        return {};
    QByteArray request = method + ' ' + path + " HTTP/1.1\r\n";
    if (!host.isNull())
        request += "Host: " + host + "\r\n";
    if (!token.isEmpty())
        request += "Authorization: Bearer " + token + "\r\n";
    request += "\r\n";
    socket.write(request);

    // Read one whole answer by its Content-Length; the connection stays open after it.
    RawResponse response;
    QByteArray answer;
    qsizetype headEnd = -1;
    qsizetype bodyLength = -1;
    while (bodyLength < 0 || answer.size() < headEnd + 4 + bodyLength) {
        if (!socket.waitForReadyRead(5000))
            return response;
        answer += socket.readAll();
        if (headEnd < 0 && (headEnd = answer.indexOf("\r\n\r\n")) >= 0) {
            response.head = answer.left(headEnd);
            bodyLength = response.header("Content-Length").toLongLong();
        }
    }
    if (answer.startsWith("HTTP/1.1 "))
        response.status = answer.mid(9, 3).toInt();
    response.body = answer.mid(headEnd + 4, bodyLength);
    return response;
}

const QByteArray kTicket = R"({"subject": "Charged twice", "body": "My card was charged twice."})";

} // namespace

class TestApiAuth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void missingTokenIsUnauthorized_data();
    void missingTokenIsUnauthorized();
    void badCredentialsAreUnauthorized_data();
    void badCredentialsAreUnauthorized();
    void goodCredentialsInOtherSpellings_data();
    void goodCredentialsInOtherSpellings();
    void expiredTokenIsUnauthorized();
    void revokedTokenIsUnauthorized();
    void missingScopeIsForbidden_data();
    void missingScopeIsForbidden();
    void openEndpointsNeedNoToken_data();
    void openEndpointsNeedNoToken();
    void optionsNeedsNoToken_data();
    void optionsNeedsNoToken();
    void foreignHostIsMisdirected_data();
    void foreignHostIsMisdirected();
    void configuredHostIsAnswered();
    void revokeOnOneNodeIsRefusedByAnotherWithinASecond();
    void idempotencyKeysBelongToTheirToken();
    void expiredIdempotencyKeyMakesANewTicket();
    void useOfATokenIsRecorded();

private:
    HttpClient::Response send(const QByteArray &method, const QString &path,
                              const QByteArray &authorization);
    HttpClient::Response post(const QByteArray &token, const QByteArray &idempotencyKey = {});
    qint64 ticketCount();
    static void verifyUnauthorized(const HttpClient::Response &response, const QString &scope,
                                   const QByteArray &error);

    std::unique_ptr<RunningServer> m_server;
};

void TestApiAuth::init()
{
    m_server = std::make_unique<RunningServer>();
    QVERIFY(m_server->isListening());
}

void TestApiAuth::cleanup()
{
    m_server.reset();
}

HttpClient::Response TestApiAuth::send(const QByteArray &method, const QString &path,
                                       const QByteArray &authorization)
{
    HttpClient client(m_server->baseUrl());
    QList<std::pair<QByteArray, QByteArray>> headers;
    if (!authorization.isNull())
        headers.append({"Authorization"_ba, authorization});
    if (method == "POST")
        headers.append({"Content-Type"_ba, "application/json"_ba});
    return client.send(method, path, method == "POST" ? kTicket : QByteArray(), headers);
}

HttpClient::Response TestApiAuth::post(const QByteArray &token, const QByteArray &idempotencyKey)
{
    HttpClient client(m_server->baseUrl());
    client.setBearerToken(token);
    QList<std::pair<QByteArray, QByteArray>> headers;
    if (!idempotencyKey.isEmpty())
        headers.append({"Idempotency-Key"_ba, idempotencyKey});
    return client.postJson(u"/requests"_s, kTicket, headers);
}

qint64 TestApiAuth::ticketCount()
{
    return TicketRepository(m_server->database()).count();
}

void TestApiAuth::verifyUnauthorized(const HttpClient::Response &response, const QString &scope,
                                     const QByteArray &error)
{
    QCOMPARE(response.status, 401);
    QCOMPARE(response.errorCode(), u"unauthorized"_s);
    const QJsonObject envelope = response.json().value(u"error"_s).toObject();
    QVERIFY(!envelope.value(u"message"_s).toString().isEmpty());
    QCOMPARE(envelope.value(u"details"_s).toObject().value(u"required_scope"_s).toString(), scope);
    const QByteArray challenge = response.header("WWW-Authenticate");
    QVERIFY2(challenge.startsWith("Bearer realm=\"support-console\""), challenge.constData());
    if (error.isEmpty())
        QVERIFY2(!challenge.contains("error="), challenge.constData());
    else
        QVERIFY2(challenge.contains(QByteArray("error=\"" + error + '"')), challenge.constData());
}

void TestApiAuth::missingTokenIsUnauthorized_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("scope");

    QTest::newRow("POST /requests") << "POST"_ba << u"/requests"_s << u"tickets:write"_s;
    QTest::newRow("GET /requests") << "GET"_ba << u"/requests"_s << u"tickets:read"_s;
    QTest::newRow("GET /requests/1") << "GET"_ba << u"/requests/1"_s << u"tickets:read"_s;
    QTest::newRow("GET /requests/x") << "GET"_ba << u"/requests/x"_s << u"tickets:read"_s;
    QTest::newRow("GET /stats") << "GET"_ba << u"/stats?days=7"_s << u"stats:read"_s;
}

void TestApiAuth::missingTokenIsUnauthorized()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QString, scope);
    // A ticket to find, so that a 404 could not stand in for the refusal.
    QCOMPARE(post(m_server->token()).status, 201);
    const HttpClient::Response response = send(method, path, QByteArray());
    verifyUnauthorized(response, scope, {});
    QCOMPARE(ticketCount(), 1);
}

void TestApiAuth::badCredentialsAreUnauthorized_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<QByteArray>("error");

    QTest::newRow("malformed") << "Bearer not-a-token"_ba
                               << "invalid_token"_ba;
    QTest::newRow("unknown") << QByteArray("Bearer " + TokenSecret::generate().toLatin1())
                             << "invalid_token"_ba;
    // Trailing spaces are no part of a header's value: this is "Bearer" alone.
    QTest::newRow("empty bearer") << "Bearer "_ba
                                  << "invalid_request"_ba;
    QTest::newRow("scheme alone") << "Bearer"_ba
                                  << "invalid_request"_ba;
    QTest::newRow("basic") << "Basic dXNlcjpjb3JyZWN0IGhvcnNl"_ba
                           << "invalid_request"_ba;
    // {token} is a good secret: it does not help under a wrong scheme or with more after it.
    QTest::newRow("good secret, basic scheme") << "Basic {token}"_ba
                                               << "invalid_request"_ba;
    QTest::newRow("good secret, no scheme") << "{token}"_ba
                                            << "invalid_request"_ba;
    QTest::newRow("good secret, token scheme") << "Token {token}"_ba
                                               << "invalid_request"_ba;
    QTest::newRow("good secret, extra character") << "Bearer {token}x"_ba
                                                  << "invalid_token"_ba;
    QTest::newRow("two secrets") << "Bearer {token} {token}"_ba
                                 << "invalid_token"_ba;
}

void TestApiAuth::badCredentialsAreUnauthorized()
{
    QFETCH(QByteArray, authorization);
    QFETCH(QByteArray, error);
    authorization.replace("{token}", m_server->token());
    const HttpClient::Response response = send("GET", u"/requests"_s, authorization);
    verifyUnauthorized(response, u"tickets:read"_s, error);
    // And nothing is written through it.
    QCOMPARE(send("POST", u"/requests"_s, authorization).status, 401);
    QCOMPARE(ticketCount(), 0);
}

void TestApiAuth::goodCredentialsInOtherSpellings_data()
{
    QTest::addColumn<QByteArray>("authorization");

    QTest::newRow("as sent by the client") << "Bearer {token}"_ba;
    // RFC 9110: the scheme is case-insensitive.
    QTest::newRow("lower-case scheme") << "bearer {token}"_ba;
    QTest::newRow("upper-case scheme") << "BEARER {token}"_ba;
    QTest::newRow("extra spaces") << "Bearer   {token}  "_ba;
}

void TestApiAuth::goodCredentialsInOtherSpellings()
{
    QFETCH(QByteArray, authorization);
    authorization.replace("{token}", m_server->token());
    QCOMPARE(send("GET", u"/requests"_s, authorization).status, 200);
}

void TestApiAuth::expiredTokenIsUnauthorized()
{
    const QString secret = TokenSecret::generate();
    IntegrationToken token;
    token.name = u"expired"_s;
    token.scopes = Scope::TicketsRead | Scope::TicketsWrite;
    token.createdBy = u"system:tests"_s;
    token.createdAt = QDateTime::currentDateTimeUtc().addDays(-31);
    token.expiresAt = QDateTime::currentDateTimeUtc().addSecs(-60);
    QVERIFY(
        TokenRepository(m_server->database()).add(token, TokenSecret::digest(secret.toLatin1())));

    const HttpClient::Response response =
        send("GET", u"/requests"_s, "Bearer " + secret.toLatin1());
    verifyUnauthorized(response, u"tickets:read"_s, "invalid_token");
    QVERIFY2(response.header("WWW-Authenticate").contains("expired"),
             response.header("WWW-Authenticate").constData());
    QVERIFY(response.json()
                .value(u"error"_s)
                .toObject()
                .value(u"message"_s)
                .toString()
                .contains(u"expired"_s));
    QCOMPARE(send("POST", u"/requests"_s, "Bearer " + secret.toLatin1()).status, 401);
    QCOMPARE(ticketCount(), 0);
}

void TestApiAuth::revokedTokenIsUnauthorized()
{
    const QByteArray secret = makeTestToken(m_server->database(), Scope::TicketsRead, u"crm"_s);
    QCOMPARE(send("GET", u"/requests"_s, "Bearer " + secret).status, 200);
    IntegrationTokens tokens(m_server->database(), &m_server->service().tokenVerifier());
    QVERIFY(tokens.revoke(u"crm"_s, Actor::user(u"admin"_s)));

    const HttpClient::Response response = send("GET", u"/requests"_s, "Bearer " + secret);
    verifyUnauthorized(response, u"tickets:read"_s, "invalid_token");
    QVERIFY2(response.header("WWW-Authenticate").contains("revoked"),
             response.header("WWW-Authenticate").constData());
    // The server's own token is untouched.
    QCOMPARE(m_server->client().get(u"/requests"_s).status, 200);
}

void TestApiAuth::missingScopeIsForbidden_data()
{
    QTest::addColumn<int>("scopes");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("required");

    const int read = int(Scope::TicketsRead);
    const int stats = int(Scope::StatsRead);
    QTest::newRow("read-only token posts")
        << read << "POST"_ba << u"/requests"_s << u"tickets:write"_s;
    QTest::newRow("read-only token reads stats")
        << read << "GET"_ba << u"/stats"_s << u"stats:read"_s;
    QTest::newRow("stats token lists tickets")
        << stats << "GET"_ba << u"/requests"_s << u"tickets:read"_s;
    QTest::newRow("stats token reads a ticket")
        << stats << "GET"_ba << u"/requests/1"_s << u"tickets:read"_s;
    QTest::newRow("write-only token reads a ticket")
        << int(Scope::TicketsWrite) << "GET"_ba << u"/requests/1"_s << u"tickets:read"_s;
    QTest::newRow("read and stats token posts")
        << (read | stats) << "POST"_ba << u"/requests"_s << u"tickets:write"_s;
}

void TestApiAuth::missingScopeIsForbidden()
{
    QFETCH(int, scopes);
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QString, required);
    QCOMPARE(post(m_server->token()).status, 201);
    const QByteArray secret =
        makeTestToken(m_server->database(), Scopes::fromInt(scopes), u"limited"_s);

    const HttpClient::Response response = send(method, path, "Bearer " + secret);
    QCOMPARE(response.status, 403);
    QCOMPARE(response.errorCode(), u"forbidden"_s);
    const QJsonObject error = response.json().value(u"error"_s).toObject();
    QCOMPARE(error.value(u"details"_s).toObject().value(u"required_scope"_s).toString(), required);
    QVERIFY(error.value(u"message"_s).toString().contains(u"limited"_s));
    const QByteArray challenge = response.header("WWW-Authenticate");
    const QByteArray expected =
        "Bearer realm=\"support-console\", error=\"insufficient_scope\", scope=\"" +
        required.toLatin1() + '"';
    QCOMPARE(challenge, expected);
    QCOMPARE(ticketCount(), 1);

    // What the token does hold it may use.
    if (Scopes::fromInt(scopes).testFlag(Scope::TicketsRead))
        QCOMPARE(send("GET", u"/requests/1"_s, "Bearer " + secret).status, 200);
    if (Scopes::fromInt(scopes).testFlag(Scope::StatsRead))
        QCOMPARE(send("GET", u"/stats"_s, "Bearer " + secret).status, 200);
}

void TestApiAuth::openEndpointsNeedNoToken_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("authorization");

    QTest::newRow("/health") << u"/health"_s << QByteArray();
    QTest::newRow("/openapi.json") << u"/openapi.json"_s << QByteArray();
    // A bad token is not looked at where none is needed.
    QTest::newRow("/health, bad token") << u"/health"_s << "Bearer nonsense"_ba;
    QTest::newRow("/openapi.json, basic") << u"/openapi.json"_s << "Basic eDp5"_ba;
}

void TestApiAuth::openEndpointsNeedNoToken()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, authorization);
    const HttpClient::Response response = send("GET", path, authorization);
    QCOMPARE(response.status, 200);
    QVERIFY(!response.json().isEmpty());
    QVERIFY(response.header("WWW-Authenticate").isEmpty());
}

void TestApiAuth::optionsNeedsNoToken_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("allowed");

    QTest::newRow("/requests") << u"/requests"_s
                               << QStringList{u"GET"_s, u"HEAD"_s, u"POST"_s, u"OPTIONS"_s};
    QTest::newRow("/requests/1") << u"/requests/1"_s
                                 << QStringList{u"GET"_s, u"HEAD"_s, u"OPTIONS"_s, u"PATCH"_s};
    QTest::newRow("/stats") << u"/stats"_s << QStringList{u"GET"_s, u"HEAD"_s, u"OPTIONS"_s};
}

void TestApiAuth::optionsNeedsNoToken()
{
    QFETCH(QString, path);
    QFETCH(QStringList, allowed);
    const HttpClient::Response response = send("OPTIONS", path, QByteArray());
    QCOMPARE(response.status, 204);
    QStringList methods;
    for (const QByteArray &method : response.header("Allow").split(','))
        methods.append(QString::fromLatin1(method.trimmed()));
    methods.sort();
    allowed.sort();
    QCOMPARE(methods, allowed);
    // Another method without a token is still refused.
    QCOMPARE(send("DELETE", path, QByteArray()).status, 405);
}

void TestApiAuth::foreignHostIsMisdirected_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<bool>("withToken");
    QTest::addColumn<int>("status");

    // Controls: the same requests with the right Host are answered.
    QTest::newRow("right host, /health") << "GET"_ba
                                         << "/health"_ba
                                         << "{local}"_ba << false << 200;
    QTest::newRow("right host, /requests") << "GET"_ba
                                           << "/requests"_ba
                                           << "{local}"_ba << true << 200;
    QTest::newRow("right host, unknown path") << "GET"_ba
                                              << "/nothing-here"_ba
                                              << "{local}"_ba << false << 404;

    QTest::newRow("/health") << "GET"_ba
                             << "/health"_ba
                             << "evil.example"_ba << false << 421;
    QTest::newRow("/openapi.json") << "GET"_ba
                                   << "/openapi.json"_ba
                                   << "evil.example"_ba << false << 421;
    QTest::newRow("/requests with a good token") << "GET"_ba
                                                 << "/requests"_ba
                                                 << "evil.example"_ba << true << 421;
    QTest::newRow("/requests without a token") << "GET"_ba
                                               << "/requests"_ba
                                               << "evil.example"_ba << false << 421;
    QTest::newRow("POST with a good token") << "POST"_ba
                                            << "/requests"_ba
                                            << "evil.example"_ba << true << 421;
    QTest::newRow("OPTIONS") << "OPTIONS"_ba
                             << "/requests"_ba
                             << "evil.example"_ba << false << 421;
    QTest::newRow("unknown path") << "GET"_ba
                                  << "/nothing-here"_ba
                                  << "evil.example"_ba << false << 421;
    QTest::newRow("wrong method") << "DELETE"_ba
                                  << "/stats"_ba
                                  << "evil.example"_ba << false << 421;
    QTest::newRow("rebound name with the port") << "GET"_ba
                                                << "/health"_ba
                                                << "evil.example:{port}"_ba << false << 421;
    QTest::newRow("loopback on another port") << "GET"_ba
                                              << "/health"_ba
                                              << "localhost:1"_ba << false << 421;
    QTest::newRow("empty Host") << "GET"_ba
                                << "/health"_ba
                                << ""_ba << false << 421;
}

void TestApiAuth::foreignHostIsMisdirected()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, host);
    QFETCH(bool, withToken);
    QFETCH(int, status);
    const QByteArray port = QByteArray::number(m_server->port());
    host.replace("{local}", QByteArray("localhost:" + port)).replace("{port}", port);
    const RawResponse response = rawRequest(m_server->port(), method, path, host,
                                            withToken ? m_server->token() : QByteArray());
    QCOMPARE(response.status, status);
    if (status == 421) {
        QCOMPARE(response.errorCode(), u"misdirected_request"_s);
        QVERIFY(response.header("WWW-Authenticate").isEmpty());
    }
    QCOMPARE(ticketCount(), 0);
}

void TestApiAuth::configuredHostIsAnswered()
{
    TemporaryDatabase temporary;
    TicketService tickets(temporary.database());
    ApiService service(tickets);
    ApiService::Options options;
    options.workers = 1;
    options.allowedHosts = {u"support.example.com"_s, u"proxy.example:8443"_s};
    const quint16 port = service.start(options);
    QVERIFY2(port != 0, qPrintable(service.errorString()));
    const QByteArray token = makeTestToken(temporary.database());

    QCOMPARE(rawRequest(port, "GET", "/health", "support.example.com").status, 200);
    QCOMPARE(rawRequest(port, "GET", "/health", "SUPPORT.example.com:443").status, 200);
    QCOMPARE(rawRequest(port, "GET", "/requests", "support.example.com", token).status, 200);
    QCOMPARE(rawRequest(port, "GET", "/requests", "proxy.example:8443", token).status, 200);
    QCOMPARE(rawRequest(port, "GET", "/requests", "proxy.example:8444", token).status, 421);
    QCOMPARE(rawRequest(port, "GET", "/health", "evil.example").status, 421);
    QCOMPARE(rawRequest(port, "GET", "/health", "localhost:" + QByteArray::number(port)).status,
             200);
}

void TestApiAuth::revokeOnOneNodeIsRefusedByAnotherWithinASecond()
{
    // Node B: its own Database object (own connections), ticket service and API on the same
    // database as the running server, node A.
    Database nodeBDatabase(m_server->database().config());
    auto nodeBTickets = std::make_unique<TicketService>(nodeBDatabase);
    auto nodeB = std::make_unique<ApiService>(*nodeBTickets);
    const quint16 nodeBPort = nodeB->start(QHostAddress(QHostAddress::LocalHost), 0, 1);
    QVERIFY(nodeBPort != 0);
    HttpClient clientB(QUrl(u"http://127.0.0.1:%1/"_s.arg(nodeBPort)));
    HttpClient clientA(m_server->baseUrl());

    const QByteArray secret = makeTestToken(m_server->database(), Scope::TicketsRead, u"crm"_s);
    clientA.setBearerToken(secret);
    clientB.setBearerToken(secret);
    QCOMPARE(clientA.get(u"/requests"_s).status, 200);
    QCOMPARE(clientB.get(u"/requests"_s).status, 200);

    IntegrationTokens adminOnA(m_server->database(), &m_server->service().tokenVerifier());
    QVERIFY(adminOnA.revoke(u"crm"_s, Actor::user(u"admin"_s)));
    QElapsedTimer sinceRevoke;
    sinceRevoke.start();
    QCOMPARE(clientA.get(u"/requests"_s).status, 401);
    QTRY_COMPARE_WITH_TIMEOUT(clientB.get(u"/requests"_s).status, 401, 1000);
    QVERIFY2(sinceRevoke.elapsed() <= 1000, qPrintable(QString::number(sinceRevoke.elapsed())));
    QCOMPARE(clientB.get(u"/requests"_s).errorCode(), u"unauthorized"_s);

    nodeB->stop();
    nodeB.reset();
    nodeBTickets.reset();
    nodeBDatabase.closeThreadConnection();
}

void TestApiAuth::idempotencyKeysBelongToTheirToken()
{
    const QByteArray first = m_server->token();
    const QByteArray second =
        makeTestToken(m_server->database(), Scope::TicketsRead | Scope::TicketsWrite, u"other"_s);

    const HttpClient::Response created = post(first, "order-1");
    QCOMPARE(created.status, 201);
    QVERIFY(created.header("Idempotent-Replayed").isEmpty());
    const qint64 firstId = created.json().value(u"id"_s).toInteger();

    // The same key from another token is another client's request: a ticket of its own.
    const HttpClient::Response other = post(second, "order-1");
    QCOMPARE(other.status, 201);
    QVERIFY(other.header("Idempotent-Replayed").isEmpty());
    const qint64 otherId = other.json().value(u"id"_s).toInteger();
    QVERIFY(otherId != firstId);

    // From the same token it replays that token's ticket.
    const HttpClient::Response replayed = post(first, "order-1");
    QCOMPARE(replayed.status, 201);
    QCOMPARE(replayed.header("Idempotent-Replayed"), "true"_ba);
    QCOMPARE(replayed.json().value(u"id"_s).toInteger(), firstId);
    const HttpClient::Response otherReplayed = post(second, "order-1");
    QCOMPARE(otherReplayed.header("Idempotent-Replayed"), "true"_ba);
    QCOMPARE(otherReplayed.json().value(u"id"_s).toInteger(), otherId);

    QCOMPARE(ticketCount(), 2);
}

void TestApiAuth::expiredIdempotencyKeyMakesANewTicket()
{
    const QByteArray token = m_server->token();
    const HttpClient::Response created = post(token, "nightly-42");
    QCOMPARE(created.status, 201);
    const qint64 firstId = created.json().value(u"id"_s).toInteger();

    const auto age = [this](qint64 ms) {
        QSqlQuery query(m_server->database().connection());
        query.prepare(u"UPDATE idempotency_keys SET created_at = created_at - ?"_s);
        query.addBindValue(ms);
        QVERIFY2(query.exec(), qPrintable(query.lastError().text()));
        QCOMPARE(query.numRowsAffected(), 1);
    };
    // Just under a day old, the key still answers with its ticket.
    age(TicketRepository::kIdempotencyKeyLifetimeMs - 60'000);
    const HttpClient::Response replayed = post(token, "nightly-42");
    QCOMPARE(replayed.header("Idempotent-Replayed"), "true"_ba);
    QCOMPARE(replayed.json().value(u"id"_s).toInteger(), firstId);
    QCOMPARE(ticketCount(), 1);

    // Past a day, it is free again: a new ticket, which the key then stands for.
    age(120'000);
    const HttpClient::Response renewed = post(token, "nightly-42");
    QCOMPARE(renewed.status, 201);
    QVERIFY(renewed.header("Idempotent-Replayed").isEmpty());
    const qint64 secondId = renewed.json().value(u"id"_s).toInteger();
    QVERIFY(secondId != firstId);
    QCOMPARE(ticketCount(), 2);

    const HttpClient::Response again = post(token, "nightly-42");
    QCOMPARE(again.header("Idempotent-Replayed"), "true"_ba);
    QCOMPARE(again.json().value(u"id"_s).toInteger(), secondId);
    QCOMPARE(ticketCount(), 2);
}

void TestApiAuth::useOfATokenIsRecorded()
{
    const QByteArray secret = makeTestToken(m_server->database(), Scope::StatsRead, u"dashboard"_s);
    TokenRepository tokens(m_server->database());
    QVERIFY(!tokens.findByDigest(TokenSecret::digest(secret))->lastUsedAt.isValid());

    const QDateTime before = QDateTime::currentDateTimeUtc();
    QCOMPARE(send("GET", u"/stats"_s, "Bearer " + secret).status, 200);
    const QDateTime after = QDateTime::currentDateTimeUtc();
    const QDateTime used = tokens.findByDigest(TokenSecret::digest(secret))->lastUsedAt;
    QVERIFY(used.isValid());
    QVERIFY(Timestamps::toMs(used) >= Timestamps::toMs(before));
    QVERIFY(Timestamps::toMs(used) <= Timestamps::toMs(after));
    // Where no token is needed, none is looked at, and none is recorded as used.
    const QByteArray unused = makeTestToken(m_server->database(), Scope::StatsRead, u"unused"_s);
    QCOMPARE(send("GET", u"/health"_s, "Bearer " + unused).status, 200);
    QVERIFY(!tokens.findByDigest(TokenSecret::digest(unused))->lastUsedAt.isValid());
}

QTEST_GUILESS_MAIN(TestApiAuth)
#include "tst_apiauth.moc"
