#include "changemonitor.h"

#include "database.h"
#include "servicelogging.h"
#include "sqldialect.h"
#include "storageerror.h"
#include "ticketrepository.h"

#include <QSqlDriver>

ChangeMonitor::ChangeMonitor(const Database &database)
    : m_database(database)
    , m_channel(database.dialect().changeChannel())
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

void ChangeMonitor::connectAndListen()
{
    m_tickets = std::make_unique<TicketRepository>(m_database);
    if (m_channel.isEmpty())
        return;
    QSqlDriver *driver = m_database.connection().driver();
    if (!driver->subscribeToNotification(m_channel))
        throw StorageError(QStringLiteral("Could not listen for changes on %1").arg(m_channel));
    connect(driver, &QSqlDriver::notification, this, [this](const QString &name) {
        if (name == m_channel)
            Q_EMIT changed();
    });
}

void ChangeMonitor::dropConnection(const QString &problem)
{
    m_tickets.reset();
    m_database.closeThreadConnection();
    m_lastVersion.reset();
    if (m_available) {
        m_available = false;
        qCWarning(lcService).noquote() << "The database is unreachable:" << problem;
        Q_EMIT availabilityChanged(false, problem);
    }
}

void ChangeMonitor::poll()
{
    try {
        const bool reconnected = !m_tickets;
        if (reconnected)
            connectAndListen();
        if (m_channel.isEmpty()) {
            const qint64 version = m_tickets->dataVersion();
            // The first answer counts as a change too: something may have been written between
            // a window's first read and it.
            if (m_lastVersion != version) {
                m_lastVersion = version;
                Q_EMIT changed();
            }
        } else {
            // A round trip, so a dropped connection shows here rather than as silence.
            m_tickets->newestId();
        }
        // Before the change it implies: readers drop their dead connections first.
        if (!m_available) {
            m_available = true;
            qCInfo(lcService) << "The database answers again";
            Q_EMIT availabilityChanged(true, QString());
        }
        if (reconnected && !m_channel.isEmpty())
            Q_EMIT changed();
    } catch (const StorageError &error) {
        // The next poll tries again with a new connection.
        dropConnection(error.message());
    }
}
