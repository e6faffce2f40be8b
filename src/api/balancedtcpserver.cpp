#include "balancedtcpserver.h"

#include <QMutexLocker>

#include <unistd.h>

BalancedTcpServer::BalancedTcpServer(std::shared_ptr<Ring> ring, QObject *parent)
    : QTcpServer(parent)
    , m_ring(std::move(ring))
{
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
        QTcpServer::incomingConnection(descriptor);
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

void BalancedTcpServer::adopt(qintptr descriptor)
{
    QTcpServer::incomingConnection(descriptor);
    Q_EMIT newConnection();
}
