#include "autoresolver.h"

#include "classificationservice.h"
#include "database.h"
#include "servicelogging.h"
#include "storageerror.h"
#include "ticketservice.h"
#include "ticketsession.h"

#include <algorithm>

AutoResolver::AutoResolver(TicketService &tickets, QObject *parent)
    : QObject(parent)
    , m_tickets(tickets)
{
    m_thread.setObjectName(QStringLiteral("auto-resolve"));
}

AutoResolver::~AutoResolver()
{
    stop();
}

void AutoResolver::start()
{
    if (m_context || !m_tickets.classification())
        return;
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    // Runs on the ending thread itself, whose connection the session holds.
    connect(
        &m_thread, &QThread::finished, m_context,
        [this] {
            m_session.reset();
            m_tickets.database().closeThreadConnection();
        },
        Qt::DirectConnection);
    connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    connect(m_tickets.classification(), &ClassificationService::classificationsStored, m_context,
            [this](const QList<qint64> &ticketIds) { look(ticketIds); });
    m_thread.start();
}

void AutoResolver::stop()
{
    if (!m_context)
        return;
    disconnect(m_tickets.classification(), nullptr, m_context, nullptr);
    // The batch being looked at ends after its current ticket.
    m_stopping = true;
    m_context = nullptr;
    m_thread.quit();
    m_thread.wait();
    m_stopping = false;
}

void AutoResolver::look(const QList<qint64> &ticketIds)
{
    try {
        if (!m_session)
            m_session = m_tickets.openSession();
        // A few rows, read for every batch so that a rule changed on any node applies at once.
        const QList<AutoResolveRule> rules = m_session->autoResolveRules();
        if (rules.isEmpty())
            return;
        const Actor actor = Actor::system(kActorName);
        for (const Ticket &ticket : m_session->findAll(ticketIds)) {
            if (m_stopping)
                return;
            const auto rule =
                std::find_if(rules.cbegin(), rules.cend(), [&ticket](const AutoResolveRule &r) {
                    return ticket.category == r.category;
                });
            if (rule == rules.cend())
                continue;
            try {
                m_session->autoResolve(ticket, *rule, actor);
            } catch (const StorageError &error) {
                // One ticket's trouble (a conflict that kept coming back) leaves the others.
                qCWarning(lcService, "Auto-resolve left ticket %lld to the agents: %s", ticket.id,
                          qUtf8Printable(error.message()));
            }
        }
    } catch (const StorageError &error) {
        qCWarning(lcService, "Auto-resolve left %lld tickets to the agents: %s",
                  qint64(ticketIds.size()), qUtf8Printable(error.message()));
        // The next batch starts on a fresh connection, should the server have dropped this one.
        m_session.reset();
        m_tickets.database().closeThreadConnection();
    }
}
