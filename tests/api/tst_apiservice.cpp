#include "apiservice.h"
#include "temporarydatabase.h"
#include "testtoken.h"
#include "ticketservice.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

class TestApiService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answersWhileTheMainThreadIsBlocked();
    void everyWorkerServesTheSamePort();
    void busyPortIsAClearError();
    void stopReleasesThePort();
};

// The main thread sits in blocking socket calls and never returns to its event loop: only a
// server on another thread can answer.
void TestApiService::answersWhileTheMainThreadIsBlocked()
{
    TemporaryDatabase temporary;
    TicketService tickets(temporary.database());
    ApiService service(tickets);
    const quint16 port = service.start(QHostAddress(QHostAddress::LocalHost), 0);
    QVERIFY(port != 0);

    QTcpSocket socket;
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /health HTTP/1.1\r\nHost: localhost:" + QByteArray::number(port) +
                 "\r\nConnection: close\r\n\r\n");
    QVERIFY(socket.waitForBytesWritten(5000));
    QByteArray answer;
    while (!answer.contains("\"status\":\"ok\"") && socket.waitForReadyRead(5000))
        answer += socket.readAll();
    QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    QVERIFY(answer.contains("\"status\":\"ok\""));
}

// Several workers accept from one socket: many clients at once all get complete answers, and a
// ticket written through one worker's connection is read back through the others.
void TestApiService::everyWorkerServesTheSamePort()
{
    TemporaryDatabase temporary;
    TicketService tickets(temporary.database());
    ApiService service(tickets);
    const quint16 port = service.start(QHostAddress(QHostAddress::LocalHost), 0, 4);
    QVERIFY(port != 0);
    const QByteArray head = "Host: localhost:" + QByteArray::number(port) +
                            "\r\nAuthorization: Bearer " + makeTestToken(temporary.database()) +
                            "\r\n";

    QTcpSocket writer;
    writer.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    QVERIFY(writer.waitForConnected(5000));
    const QByteArray body = R"({"text": "hello"})";
    writer.write("POST /requests HTTP/1.1\r\n" + head +
                 "Content-Type: application/json\r\nContent-Length: " +
                 QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QByteArray created;
    while (!created.contains("\"id\":1") && writer.waitForReadyRead(5000))
        created += writer.readAll();
    QVERIFY2(created.startsWith("HTTP/1.1 201"), created.constData());

    std::vector<std::unique_ptr<QTcpSocket>> clients;
    for (int i = 0; i < 16; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress(QHostAddress::LocalHost), port);
        QVERIFY(socket->waitForConnected(5000));
        socket->write("GET /requests/1 HTTP/1.1\r\n" + head + "\r\n");
        clients.push_back(std::move(socket));
    }
    for (const auto &socket : clients) {
        QByteArray answer;
        while (!answer.contains("\"hello\"") && socket->waitForReadyRead(5000))
            answer += socket->readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    }
}

void TestApiService::busyPortIsAClearError()
{
    QTcpServer occupier;
    QVERIFY(occupier.listen(QHostAddress(QHostAddress::LocalHost), 0));
    TemporaryDatabase temporary;
    TicketService tickets(temporary.database());
    ApiService service(tickets);
    QCOMPARE(service.start(QHostAddress(QHostAddress::LocalHost), occupier.serverPort()),
             quint16(0));
    QVERIFY2(service.errorString().contains(QString::number(occupier.serverPort())),
             qPrintable(service.errorString()));
}

void TestApiService::stopReleasesThePort()
{
    TemporaryDatabase temporary;
    TicketService tickets(temporary.database());
    ApiService service(tickets);
    const quint16 port = service.start(QHostAddress(QHostAddress::LocalHost), 0);
    QVERIFY(port != 0);
    service.stop();
    QTcpServer reuse;
    QVERIFY(reuse.listen(QHostAddress(QHostAddress::LocalHost), port));
}

QTEST_GUILESS_MAIN(TestApiService)
#include "tst_apiservice.moc"
