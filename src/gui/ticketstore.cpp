#include "ticketstore.h"

#include "database.h"

#include <QMetaObject>

TicketStore::TicketStore(const Database &database, QObject *parent)
    : QObject(parent)
    , m_database(database)
{
    // One thread that never expires: QtSql connections belong to the thread that opened them.
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
}

TicketStore::~TicketStore()
{
    // Queued behind the calls already waiting, on the storage thread itself: a future's
    // waitForFinished() may run a task that has not started on the waiting thread instead, and
    // waitForDone() ends the pool's threads, so neither may come before this.
    m_pool.start([this] {
        m_repositories.reset();
        m_database.closeThreadConnection();
    });
    m_pool.waitForDone();
}

TicketStore::Repositories &TicketStore::repositories()
{
    if (!m_repositories)
        m_repositories = std::make_unique<Repositories>(m_database);
    return *m_repositories;
}

void TicketStore::reportFailure(const QString &message)
{
    QMetaObject::invokeMethod(
        this, [this, message] { Q_EMIT storageFailed(message); }, Qt::QueuedConnection);
}
