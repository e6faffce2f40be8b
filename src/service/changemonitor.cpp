#include "changemonitor.h"

#include "database.h"
#include "servicelogging.h"
#include "storageerror.h"
#include "ticketrepository.h"

ChangeMonitor::ChangeMonitor(const Database &database)
    : m_database(database)
    , m_timer(this)
{
    connect(&m_timer, &QTimer::timeout, this, &ChangeMonitor::poll);
}

ChangeMonitor::~ChangeMonitor()
{
    m_tickets.reset();
    m_database.closeThreadConnection();
}

void ChangeMonitor::start(int pollMs)
{
    m_timer.setInterval(pollMs);
    m_timer.start();
    poll();
}

void ChangeMonitor::setPollInterval(int milliseconds)
{
    m_timer.setInterval(milliseconds);
}

void ChangeMonitor::poll()
{
    try {
        if (!m_tickets)
            m_tickets = std::make_unique<TicketRepository>(m_database);
        const qint64 version = m_tickets->dataVersion();
        // The first answer counts as a change too: something may have been written between a
        // window's first read and it.
        if (m_lastVersion == version)
            return;
        m_lastVersion = version;
        Q_EMIT changed();
    } catch (const StorageError &error) {
        // The next poll tries again with a new connection.
        qCWarning(lcService).noquote()
            << "Could not check the database for changes:" << error.message();
        m_tickets.reset();
        m_database.closeThreadConnection();
    }
}
