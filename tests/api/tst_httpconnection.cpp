#include "httpconnection.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

// One connection's life over a real loopback socket: answers in request order, HEAD, closing,
// framing problems, timeouts and the 100-continue handshake.
class TestHttpConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void answersInRequestOrder();
    void headAnswersWithoutABodyAndKeepsTheConnection();
    void connectionCloseIsHonoured_data();
    void connectionCloseIsHonoured();
    void framingProblemIsAnsweredAndCloses_data();
    void framingProblemIsAnsweredAndCloses();
    void slowHeadTimesOut();
    void idleConnectionIsClosedButAWaitingRequestIsNot();
    void bodyRefusedByItsLengthIsNeverAskedFor();
    void expectContinueIsAnswered();
    void closingToAClientThatStopsReadingEnds();
    void streamedAnswerEndsWithTheConnection();
    void headOfAStreamEndsAtOnce();
    void streamToAClientThatStopsReadingIsDropped();

private:
    // "/stream" writes three lines 100 ms apart and ends; "/flood" writes until refused.
    void startStream(HttpResponder &&responder, bool flood);
    int m_streamsClosed = 0;
    bool m_floodRefused = false;

    // Sends the bytes and reads until the server closes the connection or the time is up.
    QByteArray exchange(const QByteArray &bytes, std::chrono::milliseconds timeout = 3s,
                        bool *closed = nullptr);

    std::unique_ptr<QTcpServer> m_server;
    HttpConnection::Timeouts m_timeouts{300ms, 300ms, 300ms};
    HttpRequestParser::Limits m_limits;
};

void TestHttpConnection::init()
{
    m_server = std::make_unique<QTcpServer>();
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    connect(m_server.get(), &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server->nextPendingConnection()) {
            // Echoes what it read; "/slow" answers after 600 ms, longer than the idle timeout.
            auto handler = [this](HttpRequest &&request, HttpResponder &&responder) {
                if (request.target == "/stream" || request.target == "/flood") {
                    startStream(std::move(responder), request.target == "/flood");
                    return;
                }
                HttpResponse response{200,
                                      {{"Content-Type", "text/plain"}, {"Content-Length", "999"}},
                                      request.method + ' ' + request.target + ' ' + request.body};
                // "/large" is more than any socket buffers hold.
                if (request.target == "/large")
                    response.body = QByteArray(64 * 1024 * 1024, 'x');
                if (request.target != "/slow") {
                    responder.respond(std::move(response));
                    return;
                }
                auto waiting = std::make_shared<HttpResponder>(std::move(responder));
                QTimer::singleShot(600ms, [waiting, response] { waiting->respond(response); });
            };
            new HttpConnection(
                socket, m_limits, m_timeouts, handler,
                [](int status, const QString &message) {
                    return HttpResponse{status, {{"Content-Type", "text/plain"}}, message.toUtf8()};
                },
                this);
        }
    });
}

void TestHttpConnection::cleanup()
{
    m_server.reset();
    m_streamsClosed = 0;
    m_floodRefused = false;
}

void TestHttpConnection::startStream(HttpResponder &&responder, bool flood)
{
    // The handler's length and body have no place in a streamed answer.
    auto stream = std::make_shared<HttpStream>(responder.startStream(
        {200, {{"Content-Type", "text/event-stream"}, {"Content-Length", "7"}}, "ignored"}));
    stream->onClosed(this, [this] { ++m_streamsClosed; });
    auto *timer = new QTimer(this);
    timer->setInterval(flood ? 1ms : 100ms);
    connect(timer, &QTimer::timeout, this, [this, timer, stream, flood, next = 0]() mutable {
        if (flood) {
            if (!stream->write(QByteArray(64 * 1024, 'f'))) {
                m_floodRefused = true;
                timer->deleteLater();
            }
            return;
        }
        const QByteArrayList lines{"one\n", "two\n", "three\n"};
        if (next < lines.size()) {
            stream->write(lines.at(next++));
            return;
        }
        stream->end();
        timer->deleteLater();
    });
    timer->start();
}

QByteArray TestHttpConnection::exchange(const QByteArray &bytes, std::chrono::milliseconds timeout,
                                        bool *closed)
{
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    if (!client.waitForConnected(2000))
        return {};
    client.write(bytes);
    QByteArray received;
    QElapsedTimer timer;
    timer.start();
    while (client.state() == QAbstractSocket::ConnectedState && timer.elapsed() < timeout.count()) {
        QTest::qWait(10);
        received += client.readAll();
    }
    received += client.readAll();
    if (closed)
        *closed = client.state() != QAbstractSocket::ConnectedState;
    return received;
}

void TestHttpConnection::answersInRequestOrder()
{
    bool closed = false;
    const QByteArray answers =
        exchange("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n"
                 "GET /fast HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
                 3s, &closed);
    QVERIFY(closed);
    const qsizetype slow = answers.indexOf("GET /slow");
    const qsizetype fast = answers.indexOf("GET /fast");
    QVERIFY2(slow > 0 && fast > slow, answers.constData());
    // The handler's own Content-Length is replaced by the true one.
    QVERIFY(!answers.contains("999"));
    QVERIFY(answers.contains("Content-Length: 10\r\n"));
}

void TestHttpConnection::headAnswersWithoutABodyAndKeepsTheConnection()
{
    bool closed = false;
    const QByteArray answers =
        exchange("HEAD /thing HTTP/1.1\r\nHost: h\r\n\r\n"
                 "GET /thing HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
                 3s, &closed);
    QVERIFY(closed);
    // The HEAD answer says how long the body would be, and the GET's answer follows at once.
    const qsizetype headEnd = answers.indexOf("\r\n\r\n");
    QVERIFY(headEnd > 0);
    QVERIFY(answers.left(headEnd).contains("Content-Length: 12"));
    QVERIFY2(answers.mid(headEnd + 4).startsWith("HTTP/1.1 200 OK\r\n"), answers.constData());
    QVERIFY(answers.endsWith("GET /thing "));
    QCOMPARE(answers.count("HTTP/1.1 200"), 2);
}

void TestHttpConnection::connectionCloseIsHonoured_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<bool>("closes");
    QTest::newRow("1.1") << "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"_ba << false;
    QTest::newRow("1.1 close") << "GET /a HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"_ba
                               << true;
    QTest::newRow("1.0") << "GET /a HTTP/1.0\r\n\r\n"_ba << true;
    QTest::newRow("1.0 keep-alive")
        << "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"_ba << false;
}

void TestHttpConnection::connectionCloseIsHonoured()
{
    QFETCH(QByteArray, request);
    QFETCH(bool, closes);
    bool closed = false;
    // Shorter than the idle timeout: only an honoured close ends the connection this soon.
    const QByteArray answer = exchange(request, 200ms, &closed);
    QVERIFY(answer.startsWith("HTTP/1.1 200 OK"));
    QCOMPARE(closed, closes);
    QCOMPARE(answer.contains("Connection: close"), closes);
}

void TestHttpConnection::framingProblemIsAnsweredAndCloses_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("status");
    QTest::newRow("two lengths") << "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n"
                                    "Content-Length: 2\r\n\r\nab"_ba
                                 << "400"_ba;
    QTest::newRow("length and chunked")
        << "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n"
           "\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n"_ba
        << "400"_ba;
    QTest::newRow("unknown method") << "FOO /a HTTP/1.1\r\nHost: h\r\n\r\n"_ba
                                    << "501"_ba;
    QTest::newRow("TLS ClientHello") << QByteArray::fromHex("1603010200010001fc0303") << "501"_ba;
    QTest::newRow("HTTP/9.9") << "GET /a HTTP/9.9\r\nHost: h\r\n\r\n"_ba
                              << "505"_ba;
    QTest::newRow("long URL") << "GET /"_ba + QByteArray(9000, 'a') + " HTTP/1.1\r\n"_ba
                              << "414"_ba;
    QTest::newRow("large head") << "GET /a HTTP/1.1\r\nHost: h\r\nX-A: "_ba +
                                       QByteArray(40 * 1024, 'a') + "\r\n\r\n"_ba
                                << "431"_ba;
}

void TestHttpConnection::framingProblemIsAnsweredAndCloses()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, status);
    bool closed = false;
    const QByteArray answer = exchange(request, 2s, &closed);
    QVERIFY2(answer.startsWith(QByteArray("HTTP/1.1 " + status)), answer.constData());
    QVERIFY(closed);
    // Nothing behind the refused request is answered: it could be a smuggled one.
    QCOMPARE(answer.count("\nHTTP/1.1 "), 0);
    QVERIFY(!answer.contains("smuggled"));
}

void TestHttpConnection::slowHeadTimesOut()
{
    QElapsedTimer timer;
    timer.start();
    bool closed = false;
    // A slowloris client: the head never ends.
    const QByteArray answer = exchange("GET /a HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n", 3s, &closed);
    QVERIFY(closed);
    QVERIFY2(answer.startsWith("HTTP/1.1 408"), answer.constData());
    QVERIFY(timer.elapsed() >= 250);
    QVERIFY(timer.elapsed() < 2500);
}

void TestHttpConnection::idleConnectionIsClosedButAWaitingRequestIsNot()
{
    bool closed = false;
    QCOMPARE(exchange(QByteArray(), 2s, &closed), QByteArray());
    QVERIFY(closed);
    // "/slow" takes twice the idle timeout to answer; its connection is busy, not idle.
    const QByteArray answer = exchange("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n", 2s, &closed);
    QVERIFY2(answer.startsWith("HTTP/1.1 200 OK"), answer.constData());
    QVERIFY(answer.endsWith("GET /slow "));
    QVERIFY(closed); // idle again afterwards
}

void TestHttpConnection::bodyRefusedByItsLengthIsNeverAskedFor()
{
    bool closed = false;
    const QByteArray answer = exchange("POST /a HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                                       "Content-Length: 104857600\r\n\r\n",
                                       2s, &closed);
    QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.constData());
    QVERIFY(!answer.contains("100 Continue"));
    QVERIFY(closed);
}

void TestHttpConnection::expectContinueIsAnswered()
{
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(client.waitForConnected(2000));
    client.write(
        "POST /a HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    QByteArray interim;
    QTRY_COMPARE((interim += client.readAll()), "HTTP/1.1 100 Continue\r\n\r\n"_ba);
    client.write("{}");
    QByteArray answer;
    QTRY_VERIFY((answer += client.readAll()).endsWith("POST /a {}"));
    QVERIFY(answer.startsWith("HTTP/1.1 200 OK"));
}

void TestHttpConnection::closingToAClientThatStopsReadingEnds()
{
    QTcpSocket client;
    // Reads no more than this, then lets TCP make the server wait.
    client.setReadBufferSize(1024);
    client.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(client.waitForConnected(2000));
    client.write("GET /large HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    QTRY_COMPARE(findChildren<HttpConnection *>().size(), 1);
    // The answer cannot be sent; after the body's timeout (300 ms) the server drops it, at once
    // rather than after another answer and a lingering close (2 s).
    QTest::qWait(100);
    QCOMPARE(findChildren<HttpConnection *>().size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(findChildren<HttpConnection *>().isEmpty(), 1500);
}

void TestHttpConnection::streamedAnswerEndsWithTheConnection()
{
    bool closed = false;
    const QByteArray answer = exchange("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n", 3s, &closed);
    QVERIFY(closed);
    const qsizetype bodyStart = answer.indexOf("\r\n\r\n") + 4;
    QVERIFY2(bodyStart > 4, answer.constData());
    const QByteArray head = answer.left(bodyStart);
    QVERIFY(head.startsWith("HTTP/1.1 200 OK\r\n"));
    QVERIFY(head.contains("Content-Type: text/event-stream\r\n"));
    QVERIFY(head.contains("Connection: close\r\n"));
    QVERIFY2(!head.contains("Content-Length"), head.constData());
    QCOMPARE(answer.mid(bodyStart), "one\ntwo\nthree\n");
    QTRY_COMPARE(m_streamsClosed, 1);
}

void TestHttpConnection::headOfAStreamEndsAtOnce()
{
    bool closed = false;
    const QByteArray answer = exchange("HEAD /stream HTTP/1.1\r\nHost: h\r\n\r\n", 1s, &closed);
    QVERIFY(closed);
    QVERIFY(answer.startsWith("HTTP/1.1 200 OK\r\n"));
    QVERIFY(answer.endsWith("\r\n\r\n"));
    QTRY_COMPARE(m_streamsClosed, 1);
}

void TestHttpConnection::streamToAClientThatStopsReadingIsDropped()
{
    QTcpSocket client;
    client.setReadBufferSize(1024);
    client.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(client.waitForConnected(2000));
    client.write("GET /flood HTTP/1.1\r\nHost: h\r\n\r\n");
    // The client reads nothing more: the kernel's buffers fill, then the server's own cap.
    QTRY_VERIFY_WITH_TIMEOUT(m_floodRefused, 20000);
    QTRY_COMPARE(m_streamsClosed, 1);
}

QTEST_MAIN(TestHttpConnection)
#include "tst_httpconnection.moc"
