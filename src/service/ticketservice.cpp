#include "ticketservice.h"

#include "changemonitor.h"
#include "classificationservice.h"
#include "servicelogging.h"
#include "ticketsession.h"
#include "ticketwriter.h"

#include <QMetaObject>

TicketService::TicketService(const Database &database, ClassificationService *classification,
                             QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_classification(classification)
{
    m_announceQuiet.setSingleShot(true);
    m_announceQuiet.setInterval(kAnnounceIntervalMs);
    connect(&m_announceQuiet, &QTimer::timeout, this, [this] {
        if (std::exchange(m_announceAfterQuiet, false)) {
            Q_EMIT ticketsChanged();
            m_announceQuiet.start();
        }
    });
}

TicketService::~TicketService()
{
    closeIntake();
    if (m_monitor) {
        m_monitorThread.quit();
        m_monitorThread.wait();
    }
}

std::unique_ptr<TicketSession> TicketService::openSession()
{
    return std::unique_ptr<TicketSession>(new TicketSession(*this));
}

QFuture<TicketRepository::IdempotentCreate>
TicketService::submit(TicketRepository::NewTicket ticket, const Actor &actor)
{
    using Outcome = TicketRepository::IdempotentCreate::Outcome;
    std::shared_ptr<TicketWriter> writer;
    {
        const QMutexLocker lock(&m_intakeMutex);
        writer = m_writer;
    }
    if (!writer) {
        return QtFuture::makeReadyFuture(TicketRepository::IdempotentCreate{
            Outcome::Refused, std::nullopt, QStringLiteral("not taking new tickets")});
    }
    qCDebug(lcService).noquote() << actor.displayName() << "submits a ticket";
    // Runs on the writer's thread as each batch commits, before any caller hears of it.
    return writer->submit(std::move(ticket))
        .then([this](TicketRepository::IdempotentCreate created) {
            if (created.outcome == Outcome::Created)
                ticketsCreated();
            return created;
        });
}

void TicketService::openIntake()
{
    const QMutexLocker lock(&m_intakeMutex);
    if (!m_writer)
        m_writer = std::make_shared<TicketWriter>(m_database);
}

void TicketService::closeIntake()
{
    std::shared_ptr<TicketWriter> writer;
    {
        const QMutexLocker lock(&m_intakeMutex);
        writer = std::exchange(m_writer, nullptr);
    }
    if (writer)
        writer->close();
}

void TicketService::watchForChanges(int pollMs)
{
    if (m_monitor) {
        setChangePollInterval(pollMs);
        return;
    }
    m_monitor = new ChangeMonitor(m_database);
    m_monitor->moveToThread(&m_monitorThread);
    // Deleted on its own thread as that ends, which closes the thread's connection; a
    // deleteLater() posted just before quit() could be left undelivered.
    connect(&m_monitorThread, &QThread::finished, m_monitor, &QObject::deleteLater);
    connect(m_monitor, &ChangeMonitor::changed, this, &TicketService::announce);
    connect(m_monitor, &ChangeMonitor::availabilityChanged, this,
            &TicketService::databaseAvailabilityChanged);
    m_monitorThread.setObjectName(QStringLiteral("change-monitor"));
    m_monitorThread.start();
    QMetaObject::invokeMethod(m_monitor, [monitor = m_monitor, pollMs] { monitor->start(pollMs); });
}

void TicketService::setChangePollInterval(int milliseconds)
{
    if (m_monitor) {
        QMetaObject::invokeMethod(m_monitor, [monitor = m_monitor, milliseconds] {
            monitor->setPollInterval(milliseconds);
        });
    }
}

void TicketService::ticketsCreated()
{
    if (m_classification)
        m_classification->wake();
    announce();
}

void TicketService::ticketsChangedHere()
{
    announce();
}

void TicketService::announce()
{
    // Thousands of POSTs a second must not become thousands of window refreshes.
    if (m_announcePosted.exchange(true))
        return;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_announcePosted = false;
            if (m_announceQuiet.isActive()) {
                m_announceAfterQuiet = true;
                return;
            }
            Q_EMIT ticketsChanged();
            m_announceQuiet.start();
        },
        Qt::QueuedConnection);
}
