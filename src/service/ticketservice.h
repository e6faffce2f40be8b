#pragma once

#include "actor.h"
#include "ticketrepository.h"

#include <QFuture>
#include <QMutex>
#include <QObject>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <memory>

class ChangeMonitor;
class ClassificationService;
class Database;
class ReplyDrafter;
class TicketSession;
class TicketWriter;
class WebhookService;

// The one way the window and the API read and write tickets. It hands each thread a
// TicketSession, takes the API's new tickets into shared group commits, and after every write
// wakes the classifier and announces the change, as it does for what other connections commit.
// Its methods may be called from any thread.
class TicketService final : public QObject
{
    Q_OBJECT

public:
    // Without a classification service, new tickets wait for the next one that starts.
    explicit TicketService(const Database &database,
                           ClassificationService *classification = nullptr,
                           QObject *parent = nullptr);
    ~TicketService() override;
    Q_DISABLE_COPY_MOVE(TicketService)

    const Database &database() const { return m_database; }
    ClassificationService *classification() const { return m_classification; }
    // Who drafts replies with a remote model for the API; without one, drafts are local.
    void setDrafter(ReplyDrafter *drafter) { m_drafter = drafter; }
    ReplyDrafter *drafter() const { return m_drafter; }
    // Where the API registers webhooks and reads their log; without one it says they are not
    // set up on this node.
    void setWebhooks(WebhookService *webhooks) { m_webhooks = webhooks; }
    WebhookService *webhooks() const { return m_webhooks; }

    // The calling thread's session; use it on that thread only, and drop it before the thread
    // ends and calls Database::closeThreadConnection(). Throws StorageError.
    std::unique_ptr<TicketSession> openSession();

    // New tickets from any thread, committed in batches with whatever else arrived meanwhile.
    // The future never fails: a ticket not stored is Failed, with the reason, or Refused while
    // the intake is closed.
    QFuture<TicketRepository::IdempotentCreate> submit(TicketRepository::NewTicket ticket,
                                                       const Actor &actor);
    // Opens the intake that submit() feeds; it starts closed.
    void openIntake();
    // Refuses new submissions and returns once every submitted ticket is stored.
    void closeIntake();

    // Starts noticing what other connections commit; until then ticketsChanged() follows this
    // process's own writes only.
    void watchForChanges(int pollMs = kDefaultPollMs);
    void setChangePollInterval(int milliseconds);
    static constexpr int kDefaultPollMs = 400;
    static constexpr int kAnnounceIntervalMs = 100;

Q_SIGNALS:
    // Tickets were added or changed, here or elsewhere. Coalesced: at most one per
    // kAnnounceIntervalMs, however many writes there were, and the last write is never missed.
    void ticketsChanged();
    // Only while watching for changes: the database stopped answering, with the reason, or
    // answers again (and ticketsChanged() follows, since what happened meanwhile went unheard).
    void databaseAvailabilityChanged(bool available, const QString &problem);

private:
    friend class TicketSession;
    // What follows every write.
    void ticketsCreated();
    void ticketsChangedHere();
    void announce();

    const Database &m_database;
    ClassificationService *m_classification;
    // Read by the API's threads, set by the one that starts the program or a test.
    std::atomic<ReplyDrafter *> m_drafter = nullptr;
    std::atomic<WebhookService *> m_webhooks = nullptr;
    QMutex m_intakeMutex;
    std::shared_ptr<TicketWriter> m_writer;
    QThread m_monitorThread;
    ChangeMonitor *m_monitor = nullptr;
    std::atomic_bool m_announcePosted = false;
    // Started by each announcement; what comes in meanwhile is announced once when it ends.
    QTimer m_announceQuiet;
    bool m_announceAfterQuiet = false;
};
