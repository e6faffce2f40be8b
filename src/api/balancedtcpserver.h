#pragma once

#include <QList>
#include <QMutex>
#include <QSslConfiguration>
#include <QSslServer>

#include <chrono>
#include <memory>
#include <optional>

// One of the API workers accepting from a listening socket they share. The kernel wakes them all
// for a new connection and the first one takes every connection waiting, so a client that opens
// fifty at once would land on one thread. Each accepted connection is dealt in turn to the next
// worker of the ring instead, so every thread and its database connection share the load.
// With TLS the worker a connection is dealt to runs its handshake, and hands the socket on as a
// pending connection only once it is encrypted.
class BalancedTcpServer final : public QSslServer
{
    Q_OBJECT

public:
    // The workers taking turns, and how they accept: plain TCP, or TLS with one configuration,
    // since every connection to the shared port must be accepted alike. Any thread.
    class Ring
    {
    public:
        // Plain TCP.
        Ring() = default;
        // TLS; a client that has not finished its handshake by handshakeTimeout is disconnected.
        Ring(QSslConfiguration tls, std::chrono::milliseconds handshakeTimeout);
        Q_DISABLE_COPY_MOVE(Ring)

    private:
        friend class BalancedTcpServer;
        QMutex m_mutex;
        QList<BalancedTcpServer *> m_members;
        qsizetype m_turn = 0;
        // Set before any member exists and never changed, so read without the mutex.
        const std::optional<QSslConfiguration> m_tls;
        const std::chrono::milliseconds m_handshakeTimeout{0};
    };

    static constexpr std::chrono::milliseconds kResumeAfterResourceError{250};

    explicit BalancedTcpServer(std::shared_ptr<Ring> ring, QObject *parent = nullptr);
    ~BalancedTcpServer() override;
    Q_DISABLE_COPY_MOVE(BalancedTcpServer)

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    // Takes a connection on this server's thread: a plain socket, or a TLS socket that becomes
    // a pending connection once its handshake succeeds.
    void accept(qintptr descriptor);
    void adopt(qintptr descriptor);

    std::shared_ptr<Ring> m_ring;
};
