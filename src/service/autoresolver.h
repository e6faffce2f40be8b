#pragma once

#include <QList>
#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

class TicketService;
class TicketSession;

// Auto-resolve on this node: every ticket this node's classifier classifies is answered, on a
// thread of its own, when its category's rule and a resolved ticket's reply allow it
// (TicketSession::autoResolve()). Only the node that classified a ticket looks at it, so with
// several nodes each ticket is looked at once. A ticket classified just before the node stopped
// is left to the agents: auto-resolve only ever saves work, so missing one loses nothing.
class AutoResolver final : public QObject
{
    Q_OBJECT

public:
    explicit AutoResolver(TicketService &tickets, QObject *parent = nullptr);
    ~AutoResolver() override;
    Q_DISABLE_COPY_MOVE(AutoResolver)

    // Follows the classifications the ticket service's classifier stores.
    void start();
    // Returns once the ticket being looked at is done; the rest of its batch is left.
    void stop();

    static constexpr QLatin1String kActorName{"auto-resolve"};

private:
    void look(const QList<qint64> &ticketIds);

    TicketService &m_tickets;
    QThread m_thread;
    QObject *m_context = nullptr;
    // Used on the auto-resolve thread only, and closed as it ends.
    std::unique_ptr<TicketSession> m_session;
    std::atomic_bool m_stopping = false;
};
