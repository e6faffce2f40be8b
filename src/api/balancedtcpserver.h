#pragma once

#include <QList>
#include <QMutex>
#include <QTcpServer>

#include <memory>

// One of the API workers accepting from a listening socket they share. The kernel wakes them all
// for a new connection and the first one takes every connection waiting, so a client that opens
// fifty at once would land on one thread. Each accepted connection is dealt in turn to the next
// worker of the ring instead, so every thread and its database connection share the load.
class BalancedTcpServer final : public QTcpServer
{
    Q_OBJECT

public:
    // The workers taking turns. Any thread.
    class Ring
    {
    public:
        Ring() = default;
        Q_DISABLE_COPY_MOVE(Ring)

    private:
        friend class BalancedTcpServer;
        QMutex m_mutex;
        QList<BalancedTcpServer *> m_members;
        qsizetype m_turn = 0;
    };

    explicit BalancedTcpServer(std::shared_ptr<Ring> ring, QObject *parent = nullptr);
    ~BalancedTcpServer() override;
    Q_DISABLE_COPY_MOVE(BalancedTcpServer)

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void adopt(qintptr descriptor);

    std::shared_ptr<Ring> m_ring;
};
