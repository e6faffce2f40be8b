#include "ticketwriter.h"

#include "changeeventrepository.h"
#include "database.h"
#include "storageerror.h"
#include "storagelogging.h"

#include <QElapsedTimer>

TicketWriter::TicketWriter(const Database &database)
    : m_database(database)
{
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(QStringLiteral("ticket-writer"));
    m_thread->start();
}

TicketWriter::~TicketWriter()
{
    close();
    m_thread->wait();
}

QFuture<TicketRepository::IdempotentCreate> TicketWriter::submit(TicketRepository::NewTicket ticket)
{
    Pending pending{std::move(ticket), {}};
    pending.promise.start();
    QFuture<TicketRepository::IdempotentCreate> future = pending.promise.future();
    QMutexLocker locker(&m_mutex);
    if (m_closed) {
        pending.promise.addResult(TicketRepository::IdempotentCreate{
            TicketRepository::IdempotentCreate::Outcome::Refused, std::nullopt,
            QStringLiteral("The server is shutting down.")});
        pending.promise.finish();
        return future;
    }
    m_queue.push_back(std::move(pending));
    m_submitted.wakeOne();
    return future;
}

void TicketWriter::close()
{
    QMutexLocker locker(&m_mutex);
    m_closed = true;
    m_submitted.wakeOne();
    while (!m_queue.empty() || m_writing)
        m_drained.wait(&m_mutex);
}

void TicketWriter::run()
{
    std::unique_ptr<TicketRepository> tickets;
    QElapsedTimer sinceKeysForgotten;
    QMutexLocker locker(&m_mutex);
    while (true) {
        while (m_queue.empty() && !m_closed)
            m_submitted.wait(&m_mutex);
        if (m_queue.empty())
            break;
        std::vector<Pending> batch;
        while (!m_queue.empty() && batch.size() < size_t(kMaxBatch)) {
            batch.push_back(std::move(m_queue.front()));
            m_queue.pop_front();
        }
        m_writing = true;
        locker.unlock();

        QList<TicketRepository::NewTicket> newTickets;
        newTickets.reserve(qsizetype(batch.size()));
        for (const Pending &pending : batch)
            newTickets.append(pending.ticket);
        try {
            if (!tickets)
                tickets = std::make_unique<TicketRepository>(m_database);
            const QList<TicketRepository::IdempotentCreate> results =
                tickets->createAll(newTickets);
            for (size_t i = 0; i < batch.size(); ++i)
                batch[i].promise.addResult(results.at(qsizetype(i)));

        } catch (const StorageError &error) {
            // The batch fails either way: whether a commit the server dropped us in landed is
            // unknown, and only a client's Idempotency-Key makes sending it again safe.
            if (m_database.isThreadConnectionLost()) {
                tickets.reset();
                m_database.closeThreadConnection();
            }
            for (Pending &pending : batch) {
                pending.promise.addResult(TicketRepository::IdempotentCreate{
                    TicketRepository::IdempotentCreate::Outcome::Failed, std::nullopt,
                    error.message()});
            }
        }
        for (Pending &pending : batch)
            pending.promise.finish();
        // Only the writer stores keys, so it is the one to let them go, now and then.
        if (tickets && (!sinceKeysForgotten.isValid() ||
                        sinceKeysForgotten.hasExpired(kForgetKeysIntervalMs))) {
            sinceKeysForgotten.start();
            try {
                tickets->forgetExpiredIdempotencyKeys();
                // The event log is kept a week whether anyone follows it or not.
                ChangeEventRepository(m_database)
                    .trimBefore(
                        QDateTime::currentDateTimeUtc().addDays(-ChangeEvent::kRetentionDays));
            } catch (const StorageError &error) {
                qCWarning(lcStorage)
                    << "Could not forget expired idempotency keys or events:" << error.message();
            }
        }

        locker.relock();
        m_writing = false;
        if (m_queue.empty())
            m_drained.wakeAll();
    }
    m_drained.wakeAll();
    locker.unlock();
    tickets.reset();
    m_database.closeThreadConnection();
}
