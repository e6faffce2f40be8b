#include "apitlsconfiguration.h"
#include "balancedtcpserver.h"
#include "testcertificate.h"

#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <atomic>
#include <fcntl.h>
#include <memory>

using namespace Qt::StringLiterals;

class TestBalancedTcpServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void burstOfConnectionsIsDealtInTurn();
    void connectionPostedToAStoppedWorkerIsClosed();
    void tlsConnectionsAreHandedOnEncrypted();
};

namespace {

// A worker as ApiService runs one: a thread of its own, accepting from a duplicate of the
// listening socket, counting the connections it ends up with.
struct Worker
{
    QThread thread;
    BalancedTcpServer *server = nullptr;
    std::atomic<int> connections = 0;
    // Connections handed on before their TLS handshake finished.
    std::atomic<int> unencrypted = 0;

    Worker(const std::shared_ptr<BalancedTcpServer::Ring> &ring, qintptr listening)
    {
        server = new BalancedTcpServer(ring);
        server->moveToThread(&thread);
        QObject::connect(server, &QTcpServer::pendingConnectionAvailable, server, [this] {
            while (QTcpSocket *socket = server->nextPendingConnection()) {
                ++connections;
                const auto *tls = qobject_cast<QSslSocket *>(socket);
                if (tls && !tls->isEncrypted())
                    ++unencrypted;
                socket->setParent(server);
            }
        });
        QObject::connect(&thread, &QThread::finished, server, &QObject::deleteLater);
        thread.start();
        const int descriptor = ::fcntl(int(listening), F_DUPFD_CLOEXEC, 0);
        QMetaObject::invokeMethod(
            server, [this, descriptor] { server->setSocketDescriptor(descriptor); },
            Qt::BlockingQueuedConnection);
    }
    ~Worker()
    {
        thread.quit();
        thread.wait();
    }
};

} // namespace

// A client opening many connections at once: the first worker awake would accept them all;
// dealt in turn, each worker gets its share.
void TestBalancedTcpServer::burstOfConnectionsIsDealtInTurn()
{
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost));
    const auto ring = std::make_shared<BalancedTcpServer::Ring>();
    Worker first(ring, listener.socketDescriptor());
    Worker second(ring, listener.socketDescriptor());
    // The original only holds the port, as in ApiService::start().
    listener.pauseAccepting();

    constexpr int kConnections = 20;
    std::vector<std::unique_ptr<QTcpSocket>> clients;
    for (int i = 0; i < kConnections; ++i) {
        clients.push_back(std::make_unique<QTcpSocket>());
        clients.back()->connectToHost(QHostAddress::LocalHost, listener.serverPort());
    }
    for (const auto &client : clients)
        QVERIFY(client->waitForConnected(5000));
    QTRY_COMPARE(first.connections + second.connections, kConnections);
    QCOMPARE(first.connections.load(), kConnections / 2);
    QCOMPARE(second.connections.load(), kConnections / 2);

    // Each works: a byte sent on every connection arrives.
    for (const auto &client : clients)
        client->write("x");
    for (const auto &client : clients)
        QVERIFY(client->waitForBytesWritten(5000));
}

// A worker stopping while a connection is on its way to it: the client sees the connection
// closed rather than left open forever with nobody reading it.
void TestBalancedTcpServer::connectionPostedToAStoppedWorkerIsClosed()
{
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost));
    const auto ring = std::make_shared<BalancedTcpServer::Ring>();
    auto accepting = std::make_unique<Worker>(ring, listener.socketDescriptor());
    listener.pauseAccepting();
    // A ring member whose thread never runs: whatever is dealt to it waits in its queue until
    // it is deleted.
    QThread neverStarted;
    auto *stopped = new BalancedTcpServer(ring);
    stopped->moveToThread(&neverStarted);

    QTcpSocket first;
    QTcpSocket second;
    first.connectToHost(QHostAddress::LocalHost, listener.serverPort());
    second.connectToHost(QHostAddress::LocalHost, listener.serverPort());
    QVERIFY(first.waitForConnected(5000));
    QVERIFY(second.waitForConnected(5000));
    QTRY_COMPARE(accepting->connections.load(), 1);

    // Deleting it drops the posted connection, which must close it.
    QSignalSpy firstClosed(&first, &QTcpSocket::disconnected);
    QSignalSpy secondClosed(&second, &QTcpSocket::disconnected);
    delete stopped;
    QTRY_VERIFY(firstClosed.count() + secondClosed.count() == 1);
}

// With TLS, each worker runs the handshake of the connections dealt to it, on its own thread,
// and hands on a connection (as QHttpServer takes them, on pendingConnectionAvailable) only
// once it is encrypted; the clients verify the server's certificate.
void TestBalancedTcpServer::tlsConnectionsAreHandedOnEncrypted()
{
    const TestCertificate certificate;
    QVERIFY2(certificate.isValid(), qPrintable(certificate.errorString()));
    const auto tls =
        ApiTlsConfiguration{certificate.certificatePath(), certificate.keyPath()}.load();
    QVERIFY(std::holds_alternative<QSslConfiguration>(tls));
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost));
    const auto ring = std::make_shared<BalancedTcpServer::Ring>(std::get<QSslConfiguration>(tls),
                                                                std::chrono::seconds(10));
    Worker first(ring, listener.socketDescriptor());
    Worker second(ring, listener.socketDescriptor());
    listener.pauseAccepting();

    constexpr int kConnections = 10;
    std::vector<std::unique_ptr<QSslSocket>> clients;
    for (int i = 0; i < kConnections; ++i) {
        clients.push_back(std::make_unique<QSslSocket>());
        clients.back()->setSslConfiguration(certificate.clientConfiguration());
        clients.back()->connectToHostEncrypted(u"127.0.0.1"_s, listener.serverPort());
    }
    for (const auto &client : clients)
        QTRY_VERIFY2(client->isEncrypted(), qPrintable(client->errorString()));
    QTRY_COMPARE(first.connections + second.connections, kConnections);
    QCOMPARE(first.connections.load(), kConnections / 2);
    QCOMPARE(second.connections.load(), kConnections / 2);
    QCOMPARE(first.unencrypted + second.unencrypted, 0);
}

QTEST_GUILESS_MAIN(TestBalancedTcpServer)
#include "tst_balancedtcpserver.moc"
