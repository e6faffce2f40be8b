#include "apiservice.h"
#include "temporarydatabase.h"
#include "testcertificate.h"
#include "testtoken.h"
#include "ticketservice.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpServer>
#include <QTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

// ApiService's edge: HTTPS with a certificate loaded at start, never plain HTTP instead, and no
// plain HTTP beyond loopback unless asked for.
class TestApiServiceTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void httpsWithAVerifiedCertificate();
    void everyWorkerCompletesHandshakes();
    void plainHttpToTheTlsPortGetsNoHttpAnswer();
    void silentClientIsClosedAfterTheHandshakeTimeout();
    void manySilentClientsDoNotLockOthersOut();
    void unusableTlsFilesStopTheStart_data();
    void unusableTlsFilesStopTheStart();
    void refusedStartStopsTheRunningApi();
    void nonLoopbackAddressNeedsTlsOrPermission_data();
    void nonLoopbackAddressNeedsTlsOrPermission();

private:
    ApiService::Options tlsOptions(int workers = 1) const;
    static quint16 freePort();

    std::unique_ptr<TestCertificate> m_certificate;
    std::unique_ptr<TemporaryDatabase> m_database;
    std::unique_ptr<TicketService> m_tickets;
    std::unique_ptr<ApiService> m_service;
};

void TestApiServiceTls::initTestCase()
{
    m_certificate = std::make_unique<TestCertificate>();
    QVERIFY2(m_certificate->isValid(), qPrintable(m_certificate->errorString()));
}

void TestApiServiceTls::init()
{
    m_database = std::make_unique<TemporaryDatabase>();
    m_tickets = std::make_unique<TicketService>(m_database->database());
    m_service = std::make_unique<ApiService>(*m_tickets);
}

void TestApiServiceTls::cleanup()
{
    m_service.reset();
    m_tickets.reset();
    m_database.reset();
}

ApiService::Options TestApiServiceTls::tlsOptions(int workers) const
{
    ApiService::Options options;
    options.workers = workers;
    options.tls.certificatePath = m_certificate->certificatePath();
    options.tls.keyPath = m_certificate->keyPath();
    return options;
}

// A port nothing listens on a moment ago, to see afterwards that nothing listens there.
quint16 TestApiServiceTls::freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress(QHostAddress::LocalHost), 0) ? probe.serverPort() : 0;
}

namespace {

// Reads the /health answer: the server keeps the connection open after it.
QByteArray readHealth(QAbstractSocket &socket)
{
    QByteArray answer;
    while (!answer.contains("\"status\"") && socket.waitForReadyRead(10'000))
        answer += socket.readAll();
    return answer;
}

// Reads whatever the server sends until it closes the connection.
QByteArray readUntilClosed(QAbstractSocket &socket, int timeoutMs = 10'000)
{
    QByteArray answer;
    QElapsedTimer timer;
    timer.start();
    while (socket.state() != QAbstractSocket::UnconnectedState && timer.elapsed() < timeoutMs) {
        socket.waitForReadyRead(100);
        answer += socket.readAll();
    }
    return answer + socket.readAll();
}

} // namespace

// A real client stack that trusts only the test certificate and checks the server's name.
void TestApiServiceTls::httpsWithAVerifiedCertificate()
{
    const quint16 port = m_service->start(tlsOptions());
    QVERIFY2(port != 0, qPrintable(m_service->errorString()));

    QNetworkAccessManager manager;
    // The certificate names 127.0.0.1 as well as localhost, which may resolve to ::1 first.
    QNetworkRequest request(QUrl(u"https://127.0.0.1:%1/health"_s.arg(port)));
    request.setSslConfiguration(m_certificate->clientConfiguration());
    QNetworkReply *reply = manager.get(request);
    QSignalSpy sslErrors(reply, &QNetworkReply::sslErrors);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(10'000));
    QVERIFY2(reply->error() == QNetworkReply::NoError, qPrintable(reply->errorString()));
    QCOMPARE(sslErrors.count(), 0);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY(reply->readAll().contains("\"status\":\"ok\""));
    QCOMPARE(reply->sslConfiguration().peerCertificate(), m_certificate->certificate());
    reply->deleteLater();

    // A body arrives through the encryption too, on the same connection.
    QNetworkRequest post(QUrl(u"https://127.0.0.1:%1/requests"_s.arg(port)));
    post.setSslConfiguration(m_certificate->clientConfiguration());
    post.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    post.setRawHeader("Authorization", "Bearer " + makeTestToken(m_database->database()));
    QNetworkReply *created = manager.post(post, QByteArrayLiteral(R"({"text": "over TLS"})"));
    QSignalSpy createdFinished(created, &QNetworkReply::finished);
    QVERIFY(createdFinished.wait(10'000));
    QCOMPARE(created->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
    QVERIFY(created->readAll().contains("over TLS"));
    created->deleteLater();
}

// Connections are dealt to every worker in turn, and each worker completes its handshakes.
void TestApiServiceTls::everyWorkerCompletesHandshakes()
{
    constexpr int kWorkers = 4;
    const quint16 port = m_service->start(tlsOptions(kWorkers));
    QVERIFY2(port != 0, qPrintable(m_service->errorString()));

    std::vector<std::unique_ptr<QSslSocket>> clients;
    for (int i = 0; i < 3 * kWorkers; ++i) {
        auto socket = std::make_unique<QSslSocket>();
        socket->setSslConfiguration(m_certificate->clientConfiguration());
        socket->connectToHostEncrypted(u"127.0.0.1"_s, port);
        // Written before the handshake ends, it may arrive with the client's last handshake
        // message, before QHttpServer has the socket: it must be answered all the same.
        socket->write("GET /health HTTP/1.1\r\nHost: localhost:" + QByteArray::number(port) +
                      "\r\n\r\n");
        clients.push_back(std::move(socket));
    }
    for (const auto &socket : clients) {
        QVERIFY2(socket->waitForEncrypted(10'000), qPrintable(socket->errorString()));
        // Without an event loop, what this socket sends waits in its buffer until asked.
        QVERIFY(socket->waitForBytesWritten(10'000));
    }
    for (const auto &socket : clients) {
        const QByteArray answer = readHealth(*socket);
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    }
    QCOMPARE(m_service->requestsServed(), 3 * kWorkers);
}

// An http:// client on the https port is closed without an answer: nothing is served in plain
// text there, not even an error.
void TestApiServiceTls::plainHttpToTheTlsPortGetsNoHttpAnswer()
{
    const quint16 port = m_service->start(tlsOptions(2));
    QVERIFY2(port != 0, qPrintable(m_service->errorString()));

    for (int i = 0; i < 2; ++i) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
        QVERIFY(socket.waitForConnected(5000));
        socket.write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        QElapsedTimer timer;
        timer.start();
        const QByteArray answer = readUntilClosed(socket);
        QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
        // Closed at once, not by the handshake timeout.
        QVERIFY2(timer.elapsed() < ApiTlsConfiguration::kDefaultHandshakeTimeout.count() / 2,
                 qPrintable(QString::number(timer.elapsed())));
        QVERIFY2(!answer.contains("HTTP/1."), answer.constData());
        QVERIFY(!answer.contains("status"));
    }
    QCOMPARE(m_service->requestsServed(), 0);
}

// A client that connects and never starts a handshake holds its connection only until the
// handshake timeout.
void TestApiServiceTls::silentClientIsClosedAfterTheHandshakeTimeout()
{
    ApiService::Options options = tlsOptions(2);
    options.tls.handshakeTimeout = std::chrono::milliseconds(300);
    const quint16 port = m_service->start(options);
    QVERIFY2(port != 0, qPrintable(m_service->errorString()));

    // Two, so that both workers' timers are seen at work.
    QTcpSocket first;
    QTcpSocket second;
    QSignalSpy firstClosed(&first, &QTcpSocket::disconnected);
    QSignalSpy secondClosed(&second, &QTcpSocket::disconnected);
    QElapsedTimer timer;
    timer.start();
    first.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    second.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    QVERIFY(first.waitForConnected(5000));
    QVERIFY(second.waitForConnected(5000));
    QTRY_VERIFY_WITH_TIMEOUT(firstClosed.count() == 1 && secondClosed.count() == 1, 5000);
    QVERIFY2(timer.elapsed() >= 250, qPrintable(QString::number(timer.elapsed())));
}

// More silent clients than a server keeps pending (QTcpServer's maxPendingConnections, 30):
// the worker stops accepting while they wait, and must start again once they time out.
void TestApiServiceTls::manySilentClientsDoNotLockOthersOut()
{
    ApiService::Options options = tlsOptions(1);
    options.tls.handshakeTimeout = std::chrono::milliseconds(300);
    const quint16 port = m_service->start(options);
    QVERIFY2(port != 0, qPrintable(m_service->errorString()));

    std::vector<std::unique_ptr<QTcpSocket>> silent;
    for (int i = 0; i < 40; ++i) {
        silent.push_back(std::make_unique<QTcpSocket>());
        silent.back()->connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    }
    for (const auto &socket : silent)
        QTRY_COMPARE_WITH_TIMEOUT(socket->state(), QAbstractSocket::UnconnectedState, 10'000);

    QSslSocket client;
    client.setSslConfiguration(m_certificate->clientConfiguration());
    client.connectToHostEncrypted(u"127.0.0.1"_s, port);
    QVERIFY2(client.waitForEncrypted(5000), qPrintable(client.errorString()));
    client.write("GET /health HTTP/1.1\r\nHost: localhost:" + QByteArray::number(port) +
                 "\r\n\r\n");
    QVERIFY(client.waitForBytesWritten(5000));
    QVERIFY(readHealth(client).startsWith("HTTP/1.1 200"));
}

void TestApiServiceTls::unusableTlsFilesStopTheStart_data()
{
    QTest::addColumn<QString>("certificate");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected");

    TestCertificate &files = *m_certificate;
    const QString certificate = files.certificatePath();
    const QString unrelated = files.makeUnrelatedKey();
    QVERIFY(!unrelated.isEmpty());
    QTest::newRow("bad key") << certificate
                             << files.writeFile(u"bad-key.pem"_s,
                                                "-----BEGIN PRIVATE KEY-----\nAAAA\n"
                                                "-----END PRIVATE KEY-----\n")
                             << u"holds no PEM private key"_s;
    QTest::newRow("key of another certificate")
        << certificate << unrelated << u"does not belong to the certificate"_s;
    QTest::newRow("missing certificate")
        << certificate + u".missing"_s << files.keyPath() << u"Could not read"_s;
    QTest::newRow("certificate without key") << certificate << QString() << u"private key"_s;
    QTest::newRow("key without certificate")
        << QString() << files.keyPath() << u"needs its certificate"_s;
}

// Whatever is wrong with the files, the start fails with the reason and nothing listens, on
// a loopback address as much as on any other.
void TestApiServiceTls::unusableTlsFilesStopTheStart()
{
    QFETCH(QString, certificate);
    QFETCH(QString, key);
    QFETCH(QString, expected);

    for (const QHostAddress &address :
         {QHostAddress(QHostAddress::LocalHost), QHostAddress(QHostAddress::AnyIPv4)}) {
        ApiService::Options options;
        options.address = address;
        options.port = freePort();
        QVERIFY(options.port != 0);
        options.tls.certificatePath = certificate;
        options.tls.keyPath = key;
        options.allowInsecureHttp = true;
        QCOMPARE(m_service->start(options), quint16(0));
        QVERIFY2(m_service->errorString().contains(expected), qPrintable(m_service->errorString()));

        QTcpSocket probe;
        probe.connectToHost(QHostAddress(QHostAddress::LocalHost), options.port);
        QVERIFY(!probe.waitForConnected(2000));
    }
}

// A running API whose new configuration is refused stops rather than going on under the
// permission the user just withdrew.
void TestApiServiceTls::refusedStartStopsTheRunningApi()
{
    ApiService::Options options;
    options.address = QHostAddress(QHostAddress::AnyIPv4);
    options.allowInsecureHttp = true;
    const quint16 port = m_service->start(options);
    QVERIFY2(port != 0, qPrintable(m_service->errorString()));

    options.port = port;
    options.allowInsecureHttp = false;
    QCOMPARE(m_service->start(options), quint16(0));
    QVERIFY2(m_service->errorString().contains(u"Refusing plain HTTP"_s),
             qPrintable(m_service->errorString()));
    QTcpSocket probe;
    probe.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    QVERIFY(!probe.waitForConnected(2000));
}

void TestApiServiceTls::nonLoopbackAddressNeedsTlsOrPermission_data()
{
    QTest::addColumn<QHostAddress>("address");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<bool>("allowInsecureHttp");
    QTest::addColumn<bool>("starts");

    const QHostAddress anyIpv4(QHostAddress::AnyIPv4);
    const QHostAddress anyIpv6(QHostAddress::AnyIPv6);
    const QHostAddress any(QHostAddress::Any);
    QTest::newRow("0.0.0.0, plain") << anyIpv4 << false << false << false;
    QTest::newRow(":: plain") << anyIpv6 << false << false << false;
    QTest::newRow("any, plain") << any << false << false << false;
    QTest::newRow("0.0.0.0, plain allowed") << anyIpv4 << false << true << true;
    QTest::newRow("0.0.0.0, TLS") << anyIpv4 << true << false << true;
    QTest::newRow("127.0.0.1, plain")
        << QHostAddress(QHostAddress::LocalHost) << false << false << true;
    QTest::newRow("::1, plain") << QHostAddress(QHostAddress::LocalHostIPv6) << false << false
                                << true;
}

void TestApiServiceTls::nonLoopbackAddressNeedsTlsOrPermission()
{
    QFETCH(QHostAddress, address);
    QFETCH(bool, tls);
    QFETCH(bool, allowInsecureHttp);
    QFETCH(bool, starts);

    ApiService::Options options = tls ? tlsOptions() : ApiService::Options();
    options.address = address;
    options.allowInsecureHttp = allowInsecureHttp;
    const quint16 port = m_service->start(options);
    if (!starts) {
        QCOMPARE(port, quint16(0));
        QVERIFY2(m_service->errorString().contains(u"Refusing plain HTTP"_s) &&
                     m_service->errorString().contains(u"--insecure-http"_s),
                 qPrintable(m_service->errorString()));
        return;
    }
    if (port == 0 && m_service->errorString().contains(u"Cannot assign"_s))
        QSKIP("No IPv6 on this machine.");
    QVERIFY2(port != 0, qPrintable(m_service->errorString()));
}

QTEST_GUILESS_MAIN(TestApiServiceTls)
#include "tst_apiservicetls.moc"
