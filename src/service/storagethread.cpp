#include "storagethread.h"

#include "database.h"
#include "ticketservice.h"

#include <QMetaObject>

StorageThread::StorageThread(TicketService &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{
    // One thread that never expires: QtSql connections belong to the thread that opened them.
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
    // The server dropped every connection (a restart, a failover): this thread's is dead too,
    // and the refresh that follows the recovery must not be the call that finds out.
    connect(&service, &TicketService::databaseAvailabilityChanged, this, [this](bool available) {
        if (!available)
            return;
        m_pool.start([this] {
            m_session.reset();
            m_service.database().closeThreadConnection();
        });
    });
}

StorageThread::~StorageThread()
{
    // Queued behind the calls already waiting, on the storage thread itself: a future's
    // waitForFinished() may run a task that has not started on the waiting thread instead, and
    // waitForDone() ends the pool's threads, so neither may come before this.
    m_pool.start([this] {
        m_session.reset();
        m_service.database().closeThreadConnection();
    });
    m_pool.waitForDone();
}

TicketSession &StorageThread::session()
{
    if (!m_session)
        m_session = m_service.openSession();
    return *m_session;
}

void StorageThread::dropLostConnection()
{
    if (!m_service.database().isThreadConnectionLost())
        return;
    m_session.reset();
    m_service.database().closeThreadConnection();
}

void StorageThread::reportFailure(const QString &message)
{
    QMetaObject::invokeMethod(
        this, [this, message] { Q_EMIT storageFailed(message); }, Qt::QueuedConnection);
}
