#pragma once

#include "ticketrepository.h"

#include <QFuture>
#include <QMutex>
#include <QPromise>
#include <QThread>
#include <QWaitCondition>

#include <deque>
#include <memory>

class Database;

// Stores new tickets from any number of threads through one writer thread that commits them in
// batches: whatever arrived while the previous commit ran goes into the next. SQLite takes one
// writer at a time, so a commit per batch instead of per ticket is what lets the API accept
// thousands of tickets a second. A future finishes only once its ticket is committed.
class TicketWriter final
{
public:
    static constexpr int kMaxBatch = 256;
    static constexpr qint64 kForgetKeysIntervalMs = 60 * 60 * 1000;

    explicit TicketWriter(const Database &database);
    // Stores everything already submitted, then stops.
    ~TicketWriter();
    Q_DISABLE_COPY_MOVE(TicketWriter)

    // Any thread. The future never fails: a ticket not stored is Failed (its batch's
    // transaction failed) or Refused (submitted after close()), with the reason.
    QFuture<TicketRepository::IdempotentCreate> submit(TicketRepository::NewTicket ticket);
    // Refuses new tickets and waits until every submitted one is stored.
    void close();

private:
    struct Pending
    {
        TicketRepository::NewTicket ticket;
        QPromise<TicketRepository::IdempotentCreate> promise;
    };

    void run();

    const Database &m_database;
    QMutex m_mutex;
    QWaitCondition m_submitted;
    QWaitCondition m_drained;
    std::deque<Pending> m_queue;
    bool m_writing = false;
    bool m_closed = false;
    std::unique_ptr<QThread> m_thread;
};
