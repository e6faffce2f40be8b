#pragma once

#include "balancedtcpserver.h"

#include <QHostAddress>
#include <QList>
#include <QObject>

#include <atomic>

class ApiServer;
class QThread;
class TicketService;

// Runs the HTTP API on threads of its own, so that API load never stalls the window. Several
// worker threads accept from one listening socket, each with its own database connection.
class ApiService final : public QObject
{
    Q_OBJECT

public:
    // When the ticket service has a classification service, clients may wait for results.
    explicit ApiService(TicketService &tickets, QObject *parent = nullptr);
    ~ApiService() override;
    Q_DISABLE_COPY_MOVE(ApiService)

    // One per core: a request is mostly CPU work (HTTP parsing, SQLite, JSON).
    static int defaultWorkerCount();

    // Blocks until every worker accepts. Returns the bound port, or 0 with errorString() set.
    quint16 start(const QHostAddress &address, quint16 port, int workers = defaultWorkerCount());
    void stop();

    QString errorString() const { return m_errorString; }
    // Requests answered since start, by every worker. Any thread.
    qint64 requestsServed() const { return m_requestsServed.load(std::memory_order_relaxed); }

private:
    bool startWorker(qintptr listeningSocket, const std::shared_ptr<BalancedTcpServer::Ring> &ring);

    TicketService &m_tickets;
    QList<QThread *> m_threads;
    QList<ApiServer *> m_servers;
    QString m_errorString;
    std::atomic<qint64> m_requestsServed = 0;
};
