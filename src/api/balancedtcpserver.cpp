#include "balancedtcpserver.h"

#include "apilogging.h"

#include <QDateTime>
#include <QMutexLocker>
#include <QTimer>

#include <atomic>
#include <unistd.h>

BalancedTcpServer::Ring::Ring(QSslConfiguration tls, std::chrono::milliseconds handshakeTimeout)
    : m_tls(std::move(tls))
    , m_handshakeTimeout(handshakeTimeout)
{}

BalancedTcpServer::BalancedTcpServer(std::shared_ptr<Ring> ring, QObject *parent)
    : QSslServer(parent)
    , m_ring(std::move(ring))
{
    if (m_ring->m_tls) {
        setSslConfiguration(*m_ring->m_tls);
        setHandshakeTimeout(int(m_ring->m_handshakeTimeout.count()));
        // Failed handshakes never reach the HTTP server, so nothing else would mention them.
        connect(this, &QSslServer::errorOccurred, this,
                [](QSslSocket *socket, QAbstractSocket::SocketError error) {
                    qCDebug(lcApi).noquote()
                        << "TLS handshake failed:"
                        << (error == QAbstractSocket::SocketTimeoutError
                                ? QStringLiteral("the client did not finish it in time")
                                : socket->errorString());
                });
    }
    // Out of descriptors, QTcpServer stops accepting for good; this pauses instead, since
    // descriptors come back as connections close, and meanwhile nothing spins on the socket.
    connect(this, &QTcpServer::acceptError, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::SocketResourceError)
            return;
        // Once a shortage: while it lasts this comes four times a second per thread, and a
        // minute without it ends it.
        static std::atomic<qint64> lastWarningMs = 0;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (now - lastWarningMs.exchange(now) > 60'000) {
            qCWarning(lcApi) << "Out of file descriptors; accepting again every"
                             << kResumeAfterResourceError.count() << "ms until some are free";
        }
        pauseAccepting();
        QTimer::singleShot(kResumeAfterResourceError, this, &QTcpServer::resumeAccepting);
    });
    const QMutexLocker lock(&m_ring->m_mutex);
    m_ring->m_members.append(this);
}

BalancedTcpServer::~BalancedTcpServer()
{
    // Before QObject's destructor drops the connections already posted here; see
    // incomingConnection().
    const QMutexLocker lock(&m_ring->m_mutex);
    m_ring->m_members.removeOne(this);
}

void BalancedTcpServer::incomingConnection(qintptr descriptor)
{
    // Posted while the ring is locked, so the target cannot leave between being chosen and
    // being posted to. A connection posted to a worker that stops before taking it is closed
    // when Qt discards the call, with the last copy of this guard.
    const QMutexLocker lock(&m_ring->m_mutex);
    BalancedTcpServer *target = m_ring->m_members.at(m_ring->m_turn++ % m_ring->m_members.size());
    if (target == this) {
        accept(descriptor);
        return;
    }
    auto pending = std::shared_ptr<qintptr>(new qintptr(descriptor), [](qintptr *owned) {
        if (*owned >= 0)
            ::close(int(*owned));
        delete owned;
    });
    QMetaObject::invokeMethod(
        target, [target, pending] { target->adopt(std::exchange(*pending, -1)); },
        Qt::QueuedConnection);
}

void BalancedTcpServer::accept(qintptr descriptor)
{
    // The socket, its handshake and its timeout timer belong to the thread that serves the
    // connection; QSslServer creates them where incomingConnection() runs.
    if (m_ring->m_tls)
        QSslServer::incomingConnection(descriptor);
    else
        QTcpServer::incomingConnection(descriptor);
}

void BalancedTcpServer::adopt(qintptr descriptor)
{
    accept(descriptor);
    Q_EMIT newConnection();
}
